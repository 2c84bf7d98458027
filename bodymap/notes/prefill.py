"""A new note starts from what the client told us and what the planner suggests."""

from django.utils import timezone
from django.utils.formats import date_format

from bodymap import knowledge
from bodymap.chart import planning
from bodymap.consent.models import ConsentRecord
from bodymap.notes.models import FunctionalRating

# A heading for the therapist while writing; it is no part of the signed record.
PLANNER_PROMPT = "Suggested by the planner (edit freely):"


def without_prompt(plan: str) -> str:
    """The plan text without the planner's heading line."""
    return "\n".join(line for line in plan.split("\n") if line.strip() != PLANNER_PROMPT).strip("\n")


def initial_for(appointment, intake, consents) -> dict:
    client = appointment.client
    names = {r["id"]: r["name"] for r in knowledge.regions()}
    symptoms = {s.id: s.name for s in knowledge.load().symptoms.values()}
    lines, pain = [], []
    if intake is not None:
        when = date_format(timezone.localtime(intake.submitted_at), "j F Y")
        lines.append(f"From the intake of {when}:")
        for c in intake.contract.get("complaints", []):
            side = c.get("side", "both")
            where = names[c["region"]] + ("" if side == "both" else f", {side}")
            felt = ", ".join(symptoms[s] for s in c.get("symptoms", []))
            lines.append(f"- {where}: pain {c['pain']}/10" + (f"; {felt}" if felt else ""))
            pain.append({"region": c["region"], "side": side, "rating": None})
    check_ins = ConsentRecord.objects.filter(appointment=appointment, method="check_in").order_by("given_at")
    for c in check_ins:
        lines.append(f"Check-in: {c.note} ({names.get(c.region, c.region)})")
    plan = planning.plan_for(client, intake, appointment=appointment, consents=consents)
    plan_lines, self_care = [], []
    if plan is not None and plan["decision"] == "proceed":
        plan_lines.append(PLANNER_PROMPT)
        for item in plan["plan"]:
            contact = " over the drape" if item["contact"] == "over_drape" else ""
            plan_lines.append(
                f"- {names[item['region']]}: {item['minutes']} min{contact}, {item['pressure']} pressure"
            )
        self_care = [s["id"] for s in plan["self_care"]]
    activities = list(
        FunctionalRating.objects.filter(client=client)
        .order_by("activity")
        .values_list("activity", flat=True)
        .distinct()
    )
    return {
        "soap": {"subjective": "\n".join(lines), "plan": "\n".join(plan_lines), "self_care": self_care},
        "pain": pain,
        "psfs": [{"activity": a, "score": None} for a in activities],
        "findings": [],
        "treatment": [],
    }
