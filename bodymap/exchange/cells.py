"""Reading uploaded CSV files safely, and writing CSV cells a spreadsheet cannot run.

A cell that starts with =, +, - or @ is a formula to Excel and LibreOffice ("formula injection"):
`=HYPERLINK(...)` in a client's name would run when the owner opens the export. Exported cells get a
leading apostrophe, which spreadsheets show as text; the importer takes that apostrophe off again, and
refuses cells that still look like formulas.
"""

import csv
import io

from django.utils.translation import gettext as _

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MAX_BYTES = 5 * 1024 * 1024  # a practice of 20,000 clients is about 3 MB of CSV
MAX_ROWS = 50_000


class BadFile(ValueError):
    """The file cannot be read at all; nothing was imported."""


def safe_cell(value) -> str:
    """A value as CSV text that no spreadsheet will evaluate."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def unguard(text: str) -> str:
    """Undo `safe_cell`: our own exports come back in unchanged."""
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@\t\r":
        return text[1:]
    return text


def looks_like_formula(text: str) -> bool:
    """=anything, or +, - or @ followed by something other than a digit, a space or a bracket:
    "+1 416 555 0199" and "- prefers light pressure" are text, "=cmd|' /C calc'!A0" and "@SUM(A1)" are not."""
    if not text:
        return False
    if text[0] == "=":
        return True
    return text[0] in "+-@" and len(text) > 1 and not (text[1].isdigit() or text[1] in " ()")


def decode(data: bytes) -> str:
    """UTF-8 text (with or without a byte-order mark), or Windows-1252 as spreadsheets save it
    in Canada and the US. Anything else is refused, never guessed at."""
    if len(data) > MAX_BYTES:
        raise BadFile(_("The file is larger than 5 MB. Split it into smaller files and import each one."))
    if b"\x00" in data:
        raise BadFile(
            _(
                "The file holds null bytes: it is not a CSV file, or it was saved as UTF-16. "
                "Save it as CSV UTF-8."
            )
        )
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as error:
        raise BadFile(
            _("The file's text encoding is not UTF-8 or Windows-1252. Save it as CSV UTF-8.")
        ) from error
    return text


def read_rows(data: bytes) -> tuple[list[str], list[list[str]]]:
    """The header and the rows of a CSV file, or BadFile saying why not."""
    text = decode(data)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), dialect))
    except csv.Error as error:
        raise BadFile(_("The file is not valid CSV: %(error)s") % {"error": error}) from error
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if not rows:
        raise BadFile(_("The file is empty."))
    if len(rows) - 1 > MAX_ROWS:
        raise BadFile(_("The file has more than 50,000 rows. Split it into smaller files."))
    header = [cell.strip() for cell in rows[0]]
    return header, [[unguard(cell.strip()) for cell in row] for row in rows[1:]]


def write_csv(header: list[str], rows) -> bytes:
    """CSV in UTF-8 with a byte-order mark, so Excel opens accented names correctly."""
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
