"""Signed notes and treatment summaries as documents: for the page and as PDF (ReportLab)."""

import io
import os
from functools import cache
from xml.sax.saxutils import escape

from django.utils import timezone

from bodymap import knowledge
from bodymap.consent.state import consent_for
from bodymap.notes.forms import CONTACT, TECHNIQUES
from bodymap.notes.models import SessionNote
from bodymap.notes.outcomes_view import draw, series_for
from bodymap.notes.prefill import without_prompt


def _names():
    kb = knowledge.load()
    return (
        {r["id"]: r["name"] for r in knowledge.regions()},
        {m.id: m.name for m in kb.muscles.values()},  # anatomical names: the note is for clinicians
        {s.id: s.name for s in kb.self_care},
    )


def note_view(note) -> dict:
    """The note's structured parts with names, for the page and the PDF."""
    regions, muscles, self_care = _names()
    techniques, contact = dict(TECHNIQUES), dict(CONTACT)

    def where(row):
        name = _cap(regions.get(row["region"], row["region"]))
        return name + ("" if row.get("side", "both") == "both" else f", {row['side']}")

    return {
        "findings": [
            {**f, "where": where(f), "muscle_name": muscles.get(f.get("muscle") or "", "")}
            for f in note.findings
        ],
        "treatment": [
            {
                **t,
                "where": where(t),
                "technique_names": _technique_names(t, techniques),
                "contact_name": str(contact.get(t["contact"], t["contact"])),
            }
            for t in note.treatment
        ],
        "pain": [{**p, "where": where(p)} for p in note.pain if p.get("rating") is not None],
        "psfs": note.psfs,
        "self_care": [self_care.get(s, s) for s in note.self_care],
        "total_minutes": sum(t["minutes"] for t in note.treatment),
        # Notes signed before the heading was removed on signing print without it too.
        "plan": without_prompt(note.plan) if note.is_signed else note.plan,
    }


def _technique_names(row: dict, techniques: dict) -> list[str]:
    """The techniques of a treatment row, "other" replaced by what the therapist typed."""
    names = []
    for x in row["techniques"]:
        if x == "other":
            if row.get("techniques_other"):
                names.append(row["techniques_other"])
        else:
            names.append(str(techniques.get(x, x)))
    return names


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


@cache
def _fonts():
    """DejaVu Sans, bundled with matplotlib (already a dependency for the charts): it has the arrows,
    dashes and accented letters therapists type, where ReportLab's Vera prints "→" as a box."""
    import matplotlib
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    folder = os.path.join(os.path.dirname(matplotlib.__file__), "mpl-data", "fonts", "ttf")
    pdfmetrics.registerFont(TTFont("DejaVuSans", os.path.join(folder, "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", os.path.join(folder, "DejaVuSans-Bold.ttf")))
    return "DejaVuSans", "DejaVuSans-Bold"


def _styles():
    from reportlab.lib.styles import ParagraphStyle

    regular, bold = _fonts()
    return {
        "title": ParagraphStyle("title", fontName=bold, fontSize=16, leading=20, spaceAfter=6),
        "h2": ParagraphStyle("h2", fontName=bold, fontSize=11.5, leading=15, spaceBefore=10, spaceAfter=3),
        "body": ParagraphStyle("body", fontName=regular, fontSize=9.5, leading=13),
        "small": ParagraphStyle("small", fontName=regular, fontSize=8, leading=10, textColor="#555555"),
    }


def _p(text, style):
    from reportlab.platypus import Paragraph

    return Paragraph(escape(str(text)).replace("\n", "<br/>"), style)


def _build(story, practice=None, footer: str = "") -> bytes:
    """The document on A4; with a `practice`, each page is headed by its name and address and
    footed by `footer` and the page number (receipts lay out their own)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    regular, bold = _fonts()
    if practice is not None:
        address = [line.strip() for line in (practice.address or "").splitlines() if line.strip()]
        contact = " · ".join(x for x in (practice.phone, practice.email) if x)

    def decorate(canvas, doc):
        canvas.saveState()
        width, height = A4
        canvas.setFillColor("#555555")
        canvas.setFont(bold, 9)
        canvas.drawString(18 * mm, height - 12 * mm, practice.name)
        canvas.setFont(regular, 8)
        canvas.drawRightString(width - 18 * mm, height - 12 * mm, ", ".join(address))
        if contact:
            canvas.drawRightString(width - 18 * mm, height - 15.5 * mm, contact)
        canvas.line(18 * mm, height - 17.5 * mm, width - 18 * mm, height - 17.5 * mm)
        canvas.drawString(18 * mm, 10 * mm, footer)
        canvas.drawRightString(width - 18 * mm, 10 * mm, f"Page {doc.page}")
        canvas.restoreState()

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=(24 if practice is not None else 16) * mm,
        bottomMargin=(18 if practice is not None else 16) * mm,
        title="Bodymap",
        author=practice.name if practice is not None else "Bodymap",
    )
    if practice is None:
        doc.build(story)
    else:
        doc.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return buffer.getvalue()


def _when(dt, fmt="%d %B %Y, %H:%M"):
    return timezone.localtime(dt).strftime(fmt)


def note_pdf(note: SessionNote, addenda) -> bytes:
    s = _styles()
    view = note_view(note)
    client, appointment = note.client, note.appointment
    story = [
        _p(f"Session note: {client.full_name}", s["title"]),
        _p(
            f"{_when(appointment.start)} · {appointment.minutes} minutes · "
            f"{appointment.therapist.display_name}",
            s["body"],
        ),
        _p("Subjective", s["h2"]),
        _p(note.subjective or "—", s["body"]),
        _p("Objective", s["h2"]),
        _p(note.objective or "—", s["body"]),
    ]
    for f in view["findings"]:
        bits = [f["where"], f["muscle_name"], f"tension {f['tension']}/3", f"tenderness {f['tenderness']}/3"]
        if f.get("trigger_points"):
            bits.append("trigger points")
        if f.get("rom"):
            bits.append(f"range of motion: {f['rom']}")
        story.append(_p("• " + "; ".join(b for b in bits if b), s["body"]))
    story += [_p("Treatment given", s["h2"])]
    for t in view["treatment"]:
        story.append(
            _p(
                f"• {t['where']}: {t['minutes']} min, {t['contact_name']}"
                + (f" — {', '.join(t['technique_names'])}" if t["technique_names"] else ""),
                s["body"],
            )
        )
    if not view["treatment"]:
        story.append(_p("—", s["body"]))
    story += [
        _p("Assessment", s["h2"]),
        _p(note.assessment or "—", s["body"]),
        _p("Plan", s["h2"]),
        _p(view["plan"] or "—", s["body"]),
    ]
    if view["self_care"]:
        story += [_p("Self-care given", s["h2"]), _p("; ".join(view["self_care"]), s["body"])]
    if view["pain"] or view["psfs"]:
        story.append(_p("Outcomes today", s["h2"]))
        story += [_p(f"• Pain, {p['where']}: {p['rating']}/10", s["body"]) for p in view["pain"]]
        story += [_p(f"• {f['activity']}: {f['score']}/10", s["body"]) for f in view["psfs"]]
    story.append(
        _p(
            f"Signed by {note.signature} on {_when(note.signed_at)}. This note is locked; corrections "
            "appear as addenda.",
            s["small"],
        )
    )
    for a in addenda:
        story += [
            _p(f"Addendum, {_when(a.created_at)}, signed by {a.signature}", s["h2"]),
            _p(a.text, s["body"]),
        ]
    footer = f"{client.full_name} · session note signed {_when(note.signed_at)}"
    return _build(story, client.practice, footer)


def summary_pdf(client, audience: str, intake) -> bytes:
    """Complaints, consent, work done and outcomes, for the client or another provider."""
    from reportlab.lib.units import mm
    from reportlab.platypus import Image

    s = _styles()
    regions, _muscles, _care = _names()
    notes = list(client.notes.signed().select_related("appointment").order_by("appointment__start"))
    heading = "Your treatment summary" if audience == "client" else "Treatment summary for another provider"
    story = [
        _p(heading, s["title"]),
        _p(
            f"{client.full_name}"
            + (
                f", born {client.date_of_birth:%d %B %Y}"
                if client.date_of_birth and audience == "provider"
                else ""
            ),
            s["body"],
        ),
        _p(f"Prepared {_when(timezone.now(), '%d %B %Y')}", s["small"]),
    ]
    story.append(_p("Complaints", s["h2"]))
    complaints = (intake.contract or {}).get("complaints", []) if intake else []
    for c in complaints:
        side = c.get("side", "both")
        story.append(
            _p(
                f"• {_cap(regions[c['region']])}{'' if side == 'both' else ', ' + side}: pain {c['pain']}/10 "
                "at intake",
                s["body"],
            )
        )
    if not complaints:
        story.append(_p("No intake on record.", s["body"]))
    story.append(_p("Consent in force", s["h2"]))
    labels = {
        "granted": "yes",
        "over_drape": "over the drape only",
        "declined": "no",
        "withdrawn": "withdrawn",
        "not_asked": "not asked",
        "not_confirmed": "not confirmed",
    }
    story.append(
        _p(
            "; ".join(f"{_cap(regions[r])}: {labels[c.state]}" for r, c in consent_for(client).items()),
            s["body"],
        )
    )
    story.append(_p("Work done", s["h2"]))
    for note in notes:
        view = note_view(note)
        work = (
            ", ".join(f"{t['where']} {t['minutes']} min" for t in view["treatment"])
            or "no treatment recorded"
        )
        story.append(_p(f"• {_when(note.appointment.start, '%d %b %Y')}: {work}", s["body"]))
    if not notes:
        story.append(_p("No signed session notes yet.", s["body"]))
    story.append(_p("Outcomes", s["h2"]))
    all_series = series_for(client, intake=intake)
    for series in all_series:
        story.append(_p(series.summary, s["body"]))
        story.append(Image(io.BytesIO(draw(series)), width=150 * mm, height=61 * mm))
    if not all_series:
        story.append(_p("No outcome ratings yet.", s["body"]))
    story.append(
        _p(
            "Pain: a change of 2 points or 30% is meaningful (Farrar 2001; Ostelo 2008). Functional scale: "
            "2 points (Abbott & Schmitt 2014). Massage therapy advice; not a diagnosis.",
            s["small"],
        )
    )
    return _build(story, client.practice, f"{client.full_name} · {heading.lower()}")
