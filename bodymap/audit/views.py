import csv

from django import forms
from django.db import transaction
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _

from bodymap import badinput
from bodymap.access import owner_required
from bodymap.accounts.models import Membership
from bodymap.audit import browse, display
from bodymap.audit.log import record
from bodymap.audit.models import AuditAction, AuditEntry
from bodymap.clients.models import Client


class AuditFilterForm(forms.Form):
    client = forms.ModelChoiceField(
        queryset=Client.objects.none(), required=False, to_field_name="public_id", label=_("Client")
    )
    actor = forms.ModelChoiceField(
        queryset=Membership.objects.none(),
        required=False,
        to_field_name="public_id",
        label=_("Staff member"),
    )
    action = forms.ChoiceField(required=False, label=_("Action"))
    subject = forms.UUIDField(required=False, label=_("Record id"))
    date_from = badinput.DateField(
        required=False, label=_("From"), widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = badinput.DateField(
        required=False, label=_("To"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, practice, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["client"].queryset = Client.objects.filter(practice=practice).order_by(
            "last_name", "first_name", "id"
        )
        self.fields["client"].label_from_instance = lambda c: c.full_name
        self.fields["client"].empty_label = _("Any client")
        self.fields["actor"].queryset = Membership.objects.filter(practice=practice).select_related("user")
        self.fields["actor"].label_from_instance = lambda m: f"{m.display_name} ({m.get_role_display()})"
        self.fields["actor"].empty_label = _("Anyone")
        self.fields["action"].choices = [("", _("Any action")), *AuditAction.choices]

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end date is before the start date."))
        return data


def _cursor(value):
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _filtered(request):
    practice = request.membership.practice
    form = AuditFilterForm(request.GET or None, practice=practice)
    if not form.is_bound:
        return form, browse.filtered(practice, {})
    if form.is_valid():
        return form, browse.filtered(practice, form.cleaned_data)
    return form, AuditEntry.objects.none()


@owner_required
def audit_log(request):
    """The practice's audit trail, newest first, for the owner only."""
    form, entries = _filtered(request)
    page = browse.page_of(
        entries, before=_cursor(request.GET.get("before")), after=_cursor(request.GET.get("after"))
    )
    query = request.GET.copy()
    for key in ("before", "after"):
        query.pop(key, None)
    return render(
        request,
        "audit/log.html",
        {
            "form": form,
            "page": page,
            "rows": display.rows_for(page.entries, request.membership.practice),
            "query": query.urlencode(),
        },
    )


# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class _Echo:
    def write(self, value):
        return value


CSV_HEADER = [
    _("When"),
    _("Who"),
    _("Action"),
    _("Record"),
    _("Client"),
    _("Record id"),
    _("From"),
    _("Details"),
    _("Entry id"),
]


def _csv_lines(entries, practice):
    writer = csv.writer(_Echo())
    yield writer.writerow([safe_cell(_gettext(str(h))) for h in CSV_HEADER])
    for batch in browse.batches(entries):
        for row in display.rows_for(batch, practice):
            entry = row.entry
            yield writer.writerow(
                [
                    safe_cell(value)
                    for value in (
                        timezone.localtime(entry.created_at).isoformat(timespec="seconds"),
                        row.who,
                        entry.get_action_display(),
                        row.record,
                        row.client_name or "",
                        entry.subject_public_id or "",
                        entry.ip_address or "",
                        row.details,
                        entry.public_id,
                    )
                ]
            )


@owner_required
def export_log(request):
    """The filtered log as CSV, every matching entry, streamed a batch at a time. Audited."""
    form, entries = _filtered(request)
    practice = request.membership.practice
    with transaction.atomic():
        record(
            actor=request.user,
            practice=practice,
            action=AuditAction.EXPORT,
            subject_type="audit_log",
            request=request,
            filters={k: v for k, v in request.GET.items() if v and k not in ("before", "after")},
        )
    response = StreamingHttpResponse(_csv_lines(entries, practice), content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="audit-log-{stamp}.csv"'
    return response
