"""The planner's plan for a client, with the consent in force, ready for a therapist to read."""

from django.utils.translation import gettext_lazy as _

from bodymap import knowledge
from bodymap.consent.state import consent_for, planner_consent
from bodymap.intake import figure
from bodymap.intake.flow import session_minutes


def plan_for(client, intake, appointment=None, consents=None, minutes=None) -> dict | None:
    """Plan from the client's latest intake, with today's consent rather than the consent given
    on the intake (a withdrawal takes effect at once), for the given appointment's length."""
    if intake is None or intake.contract is None:
        return None
    consents = consents if consents is not None else consent_for(client, appointment)
    contract = dict(intake.contract)
    contract["consent"] = planner_consent(consents)
    if minutes is None:
        minutes = appointment.minutes if appointment is not None else session_minutes(client)
    contract["session_minutes"] = min(max(minutes, 15), 180)
    return knowledge.plan(contract)


def _names():
    kb = knowledge.load()
    regions = {r["id"]: r["name"] for r in knowledge.regions()}
    muscles = {m.id: m.plain or m.name for m in kb.muscles.values()}
    conditions = {c.id: c.name for c in kb.conditions.values()}
    conditions.update({m.id: m.name for m in kb.medications.values()})
    flags = {f["id"]: f["question"] for f in knowledge.screening_questions()}
    return regions, muscles, conditions, flags


NOT_CONFIRMED_NOTE = _(
    "The client has given standing consent, but it is not yet confirmed today. Confirm it with the "
    "client before you start; until then this region stays off the plan."
)


def _exclusion(x: dict, regions: dict, consents: dict | None) -> dict:
    item = {**x, "region_name": regions[x["region"]]}
    consent = (consents or {}).get(x["region"])
    standing_yes = consent is not None and consent.record is not None and consent.record.allows_work
    if x["reason"] == "consent_declined" and standing_yes and consent.state == "not_confirmed":
        # Not "no consent": the client said yes, and only today's confirmation is missing.
        item.update(reason="not_confirmed", note=str(NOT_CONFIRMED_NOTE))
    return item


def present(plan: dict, consents: dict | None = None) -> dict:
    """The plan with ids turned into names for the page."""
    regions, muscles, conditions, flags = _names()
    sources = {s["id"]: s for s in knowledge.sources()}
    return {
        **plan,
        "items": [
            {
                **item,
                "region_name": regions[item["region"]],
                "structure_names": [muscles.get(m, m) for m in item["structures"]],
            }
            for item in plan["plan"]
        ],
        "exclusions": [_exclusion(x, regions, consents) for x in plan["excluded"]],
        "not_reached_list": [{**n, "region_name": regions[n["region"]]} for n in plan["not_reached"]],
        "caution_list": [
            {**c, "name": conditions.get(c["condition"], c["condition"])} for c in plan["cautions"]
        ],
        "referral_list": [{**r, "question": flags.get(r["flag"], r["flag"])} for r in plan["referrals"]],
        "education_list": [
            {**e, "source_details": [sources[s] for s in e["sources"] if s in sources]}
            for e in plan["education"]
        ],
        "total_minutes": sum(item["minutes"] for item in plan["plan"]),
    }


def chart_figure(contract: dict | None, consents: dict, plan: dict | None) -> list[dict]:
    """The body map coloured by pain, with consent drawn on the sensitive regions."""
    names = {r["id"]: r["name"].capitalize() for r in knowledge.regions()}
    midline = {r["id"] for r in knowledge.regions() if r["sides"] == "midline"}
    classes, titles = {}, {}

    def add(key, cls, title):
        classes[key] = " ".join(filter(None, [classes.get(key, ""), cls]))
        titles[key] = "; ".join(filter(None, [titles.get(key, ""), title]))

    for complaint in (contract or {}).get("complaints", []):
        side = complaint.get("side", "both")
        key = f"{complaint['region']}__{'mid' if side == 'both' and complaint['region'] in midline else side}"
        add(key, f"pain-{complaint['pain']}", f"{names[complaint['region']]}: pain {complaint['pain']}/10")
    for region in (contract or {}).get("avoid", []):
        add(f"{region}__both", "is-avoided", f"{names[region]}: do not touch")
        add(f"{region}__mid", "is-avoided", f"{names[region]}: do not touch")
    for region, consent in consents.items():
        label = {
            "granted": "consent given",
            "over_drape": "over the drape only",
            "declined": "declined",
            "withdrawn": "consent withdrawn",
            "not_asked": "not asked yet",
            "not_confirmed": "not yet confirmed today",
        }[consent.state]
        add(f"{region}__both", f"consent-{consent.state}", f"{names[region]}: {label}")
        add(f"{region}__mid", f"consent-{consent.state}", f"{names[region]}: {label}")
    return figure.annotated(classes, titles)


def health_facts(contract: dict | None) -> list[tuple[str, str]]:
    """The intake's version 2 health history in words, for the therapist to read before a session
    (free text is shown as the client wrote it; the planner never reads it)."""
    from django.utils.translation import gettext as _t

    from bodymap.intake.forms import ALLERGIES, GOALS, IMPLANT_KINDS, MEDICATIONS, SKIN_KINDS

    if not contract:
        return []
    regions = {r["id"]: r["name"] for r in knowledge.regions()}
    words = {k: str(v) for k, v in [*MEDICATIONS, *ALLERGIES, *IMPLANT_KINDS, *SKIN_KINDS, *GOALS]}
    place = lambda e: " ".join(  # noqa: E731
        filter(None, [regions.get(e.get("region"), ""), "" if e.get("side") in (None, "both") else e["side"]])
    )
    facts = []
    if contract.get("medications") or contract.get("medications_text"):
        listed = [words.get(m, m) for m in contract.get("medications", [])]
        facts.append(
            (_t("Medicines"), "; ".join([*listed, *filter(None, [contract.get("medications_text")])]))
        )
    if contract.get("allergies") or contract.get("allergies_text"):
        listed = [words.get(a, a) for a in contract.get("allergies", []) if a != "other"]
        facts.append((_t("Allergies"), "; ".join([*listed, *filter(None, [contract.get("allergies_text")])])))
    if contract.get("pregnancy"):
        p = contract["pregnancy"]
        text = _t("%(weeks)s weeks") % {"weeks": p.get("weeks", "?")}
        if p.get("complications"):
            text += " · " + _t("complications reported")
        facts.append((_t("Pregnancy"), text))
    for s in contract.get("surgeries", []):
        facts.append(
            (
                _t("Operation"),
                _t("%(where)s, %(weeks)s weeks ago") % {"where": place(s), "weeks": s["weeks_ago"]},
            )
        )
    for s in contract.get("skin", []):
        facts.append((_t("Skin"), f"{words.get(s['kind'], s['kind'])}: {place(s)}"))
    for i in contract.get("implants", []):
        facts.append(
            (_t("Implant or device"), ", ".join(filter(None, [words.get(i["kind"], i["kind"]), place(i)])))
        )
    if contract.get("guardian"):
        g = contract["guardian"]
        consents = _t("consents") if g.get("consents") else _t("does not consent")
        present = _t("will be present") if g.get("present") else _t("will not be present")
        facts.append((_t("Parent or guardian"), " · ".join([g["name"], consents, present])))
    if contract.get("goals"):
        facts.append((_t("Goal"), words.get(contract["goals"], contract["goals"])))
    return facts
