from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from bodymap import knowledge
from bodymap.access import (
    get_clinical_appointment_for_user,
    get_clinical_client_for_user,
    may_write_note,
    staff_required,
)
from bodymap.audit.log import record_read
from bodymap.audit.models import AuditAction
from bodymap.consent.state import consent_for
from bodymap.intake import figure
from bodymap.notes import actions, documents, outcomes_view
from bodymap.notes.editor import NoteEditor, raw_from_post
from bodymap.notes.forms import AddendumForm, SignNoteForm, muscles_by_region
from bodymap.notes.models import SessionNote
from bodymap.notes.prefill import initial_for
from bodymap.safety.queries import open_alert_for


def _note_initial(note):
    return {
        "soap": {
            "subjective": note.subjective,
            "objective": note.objective,
            "assessment": note.assessment,
            "plan": note.plan,
            "self_care": note.self_care,
        },
        "findings": note.findings,
        "treatment": note.treatment,
        "pain": note.pain,
        "psfs": note.psfs,
    }


@staff_required
@require_http_methods(["GET", "POST"])
def note_edit(request, public_id):
    """Write, save and sign the SOAP note of one appointment."""
    appointment = get_clinical_appointment_for_user(request, public_id)
    client = appointment.client
    if open_alert_for(client) is not None:
        # The session cannot start until someone records what was done about the red flag.
        return redirect("chart:session", public_id=appointment.public_id)
    intake = client.intakes.latest_signed()
    consents = consent_for(client, appointment)
    avoid = (intake.contract or {}).get("avoid", []) if intake else []
    note = SessionNote.objects.filter(appointment=appointment).first()
    if note is None:
        if not may_write_note(request.membership, appointment):
            raise Http404
        initial = initial_for(appointment, intake, consents)
        if request.method == "GET":
            # Opening the editor creates no draft (the first save does); the read is audited.
            record_read(
                request,
                practice=client.practice,
                action=AuditAction.VIEW,
                subject_type="client",
                subject_public_id=client.public_id,
                document="new_note",
                appointment=str(appointment.public_id),
            )
            return _render_editor(request, appointment, NoteEditor(None, consents, avoid, initial=initial))
        note = actions.open_note(
            appointment=appointment, membership=request.membership, request=request, initial=initial
        )
    if note.is_signed or not may_write_note(request.membership, appointment):
        return redirect("notes:detail", public_id=note.public_id)

    action = request.POST.get("action")
    sign_form = SignNoteForm(request.POST if action == "sign" else None)
    if request.method == "POST" and request.POST.get("autosave"):
        actions.autosave(note=note, raw=raw_from_post(request.POST), request=request)
        return HttpResponse(status=204)
    if request.method == "POST":
        editor = NoteEditor(note, consents, avoid, data=request.POST)
        valid = editor.is_valid()
        signing = action == "sign"
        if signing and timezone.now() < appointment.start:
            sign_form.add_error(
                None,
                _("This appointment has not started yet: a note can be saved now and signed once it has."),
            )
        if valid and (not signing or sign_form.is_valid()):
            if signing:
                try:
                    actions.sign_note(note=note, cleaned=editor.cleaned(), request=request)
                except actions.NotYetStarted:
                    sign_form.add_error(None, _("This appointment has not started yet."))
                except actions.NoConsentForWork as refused:
                    sign_form.add_error(
                        None,
                        _("No consent for this appointment on: %(regions)s. The note was not signed.")
                        % {"regions": ", ".join(refused.regions)},
                    )
                else:
                    messages.success(request, _("The note is signed and locked."))
                    return redirect("notes:detail", public_id=note.public_id)
            else:
                actions.save_note(note=note, cleaned=editor.cleaned(), request=request)
                messages.success(request, _("Draft saved."))
                return redirect("notes:edit", public_id=appointment.public_id)
        # Keep everything typed, valid or not, and show what needs fixing.
        actions.autosave(note=note, raw=raw_from_post(request.POST), request=request)
    else:
        editor = NoteEditor(note, consents, avoid, initial=_note_initial(note))
        record_read(
            request,
            practice=client.practice,
            action=AuditAction.VIEW,
            subject_type="note",
            subject_public_id=note.public_id,
        )
    return _render_editor(request, appointment, editor, sign_form)


def _render_editor(request, appointment, editor, sign_form=None):
    return render(
        request,
        "notes/edit.html",
        {
            "note": editor.note,
            "appointment": appointment,
            "client": appointment.client,
            "editor": editor,
            "sign_form": sign_form or SignNoteForm(),
            "consents": editor.consents,
            "figure": figure.annotated(_consent_classes(editor.consents, editor.avoid), {}),
            "regions": knowledge.regions(),
            "muscles_by_region": muscles_by_region(),
            "not_started": timezone.now() < appointment.start,
        },
    )


def _consent_classes(consents, avoid):
    classes = {f"{r}__both": f"consent-{c.state}" for r, c in consents.items()}
    classes.update({f"{r}__mid": f"consent-{c.state}" for r, c in consents.items()})
    for region in avoid:
        classes[f"{region}__both"] = "is-avoided"
        classes[f"{region}__mid"] = "is-avoided"
    return classes


def _visible_note(request, public_id):
    note = (
        SessionNote.objects.select_related("client__practice", "appointment__therapist__user", "signed_by")
        .filter(public_id=public_id, practice=request.membership.practice)
        .first()
    )
    if note is None:
        raise Http404
    # Reuse the appointment helper so the same rules decide who may read it.
    get_clinical_appointment_for_user(request, note.appointment.public_id)
    return note


@staff_required
def note_detail(request, public_id):
    note = _visible_note(request, public_id)
    addenda = list(note.addenda.select_related("author"))
    record_read(
        request,
        practice=note.practice,
        action=AuditAction.VIEW,
        subject_type="note",
        subject_public_id=note.public_id,
    )
    return render(
        request,
        "notes/detail.html",
        {
            "note": note,
            "client": note.client,
            "appointment": note.appointment,
            "addenda": addenda,
            "addendum_form": AddendumForm(),
            "view": documents.note_view(note),
            "may_write": may_write_note(request.membership, note.appointment),
        },
    )


@staff_required
@require_POST
def addendum(request, public_id):
    note = _visible_note(request, public_id)
    if not note.is_signed or not may_write_note(request.membership, note.appointment):
        raise Http404
    form = AddendumForm(request.POST)
    if form.is_valid():
        actions.add_addendum(note=note, text=form.cleaned_data["text"], request=request)
        messages.success(request, _("Addendum signed and added."))
        return redirect("notes:detail", public_id=note.public_id)
    return render(
        request,
        "notes/detail.html",
        {
            "note": note,
            "client": note.client,
            "appointment": note.appointment,
            "addenda": list(note.addenda.select_related("author")),
            "addendum_form": form,
            "view": documents.note_view(note),
            "may_write": True,
        },
    )


@staff_required
def note_pdf(request, public_id):
    note = _visible_note(request, public_id)
    if not note.is_signed:
        raise Http404
    record_read(
        request,
        practice=note.practice,
        action=AuditAction.EXPORT,
        subject_type="note",
        subject_public_id=note.public_id,
        format="pdf",
    )
    pdf = documents.note_pdf(note, list(note.addenda.select_related("author")))
    return _pdf_response(pdf, f"note-{note.appointment.start:%Y-%m-%d}-{note.client.last_name}.pdf")


@staff_required
def summary_pdf(request, public_id):
    """A treatment summary for the client or for another provider."""
    client = get_clinical_client_for_user(request, public_id)
    audience = "provider" if request.GET.get("for") == "provider" else "client"
    record_read(
        request,
        practice=client.practice,
        action=AuditAction.EXPORT,
        subject_type="client",
        subject_public_id=client.public_id,
        format="pdf",
        document="summary",
        audience=audience,
    )
    pdf = documents.summary_pdf(client, audience, client.intakes.latest_signed())
    return _pdf_response(pdf, f"treatment-summary-{client.last_name}.pdf")


def _pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    safe = "".join(ch for ch in filename if ch.isalnum() or ch in "-_.") or "document.pdf"
    response["Content-Disposition"] = f'attachment; filename="{safe}"'
    return response


@staff_required
def outcome_chart(request, public_id, kind, key):
    client = get_clinical_client_for_user(request, public_id)
    return outcomes_view.chart_response(request, client, kind, key)


@staff_required
def note_list(request, public_id):
    """Every session note of a client, newest first, a page at a time."""
    from django.core.paginator import Paginator

    from bodymap.notes.queries import decorate, notes_queryset

    client = get_clinical_client_for_user(request, public_id)
    page = Paginator(notes_queryset(client), 50).get_page(request.GET.get("page"))
    rows = decorate(page.object_list)
    record_read(
        request,
        practice=client.practice,
        action=AuditAction.LIST,
        subject_type="note",
        subject_public_id=client.public_id,
        shown=len(rows),
    )
    return render(request, "notes/list.html", {"client": client, "page": page, "notes": rows})
