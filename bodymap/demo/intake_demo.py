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


def load(practice, clients):
    """Add the stories to the demo's clients (inside the demo loader's transaction)."""
    by_email = {c.email: c for c in clients}
    signed = timezone.now() - timedelta(days=3)
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
        problems = knowledge.validate_intake(contract)
        if problems:  # the demo must show only intakes that meet the contract
            raise ValueError(f"demo intake for {email}: {problems}")
        intake = Intake.objects.create(
            practice=practice,
            client=client,
            contract=contract,
            channel=Channel.LINK,
            step="review",
            signature=client.full_name,
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
                signature=client.full_name,
                intake=intake,
                actor_label="client (intake link)",
                given_at=signed,
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
