"""Receipts as PDF (ReportLab), drawn from what the receipt recorded when it was issued."""

import io
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from bodymap.billing.money import fmt
from bodymap.notes.documents import _build, _fonts, _styles


def _p(text, style):
    from reportlab.platypus import Paragraph

    return Paragraph(escape(str(text)).replace("\n", "<br/>"), style)


def _day(receipt, when) -> str:
    """A date on the receipt, in the practice's own zone."""
    return when.astimezone(ZoneInfo(receipt.practice.timezone)).date().isoformat()


def receipt_pdf(receipt) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.units import mm
    from reportlab.platypus import Image, Spacer, Table, TableStyle

    c = receipt.content
    styles = _styles()
    _regular, bold = _fonts()
    currency = c["currency"]
    story = [_p(c["practice_name"], styles["title"])]
    contact = "\n".join(x for x in (c["practice_address"], c["practice_phone"], c["practice_email"]) if x)
    if contact:
        story.append(_p(contact, styles["small"]))
    title = _("Official receipt %(number)s") % {"number": receipt.number}
    story.append(_p(title, styles["h2"]))
    if receipt.is_duplicate:
        story.append(
            _p(
                _("DUPLICATE — re-issued on %(date)s (original issued on %(original)s)")
                % {
                    "date": _day(receipt, receipt.issued_at),
                    "original": _day(receipt, receipt.original.issued_at),
                },
                styles["h2"],
            )
        )
    else:
        story.append(
            _p(
                _("Issued on %(date)s") % {"date": _day(receipt, receipt.issued_at)},
                styles["body"],
            )
        )
    rows = [
        [_("Client"), c["client_name"]],
        [_("Date of appointment"), c["service_date"]],
        [_("Service"), c["treatment"] or ", ".join(line["description"] for line in c["lines"])],
        [_("Therapist"), f"{c['therapist_name']}, {c['designation']}"],
        [
            _("Registration number"),
            f"{c['registration_number']}" + (f" ({c['regulator']})" if c["regulator"] else ""),
        ],
        [_("Invoice"), c["invoice_number"]],
    ]
    for line in c["lines"]:
        rows.append([line["description"], fmt(line["amount_cents"], currency)])
    if c["tax_cents"]:
        rows.append(
            [
                _("%(tax)s (%(rate)s %%), registration %(number)s")
                % {"tax": c["tax_name"], "rate": c["tax_rate_bp"] / 100, "number": c["tax_number"]},
                fmt(c["tax_cents"], currency),
            ]
        )
    if c["credited_cents"]:
        rows.append([_("Credit"), fmt(-c["credited_cents"], currency)])
    rows.append([_("Amount paid"), fmt(receipt.amount_cents, currency)])
    table = Table(
        [[_p(a, styles["body"]), _p(b, styles["body"])] for a, b in rows], colWidths=[70 * mm, 100 * mm]
    )
    table.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#cccccc")),
                ("FONTNAME", (0, -1), (-1, -1), bold),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story += [Spacer(1, 4 * mm), table, Spacer(1, 8 * mm)]
    story.append(
        Image(io.BytesIO(bytes(receipt.signature.image)), width=50 * mm, height=18 * mm, kind="proportional")
    )
    story.append(
        _p(
            _("Signature of %(name)s, %(designation)s")
            % {"name": c["therapist_name"], "designation": c["designation"]},
            styles["small"],
        )
    )
    return _build(story)
