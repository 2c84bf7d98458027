"""How long records are kept, which clients are past it, and destroying their records.

The purge is the only code that writes a PurgePermit (see guards.py): it deletes a client's health
and billing records, their appointments and the client, and writes in the audit log what was
destroyed and by whom. The audit log itself is kept.
"""

from dataclasses import dataclass
from datetime import date

from django.db import connection, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from bodymap.audit.log import record
from bodymap.audit.models import AuditAction
from bodymap.billing.models import CreditNote, Invoice, InvoiceLine, InvoiceVoid, Payment, Receipt
from bodymap.booking.models import Appointment, AppointmentStatus, WaitlistEntry
from bodymap.clients.models import Client, ContactChange
from bodymap.consent.models import ConsentRecord
from bodymap.exchange.models import ImportedNote, PurgePermit, RetentionRule
from bodymap.intake.models import Intake
from bodymap.notes.models import Addendum, FunctionalRating, PainRating, SessionNote
from bodymap.safety.models import SafetyAlert, SafetyReview

VISITED = (AppointmentStatus.COMPLETED, AppointmentStatus.CHECKED_IN)


class CannotPurge(Exception):
    pass


def rule_for(practice) -> RetentionRule:
    """The practice's rule, or the Ontario default (not saved until the owner changes it)."""
    return RetentionRule.objects.filter(practice=practice).first() or RetentionRule(practice=practice)


@transaction.atomic
def change_rule(form, *, actor, request=None) -> RetentionRule:
    rule = form.save()
    record(
        actor=actor,
        practice=rule.practice,
        action=AuditAction.CHANGE,
        subject_type="retention rule",
        request=request,
        fields=sorted(form.changed_data),
    )
    return rule


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year + years, day=28)


def keep_until(rule: RetentionRule, *, last_visit: date, date_of_birth: date | None) -> date:
    """The later of N years after the last visit and, for a minor at that visit, N years after the
    birthday that made them an adult."""
    until = add_years(last_visit, rule.years_after_last_visit)
    if date_of_birth is not None:
        adult_on = add_years(date_of_birth, rule.age_of_majority)
        if last_visit < adult_on:
            until = max(until, add_years(adult_on, rule.years_after_majority))
    return until


@dataclass
class Due:
    client: Client
    last_visit: date
    keep_until: date


def past_retention(practice, today: date | None = None) -> list[Due]:
    """Clients whose records the practice no longer has to keep, oldest first. A client never seen
    counts from the day their record was made."""
    tz = practice.timezone
    today = today or timezone.localdate()
    rule = rule_for(practice)
    clients = Client.objects.filter(practice=practice).annotate(
        last_visit=Max("appointments__start", filter=Q(appointments__status__in=VISITED))
    )
    due = []
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(tz)
    for client in clients:
        seen = client.last_visit or client.created_at
        last = seen.astimezone(zone).date()
        until = keep_until(rule, last_visit=last, date_of_birth=client.date_of_birth)
        if until < today:
            due.append(Due(client, last, until))
    due.sort(key=lambda d: (d.keep_until, d.client.pk))
    return due


def _secure_delete(on: bool):
    # SQLite overwrites deleted content with zeros instead of leaving it in free pages.
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA secure_delete = {'ON' if on else 'OFF'}")


def purge(practice, clients: list[Client], *, actor, request=None, today: date | None = None) -> dict:
    """Destroy every record of `clients`, each of whom must be past retention, in one transaction."""
    due = {d.client.pk: d for d in past_retention(practice, today)}
    for client in clients:
        if client.practice_id != practice.pk or client.pk not in due:
            raise CannotPurge(_("%(name)s is not past the retention period.") % {"name": client.full_name})
    ids = [c.pk for c in clients]
    invoices = Invoice.objects.filter(client_id__in=ids)
    payments = Payment.objects.filter(invoice__in=invoices)
    if payments.filter(gift_card_entry__isnull=False).exists():
        raise CannotPurge(
            _("A gift card's ledger refers to a payment of these clients; purge it on its own.")
        )
    _secure_delete(True)
    try:
        with transaction.atomic():
            permit = PurgePermit.objects.create()
            counts = _delete_all(ids, invoices, payments)
            permit.delete()
            for client in clients:
                d = due[client.pk]
                record(
                    actor=actor,
                    practice=practice,
                    action=AuditAction.CHANGE,
                    subject_type="client",
                    subject_public_id=client.public_id,
                    request=request,
                    destroyed="past retention",
                    last_visit=d.last_visit.isoformat(),
                    keep_until=d.keep_until.isoformat(),
                    records=counts,
                )
    finally:
        _secure_delete(False)
    return counts


def _delete_all(ids, invoices, payments) -> dict:
    notes = SessionNote.objects.filter(client_id__in=ids)
    alerts = SafetyAlert.objects.filter(client_id__in=ids)
    visits = Appointment.objects.filter(client_id__in=ids)
    steps = [
        ("receipts", Receipt.objects.filter(invoice__in=invoices, original__isnull=False)),
        ("receipts", Receipt.objects.filter(invoice__in=invoices)),
        ("invoice voids", InvoiceVoid.objects.filter(invoice__in=invoices)),
        ("credit notes", CreditNote.objects.filter(invoice__in=invoices)),
        ("payments", payments),
        ("invoice lines", InvoiceLine.objects.filter(invoice__in=invoices)),
        ("invoices", invoices),
        ("pain ratings", PainRating.objects.filter(client_id__in=ids)),
        ("functional ratings", FunctionalRating.objects.filter(client_id__in=ids)),
        ("addenda", Addendum.objects.filter(note__in=notes)),
        ("notes", notes),
        ("safety reviews", SafetyReview.objects.filter(alert__in=alerts)),
        ("safety alerts", alerts),
        ("consents", ConsentRecord.objects.filter(client_id__in=ids)),
        ("contact changes", ContactChange.objects.filter(client_id__in=ids)),
        ("imported notes", ImportedNote.objects.filter(client_id__in=ids)),
        ("waitlist entries", WaitlistEntry.objects.filter(client_id__in=ids)),
        ("intakes", Intake.objects.filter(client_id__in=ids)),
        ("appointments", visits),
        ("clients", Client.objects.filter(pk__in=ids)),
    ]
    counts = {}
    for label, queryset in steps:
        # Evaluate the ids first: a subquery on a table being emptied would change under the delete.
        pks = list(queryset.values_list("pk", flat=True))
        queryset.model.objects.filter(pk__in=pks).delete()
        counts[label] = counts.get(label, 0) + len(pks)
    return {k: v for k, v in counts.items() if v}
