"""A plan as readable text for the therapist (``bodymap plan --format text``)."""

from __future__ import annotations

import textwrap

from .loader import Knowledge

WIDTH = 88


def _wrap(text: str, indent: str, first: str | None = None) -> list[str]:
    return textwrap.wrap(
        text,
        WIDTH,
        initial_indent=first if first is not None else indent,
        subsequent_indent=indent,
        break_on_hyphens=False,
    )


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def format_text(plan: dict, kb: Knowledge) -> str:
    """The plan as plain text: decision, referrals, pressure, work, exclusions, cautions, self-care."""
    decision = {
        "proceed": "proceed with the session",
        "refer_emergency": "do not treat: refer today (emergency)",
        "medical_clearance": "do not treat yet: medical clearance first",
        "nothing_to_plan": "nothing may be worked (see Excluded)",
    }[plan["decision"]]
    lines = [f"Decision: {decision}", f"Pressure: {plan['pressure']} (at most)"]

    if plan["referrals"]:
        lines += ["", "Referrals"]
        for referral in plan["referrals"]:
            lines += _wrap(
                f"{referral['flag']} ({referral['urgency']}). Tell the client: "
                f"{referral['message']} [from {', '.join(referral['evidence'])}]",
                "    ",
                "  - ",
            )

    if plan["plan"]:
        total = sum(item["minutes"] for item in plan["plan"])
        lines += ["", f"Plan ({total} minutes)"]
        for number, item in enumerate(plan["plan"], start=1):
            region = kb.regions[item["region"]]
            side = (
                ""
                if item["side"] == "midline"
                else f", {item['side']} side" + ("s" if item["side"] == "both" else "")
            )
            contact = "over the sheet" if item["contact"] == "over_drape" else "on the skin"
            lines.append(
                f"  {number}. {_capital(region.name)}{side}: {item['minutes']} min, {contact}, "
                f"{item['pressure']} pressure"
            )
            if item["structures"]:
                lines += _wrap(
                    "Structures: " + ", ".join(kb.muscles[m].plain for m in item["structures"]),
                    "       ",
                    "     ",
                )
            for reason in item["reasons"]:
                lines += _wrap(reason, "       ", "     - ")
    if plan["unallocated_minutes"]:
        lines += _wrap(
            f"Unallocated: {plan['unallocated_minutes']} min. {plan['unallocated_note']}", "    ", "  "
        )

    if plan["not_reached"]:
        lines += ["", "Not reached in this session"]
        for entry in plan["not_reached"]:
            name = _capital(kb.regions[entry["region"]].name)
            side = "" if entry["side"] == "midline" else f" ({entry['side']})"
            lines += _wrap(f"{name}{side}, pain {entry['pain']}/10: {entry['note']}", "    ", "  - ")

    if plan["checks"]:
        lines += ["", "Before you start"]
        for check in plan["checks"]:
            lines += _wrap(f"{check['text']} Why: {check['reason']}", "    ", "  - ")

    for title, key, field in (
        ("Positioning", "positioning", "advice"),
        ("Products", "product_warnings", "warning"),
    ):
        if plan[key]:
            lines += ["", title]
            for entry in plan[key]:
                lines += _wrap(entry[field], "    ", "  - ")

    if plan["excluded"]:
        lines += ["", "Excluded"]
        for entry in plan["excluded"]:
            reason = entry["reason"].replace("_", " ")
            name = _capital(kb.regions[entry["region"]].name)
            lines += _wrap(f"{name}, {reason}: {entry['note']}", "    ", "  - ")

    if plan["cautions"]:
        lines += ["", "Cautions"]
        for caution in plan["cautions"]:
            lines += _wrap(caution["advice"], "    ", "  - ")

    if plan["self_care"]:
        lines += ["", "Self-care to suggest"]
        for care in plan["self_care"]:
            lines.append(f"  - {care['name']}")
            lines += _wrap(care["instructions"], "    ")

    if plan["education"]:
        lines += ["", "To explain to the client"]
        for topic in plan["education"]:
            cited = ", ".join(kb.sources[s].cited_as for s in topic["sources"])
            lines += _wrap(f"{topic['title']} ({cited})", "    ", "  - ")
    return "\n".join(lines) + "\n"
