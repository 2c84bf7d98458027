"""Who a client record belongs to: merging a possible duplicate, reviewing contact details from an
intake, and the public page where a new email address is confirmed."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from bodymap.access import (
    get_contact_change_for_user,
    get_possible_duplicate_for_user,
    staff_required,
)
from bodymap.audit.log import record_read
from bodymap.audit.models import AuditAction
from bodymap.clients import identity


@staff_required
@require_http_methods(["GET", "POST"])
def merge(request, public_id):
    """A client made by an online booking whose email matched someone: the same person (merge) or
    someone else who shares the address (keep both)."""
    duplicate = get_possible_duplicate_for_user(request, public_id)
    candidates = list(identity.same_address_candidates(duplicate))
    if request.method == "POST":
        if request.POST.get("decision") == "different":
            identity.dismiss_duplicate(client=duplicate, membership=request.membership, request=request)
            messages.success(request, _("%(name)s is kept as a client of their own.") % {"name": duplicate})
            return redirect("clients:detail", public_id=duplicate.public_id)
        into = next((c for c in candidates if str(c.public_id) == request.POST.get("into")), None)
        if into is not None:
            try:
                identity.merge_clients(
                    duplicate=duplicate, into=into, membership=request.membership, request=request
                )
            except identity.CannotMerge:
                messages.error(request, _("This record has session notes of its own and cannot be merged."))
            else:
                messages.success(
                    request, _("The bookings of %(name)s were moved to this client.") % {"name": duplicate}
                )
                return redirect("clients:detail", public_id=into.public_id)
        else:
            messages.error(request, _("Choose the client these bookings belong to."))
    record_read(
        request,
        practice=request.membership.practice,
        action=AuditAction.VIEW,
        subject_type="client",
        subject_public_id=duplicate.public_id,
        via="merge review",
        candidates=[str(c.public_id) for c in candidates],
    )
    return render(
        request,
        "clients/merge.html",
        {
            "client": duplicate,
            "candidates": candidates,
            "appointments": duplicate.appointments.select_related("therapist__user").order_by("start"),
        },
    )


@staff_required
@require_POST
def review_contact_change(request, public_id, change_id):
    change = get_contact_change_for_user(request, public_id, change_id)
    decision = request.POST.get("decision")
    if decision not in ("accept", "dismiss"):
        messages.error(request, _("Choose whether to accept or dismiss the new details."))
        return redirect("clients:detail", public_id=public_id)
    identity.review_contact_change(
        change=change, accept=decision == "accept", membership=request.membership, request=request
    )
    if decision == "accept":
        messages.success(
            request, _("The new details are on file. A new email address changes once it is confirmed.")
        )
    else:
        messages.success(request, _("The new details were dismissed."))
    return redirect("clients:detail", public_id=public_id)


@require_http_methods(["GET", "POST"])
def confirm_email(request, token):
    """Public: the client confirms a new address from that address. GET only shows a button, so a
    mail scanner that follows links confirms nothing."""
    found = identity.email_change_for_token(token)
    if found is None:
        return render(request, "clients/confirm_email_invalid.html", status=410)
    client, new_email = found
    if request.method == "POST":
        identity.confirm_email_change(client=client, new_email=new_email, request=request)
        return render(
            request, "clients/confirm_email_done.html", {"practice": client.practice, "email": new_email}
        )
    return render(request, "clients/confirm_email.html", {"practice": client.practice, "email": new_email})
