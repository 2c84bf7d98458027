"""The audit log as people read it: names for ids and plain words for details, resolved when shown.

The entries themselves keep ids (a name can change; the entry must not). Names for a whole page
are looked up in two queries, whatever the page holds.
"""

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bodymap.accounts.models import Membership
from bodymap.audit.models import AuditEntry
from bodymap.clients.models import Client

RECORD_TYPES = {
    "client": gettext_lazy("Client record"),
    "note": gettext_lazy("SOAP note"),
    "addendum": gettext_lazy("Note addendum"),
    "intake": gettext_lazy("Intake"),
    "consent": gettext_lazy("Consent"),
    "appointment": gettext_lazy("Appointment"),
    "plan": gettext_lazy("Session plan"),
    "outcomes": gettext_lazy("Outcome chart"),
    "safety_alert": gettext_lazy("Safety alert"),
    "invoice": gettext_lazy("Invoice"),
    "receipt": gettext_lazy("Receipt"),
    "audit_log": gettext_lazy("Audit log"),
}
# Details that the row already shows in its own columns.
SHOWN_ELSEWHERE = {"client"}


@dataclass
class Row:
    entry: AuditEntry
    who: str
    client_name: str | None
    record: str
    details: str


def record_label(subject_type: str) -> str:
    return str(RECORD_TYPES.get(subject_type) or subject_type.replace("_", " ").capitalize())


def _value(value) -> str:
    if value is True:
        return _("yes")
    if value is False:
        return _("no")
    if value is None or value == "":
        return "—"
    if isinstance(value, list | tuple):
        return ", ".join(_value(v) for v in value) or "—"
    if isinstance(value, dict):
        return "; ".join(f"{_value(k)}: {_value(v)}" for k, v in value.items())
    return str(value).replace("_", " ")


def readable_details(details: dict) -> str:
    """`{"fields": ["phone", "date_of_birth"]}` reads "Fields: phone, date of birth"."""
    if not isinstance(details, dict):
        return _value(details)
    return "; ".join(
        f"{key.replace('_', ' ').capitalize()}: {_value(value)}"
        for key, value in details.items()
        if key not in SHOWN_ELSEWHERE
    )


def rows_for(entries, practice) -> list[Row]:
    """Name the people and clients of `entries` in two queries, however many entries there are."""
    entries = list(entries)
    actor_ids = {e.actor_id for e in entries if e.actor_id}
    client_ids = {e.client_public_id for e in entries if e.client_public_id}
    staff = {
        m.user_id: m.display_name
        for m in Membership.objects.filter(practice=practice, user_id__in=actor_ids).select_related("user")
    }
    by_user, by_id = {}, {}
    if actor_ids or client_ids:
        clients = Client.objects.filter(practice=practice).filter(
            Q(public_id__in=client_ids) | Q(user_id__in=actor_ids - set(staff))
        )
        for client in clients.only("public_id", "user_id", "first_name", "last_name", "preferred_name"):
            by_id[client.public_id] = client.full_name
            if client.user_id:
                by_user[client.user_id] = client.full_name
    labels = {t: record_label(t) for t in {e.subject_type for e in entries}}
    rows = []
    for entry in entries:
        who = staff.get(entry.actor_id)
        if who is None and entry.actor_id in by_user:
            who = _("%(name)s (client)") % {"name": by_user[entry.actor_id]}
        rows.append(
            Row(
                entry=entry,
                who=who or entry.actor_label,
                client_name=by_id.get(entry.client_public_id),
                record=labels[entry.subject_type],
                details=readable_details(entry.details),
            )
        )
    return rows
