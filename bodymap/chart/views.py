import json

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from bodymap.access import (
    get_clinical_appointment_for_user,
    get_clinical_client_for_user,
    staff_required,
)
from bodymap.audit.log import record_many, record_read
from bodymap.audit.models import AuditAction
from bodymap.chart import planning
from bodymap.chart.forms import CheckInForm, SessionConsentForm
from bodymap.consent.actions import confirm_session_consent, log_check_in
from bodymap.consent.explain import explanation_for
from bodymap.consent.models import ConsentRecord
from bodymap.consent.state import consent_for
from bodymap.notes.models import SessionNote
from bodymap.notes.outcomes_view import series_for
from bodymap.notes.queries import note_rows
from bodymap.safety.forms import ReviewForm
from bodymap.safety.queries import open_alert_for

CHART_NOTES = 20


def _views_read(client, intake, what) -> list[tuple]:
    """Opening a chart shows the intake, the consent and the plan: each read is recorded."""
    entries = [(AuditAction.VIEW, "consent", client.public_id, {"via": what})]
    if intake is not None:
        entries.append((AuditAction.VIEW, "intake", intake.public_id, {"via": what}))
        entries.append((AuditAction.VIEW, "plan", client.public_id, {"via": what}))
    return entries


def _audit_views(request, client, intake, what, more=()):
    record_many(
        actor=request.user,
        practice=client.practice,
        request=request,
        entries=[*_views_read(client, intake, what), *more],
    )


@staff_required
def client_chart(request, public_id):
    client = get_clinical_client_for_user(request, public_id)
    intake = client.intakes.latest_signed()
    records = list(ConsentRecord.objects.filter(client=client).order_by("given_at", "id"))
    consents = consent_for(client, records=records)
    upcoming = client.appointments.holding_time().filter(end__gte=timezone.now()).order_by("start").first()
    plan = planning.plan_for(client, intake, consents=consents, minutes=upcoming.minutes if upcoming else 60)
    # However many sessions: a fixed number of queries, and only the latest notes listed here.
    notes, more_notes = note_rows(client, limit=CHART_NOTES)
    series = series_for(client)
    reads = []
    if notes:
        reads.append((AuditAction.LIST, "note", client.public_id, {"shown": len(notes)}))
    if series:
        reads.append((AuditAction.VIEW, "outcomes", client.public_id, {}))
    with transaction.atomic():
        _audit_views(request, client, intake, "chart", reads)
    return render(
        request,
        "chart/chart.html",
        {
            "client": client,
            "intake": intake,
            "consents": consents,
            "history": records[::-1],
            "plan": planning.present(plan) if plan else None,
            "figure": planning.chart_figure(intake.contract if intake else None, consents, plan),
            "upcoming": upcoming,
            "draft": client.intakes.drafts().first() if intake is None else None,
            "notes": notes,
            "more_notes": more_notes,
            "signed_label": _("signed"),
            "health_facts": planning.health_facts(intake.contract if intake else None),
            "open_alert": open_alert_for(client),
            "series": series,
        },
    )


@staff_required
def intake_json(request, public_id, intake_id):
    client = get_clinical_client_for_user(request, public_id)
    intake = client.intakes.submitted().filter(public_id=intake_id).first()
    if intake is None:
        raise Http404
    record_read(
        request,
        practice=client.practice,
        action=AuditAction.EXPORT,
        subject_type="intake",
        subject_public_id=intake.public_id,
        format="json",
    )
    response = HttpResponse(
        json.dumps(intake.contract, indent=2, ensure_ascii=False) + "\n", content_type="application/json"
    )
    stamp = timezone.localtime(intake.submitted_at).strftime("%Y-%m-%d")
    response["Content-Disposition"] = f'attachment; filename="intake-{stamp}-{intake.public_id}.json"'
    return response


@staff_required
def handout(request, public_id):
    """A printable page for the client: the self-care and education chosen for them."""
    client = get_clinical_client_for_user(request, public_id)
    intake = client.intakes.latest_signed()
    plan = planning.plan_for(client, intake)
    if plan is None:
        raise Http404
    record_read(
        request,
        practice=client.practice,
        action=AuditAction.EXPORT,
        subject_type="plan",
        subject_public_id=client.public_id,
        format="handout",
    )
    return render(request, "chart/handout.html", {"client": client, "plan": planning.present(plan)})


@staff_required
@require_http_methods(["GET", "POST"])
def session(request, public_id):
    """One appointment: confirm consent with the client, log check-ins, follow the plan."""
    appointment = get_clinical_appointment_for_user(request, public_id)
    client = appointment.client
    alert = open_alert_for(client)
    if alert is not None:
        return _session_needs_review(request, appointment, alert)
    intake = client.intakes.latest_signed()
    records = list(ConsentRecord.objects.filter(client=client).order_by("given_at", "id"))
    standing = consent_for(client, records=records)
    complaints = (intake.contract or {}).get("complaints", []) if intake else []
    confirm_form = SessionConsentForm(
        request.POST if request.POST.get("form") == "confirm" else None, standing=standing, client=client
    )
    check_in_form = CheckInForm(request.POST if request.POST.get("form") == "check_in" else None)
    if request.method == "POST":
        if request.POST.get("form") == "confirm" and confirm_form.is_valid():
            explanations = {r: explanation_for(r, complaints)["text"] for r in confirm_form.decisions()}
            confirm_session_consent(
                appointment=appointment,
                decisions=confirm_form.decisions(),
                explanations=explanations,
                signature=confirm_form.cleaned_data["signature"],
                request=request,
                actor=request.user,
                guardian=confirm_form.guardian,
            )
            messages.success(request, _("Consent for this session is recorded."))
            return redirect("chart:session", public_id=appointment.public_id)
        if request.POST.get("form") == "check_in" and check_in_form.is_valid():
            log_check_in(
                appointment=appointment,
                region=check_in_form.cleaned_data["region"],
                note=check_in_form.cleaned_data["note"],
                request=request,
                actor=request.user,
            )
            messages.success(
                request, _("Check-in recorded: that region is off the plan for the rest of this session.")
            )
            return redirect("chart:session", public_id=appointment.public_id)
    consents = consent_for(client, appointment, records=records)
    confirmed = any(r.appointment_id == appointment.pk for r in records)
    plan = planning.plan_for(client, intake, appointment=appointment, consents=consents)
    with transaction.atomic():
        _audit_views(request, client, intake, "session")
    return render(
        request,
        "chart/session.html",
        {
            "appointment": appointment,
            "client": client,
            "intake": intake,
            "consents": consents,
            "must_confirm": client.practice.confirm_consent_each_treatment and not confirmed,
            "confirmed": confirmed,
            "confirm_form": confirm_form,
            "check_in_form": check_in_form,
            "plan": planning.present(plan, consents) if plan else None,
            "figure": planning.chart_figure(intake.contract if intake else None, consents, plan),
            "explanations": [(confirm_form[r], explanation_for(r, complaints)) for r in standing],
            "session_records": [r for r in records if r.appointment_id == appointment.pk][::-1],
            "note": SessionNote.objects.filter(appointment=appointment).first(),
        },
    )


def _session_needs_review(request, appointment, alert):
    """No plan and no start while a red flag is unreviewed: only the alert and what to record."""
    with transaction.atomic():
        record_read(
            request, practice=alert.practice, subject_type="safety_alert", subject_public_id=alert.public_id
        )
    return render(
        request,
        "chart/session_review.html",
        {
            "appointment": appointment,
            "client": appointment.client,
            "alert": alert,
            "reviews": [],
            "form": ReviewForm(),
            "next": request.path,
        },
    )


@staff_required
@require_POST
def start_in_person(request, public_id):
    """Hand the therapist's device to the client to fill in their intake in the room."""
    from bodymap.intake.links import intake_path

    client = get_clinical_client_for_user(request, public_id)
    return redirect(intake_path(client) + "?via=in_person")
