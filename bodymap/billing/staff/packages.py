"""Packages at the desk: sell one to a client, see what is left on each, write one off."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bodymap.access import (
    can_correct_invoices,
    can_sell_packages,
    get_client_for_user,
    get_package_for_user,
    packages_for,
    staff_required,
)
from bodymap.audit.log import record_read
from bodymap.audit.models import AuditAction
from bodymap.billing import actions
from bodymap.billing.forms import ClosePackageForm, PackageForm
from bodymap.billing.models import Package, PackageEntryKind
from bodymap.billing.staff.views import render_account


@staff_required
def packages(request):
    membership = request.membership
    if not can_sell_packages(membership):
        raise Http404
    rows = actions.packages_with_balance(packages_for(membership)).order_by("-sold_at", "-id")[:200]
    record_read(request, practice=membership.practice, subject_type="packages", action=AuditAction.LIST)
    return render(
        request,
        "billing/staff/packages.html",
        {
            "packages": rows,
            "close_form": ClosePackageForm(),
            "today": actions.practice_today(membership.practice),
        },
    )


@staff_required
@require_POST
def sell_package(request, public_id):
    """Sell a package to the client whose account this is."""
    membership = request.membership
    client = get_client_for_user(request, public_id)
    if not can_sell_packages(membership):
        raise Http404
    services = actions.practice_services(membership.practice)
    form = PackageForm(request.POST, services=services)
    if form.is_valid():
        data = form.cleaned_data
        try:
            package = actions.sell_package(
                client=client,
                service=services.filter(public_id=data["service"]).first(),
                sessions=data["sessions"],
                price_cents=data["price"],
                method=data["method"],
                expires_on=data["expires_on"],
                actor_user=request.user,
                request=request,
            )
        except actions.BillingError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("Package of %(n)s sessions of %(service)s sold.")
                % {"n": package.sessions, "service": package.service.name},
            )
            return redirect("billing:client", public_id=client.public_id)
    return render_account(request, client, package_form=form, status=400)


@staff_required
@require_POST
def close_package(request, public_id):
    """Write off what is left: an expired package at the desk, a void by the owner with a reason."""
    package: Package = get_package_for_user(request, public_id)
    form = ClosePackageForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose how the package is closed."))
        return redirect("billing:packages")
    kind = form.cleaned_data["kind"]
    if kind == PackageEntryKind.VOIDED and not can_correct_invoices(request.membership):
        raise Http404
    try:
        actions.close_package(
            package=package,
            kind=kind,
            reason=form.cleaned_data["reason"],
            actor_user=request.user,
            request=request,
        )
    except actions.BillingError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Package closed; what was left is written off in its ledger."))
    return redirect("billing:packages")
