"""Intakes, consent and plans for the demo practice, so the chart shows every case at once."""

from datetime import timedelta

from django.utils import timezone

from bodymap import knowledge
from bodymap.consent.actions import record_consent, withdraw_consent
from bodymap.consent.explain import explanation_for
from bodymap.intake.models import Channel, Intake

NO_FLAGS = {q["id"]: False for q in knowledge.screening_questions()}
DECLINE_ALL = {"chest": "declined", "abdomen": "declined", "gluteal": "declined", "inner_thigh": "declined"}

# email: (complaints, stress, pressure, conditions, flags, consent, avoid, withdraw)
STORIES = {
    # The founding clinic's story: low back pain with sitting-aggravated buttock and leg pain.
    "sam.rivera@example.com": (
        [
            {"region": "low_back", "pain": 6, "symptoms": ["stiffness"], "weeks": 3},
            {
                "region": "posterior_thigh",
                "side": "left",
                "pain": 5,
                "symptoms": ["radiating", "worse_sitting"],
            },
        ],
        7,
        "medium",
        ["hypertension"],
        {},
        {"gluteal": "granted"},
        ["foot"],
        None,
    ),
    "elena.kowalski@example.com": (
        [
            {"region": "neck", "pain": 5, "symptoms": ["stiffness", "headache"]},
            {"region": "jaw", "side": "both", "pain": 4, "symptoms": ["clenching"]},
        ],
        8,
        "medium",
        [],
        {},
        {"gluteal": "over_drape"},
        [],
        None,
    ),
    "marcus.bell@example.com": (
        [
            {
                "region": "gluteal",
                "side": "right",
                "pain": 6,
                "symptoms": ["ache", "worse_sitting"],
                "weeks": 6,
            },
            {"region": "low_back", "pain": 4, "symptoms": ["ache"]},
        ],
        4,
        "firm",
        [],
        {},
        {"gluteal": "granted"},
        [],
        "gluteal",
    ),
    "aisha.rahman@example.com": (
        [
            {"region": "low_back", "pain": 5, "symptoms": ["ache"]},
            {"region": "calf", "side": "both", "pain": 3},
        ],
        5,
        "light",
        ["pregnancy"],
        {},
        {"gluteal": "over_drape"},
        [],
        None,
    ),
    "owen.fitzgerald@example.com": (
        [{"region": "low_back", "pain": 7, "symptoms": ["night_pain"], "weeks": 2}],
        3,
        "medium",
        [],
        {"cancer_history": True},
        {"gluteal": "granted"},
        [],
        None,
    ),
    "tom.lindqvist@example.com": (
        [
            {"region": "shoulder", "side": "left", "pain": 6, "symptoms": ["stiffness"]},
            {"region": "upper_back", "pain": 4},
        ],
        6,
        "firm",
        ["anticoagulants"],
        {},
        {},
        ["face"],
        None,
    ),
    # Numbness around the seat area: an emergency, waiting for the practice to review it.
    "ben.whitaker@example.com": (
        [{"region": "low_back", "pain": 7, "symptoms": ["sharp"], "weeks": 1}],
        5,
        "medium",
        [],
        {"saddle_numbness": True},
        {},
        [],
        None,
    ),
    # Under 16: a swimmer with sore shoulders; her mother consents and is present.
    "zoe.alexander@example.com": (
        [{"region": "shoulder", "side": "both", "pain": 4, "symptoms": ["ache"], "weeks": 5}],
        4,
        "light",
        [],
        {},
        {"gluteal": "granted"},
        [],
        None,
    ),
    "hannah.schultz@example.com": (
        [
            {"region": "lateral_hip", "side": "right", "pain": 5, "symptoms": ["ache", "worse_standing"]},
            {"region": "lateral_thigh", "side": "right", "pain": 4, "symptoms": ["radiating"]},
        ],
        5,
        "medium",
        [],
        {},
        {"gluteal": "granted", "inner_thigh": "over_drape"},
        [],
        None,
    ),
}


# Version 2 facts for some stories: a pregnancy, allergies, an emergency answer awaiting review, and
# a client under 16 whose mother gives consent and stays in the room.
EXTRAS = {
    "aisha.rahman@example.com": {
        "pregnancy": {"weeks": 24, "complications": False},
        "allergies": ["nut_oils"],
        "allergies_text": "Almond oil gives me a rash.",
    },
    "tom.lindqvist@example.com": {
        "medications": ["anticoagulant"],
        "medications_text": "Apixaban twice a day",
        "allergies": ["latex", "fragrance"],
    },
    "ben.whitaker@example.com": {"goals": "treatment"},
    "zoe.alexander@example.com": {
        "guardian": {"name": "Claire Alexander", "consents": True, "present": True},
        "goals": "treatment",
    },
}
MINOR_AGE_IN_DEMO = 14


def load(practice, clients):
    """Add the stories to the demo's clients (inside the demo loader's transaction)."""
    by_email = {c.email: c for c in clients}
    signed = timezone.now() - timedelta(days=3)
    zoe = by_email["zoe.alexander@example.com"]
    today = timezone.localdate()
    zoe.date_of_birth = today.replace(year=today.year - MINOR_AGE_IN_DEMO, day=1) - timedelta(days=40)
    zoe.save(update_fields=["date_of_birth"])
    for email, story in STORIES.items():
        complaints, stress, pressure, conditions, flags, consent, avoid, withdraw = story
        client = by_email[email]
        contract = {
            "version": 1,
            "session_minutes": 60,
            "age": client.age_on(timezone.localdate()),
            "pressure": pressure,
            "complaints": complaints,
            "stress": stress,
            "screening": {**NO_FLAGS, **flags},
            "conditions": conditions,
            "consent": {**DECLINE_ALL, **consent},
            "avoid": avoid,
        }
        if email in EXTRAS:
            contract.update(version=2, **EXTRAS[email])
        problems = knowledge.validate_intake(contract)
        if problems:  # the demo must show only intakes that meet the contract
            raise ValueError(f"demo intake for {email}: {problems}")
        intake = Intake.objects.create(
            practice=practice,
            client=client,
            contract=contract,
            channel=Channel.LINK,
            step="review",
            signature=contract["guardian"]["name"] if "guardian" in contract else client.full_name,
            submitted_at=signed,
            created_at=signed - timedelta(minutes=12),
        )
        for region, decision in contract["consent"].items():
            record_consent(
                client=client,
                region=region,
                decision=decision,
                method="link",
                explanation=explanation_for(region, complaints)["text"],
                signature=contract["guardian"]["name"] if "guardian" in contract else client.full_name,
                intake=intake,
                actor_label="client (intake link)",
                given_at=signed,
                guardian=contract.get("guardian", {}).get("name", ""),
            )
        if withdraw:
            withdraw_consent(
                client=client,
                region=withdraw,
                request=None,
                actor=None,
                actor_label="client (portal)",
                note="Changed my mind after reading more.",
            )
    # One client has started but not finished, to show a draft on the chart.
    grace = by_email["grace.nakamura@example.com"]
    Intake.objects.create(
        practice=practice,
        client=grace,
        channel=Channel.LINK,
        step="body",
        draft={"raw": {"about": {"first_name": "Grace", "last_name": "Nakamura"}}, "done": ["about"]},
    )
