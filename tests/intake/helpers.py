"""Filling in an intake through the web pages, as a client would."""

from django.urls import reverse

from bodymap import knowledge
from bodymap.intake.links import intake_path

NO_FLAGS = {q["id"]: "no" for q in knowledge.screening_questions()}


def step_url(client, step):
    token = intake_path(client).rstrip("/").rsplit("/", 1)[1]
    return reverse("intake:step", args=[token, step])


def fill_intake(
    http,
    client,
    *,
    complaints=None,
    consent=None,
    conditions=(),
    screening=None,
    stress="7",
    pressure="medium",
    avoid=(),
    signature=None,
    health=None,
    about=None,
    consent_extra=None,
    goals="both",
):
    """Post every step; returns the final response. complaints: {"low_back__mid": {"pain": 6, ...}}."""
    http.get(intake_path(client))
    about = {
        "first_name": client.first_name,
        "last_name": client.last_name,
        "email": client.email,
        "phone": client.phone,
        **(about or {}),
    }
    steps = [
        ("about", about),
        ("health", {"conditions": list(conditions), **(health or {})}),
        ("screening", {**NO_FLAGS, **(screening or {})}),
        ("body", body_data(complaints or {"low_back__mid": {"pain": 6, "symptoms": ["stiffness"]}})),
        ("preferences", {"stress": stress, "pressure": pressure, "avoid": list(avoid), "goals": goals}),
        (
            "consent",
            {
                "chest": "declined",
                "abdomen": "declined",
                "gluteal": "granted",
                "inner_thigh": "declined",
                **(consent or {}),
                **(consent_extra or {}),
            },
        ),
    ]
    for step, data in steps:
        response = http.post(step_url(client, step), data)
        assert response.status_code == 302, (step, response.content.decode()[:3000])
    return http.post(
        step_url(client, "review"), {"signature": signature or client.full_name, "confirm": "on"}
    )


def body_data(complaints):
    data = {}
    for key, values in complaints.items():
        data[f"{key}__on"] = "on"
        data[f"{key}__pain"] = str(values["pain"])
        if values.get("symptoms"):
            data[f"{key}__symptoms"] = values["symptoms"]
        if values.get("weeks") is not None:
            data[f"{key}__weeks"] = str(values["weeks"])
    return data
