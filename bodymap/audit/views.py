from datetime import datetime, time, timedelta

from django import forms
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bodymap import badinput
from bodymap.access import owner_required
from bodymap.accounts.models import Membership
from bodymap.audit.models import AuditAction, AuditEntry
from bodymap.clients.models import Client


class AuditFilterForm(forms.Form):
    actor = forms.ModelChoiceField(
        queryset=Membership.objects.none(),
        required=False,
        to_field_name="public_id",
        label=_("Who"),
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
        self.fields["actor"].queryset = Membership.objects.filter(practice=practice).select_related("user")
        self.fields["actor"].label_from_instance = lambda m: f"{m.display_name} ({m.get_role_display()})"
        self.fields["actor"].empty_label = _("Anyone")
        self.fields["action"].choices = [("", _("Any action")), *AuditAction.choices]

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end date is before the start date."))
        return data


def _start_of(day):
    return timezone.make_aware(datetime.combine(day, time.min))


@owner_required
def audit_log(request):
    """The practice's audit trail, newest first, for the owner only."""
    practice = request.membership.practice
    form = AuditFilterForm(request.GET or None, practice=practice)
    entries = AuditEntry.objects.filter(practice=practice)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data["actor"]:
            entries = entries.filter(actor_id=data["actor"].user_id)
        if data["action"]:
            entries = entries.filter(action=data["action"])
        if data["subject"]:
            entries = entries.filter(subject_public_id=data["subject"])
        if data["date_from"]:
            entries = entries.filter(created_at__gte=_start_of(data["date_from"]))
        if data["date_to"]:
            entries = entries.filter(created_at__lt=_start_of(data["date_to"] + timedelta(days=1)))
    elif form.is_bound:
        entries = entries.none()
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    # Name the clients on this page in one query; the log itself stores ids, not names.
    ids = {e.subject_public_id for e in page if e.subject_type == "client" and e.subject_public_id}
    names = {
        c.public_id: c.full_name
        for c in Client.objects.filter(practice=practice, public_id__in=ids).only(
            "public_id", "first_name", "last_name"
        )
    }
    rows = [(entry, names.get(entry.subject_public_id)) for entry in page]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/log.html",
        {"form": form, "page": page, "rows": rows, "query": query.urlencode()},
    )
