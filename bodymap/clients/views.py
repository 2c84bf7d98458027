from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from bodymap.access import (
    appointments_for,
    can_see_clinical,
    clients_for,
    get_client_for_user,
    may_merge_clients,
    staff_required,
)
from bodymap.audit.log import record_read
from bodymap.audit.models import AuditAction
from bodymap.clients.actions import create_client, update_client
from bodymap.clients.forms import ClientForm, ClientSearchForm
from bodymap.clients.models import ContactChange
from bodymap.clients.search import SearchPage, search_clients
from bodymap.reversing import by_public_id

LISTED = (
    "public_id",
    "first_name",
    "last_name",
    "preferred_name",
    "email",
    "phone",
    "is_active",
    "possible_duplicate_of_id",
    "assigned_therapist__user__full_name",
    "assigned_therapist__user__email",
)


def link_rows(clients):
    """Each listed client's page address (a `{% url %}` a row cost more than reading the rows)."""
    url = by_public_id("clients:detail")
    for client in clients:
        client.url = url(client.public_id)


@staff_required
def client_list(request):
    form = ClientSearchForm(request.GET or None)
    # The columns a row shows, not every client field and every field of their therapist's account.
    clients = clients_for(request.membership).select_related("assigned_therapist__user").only(*LISTED)
    query = ""
    if form.is_valid():
        query = form.cleaned_data["q"]
        if not form.cleaned_data["include_inactive"]:
            clients = clients.filter(is_active=True)
    else:
        clients = clients.filter(is_active=True)
    clients = search_clients(clients, query)
    page = SearchPage(clients, request.GET.get("page"), per_page=25)
    link_rows(page.object_list)
    record_read(
        request,
        practice=request.membership.practice,
        action=AuditAction.LIST,
        subject_type="client",
        searched=bool(query),
        shown=len(page.object_list),
    )
    template = "clients/_results.html" if request.htmx else "clients/list.html"
    return render(request, template, {"form": form, "page": page, "query": query})


@staff_required
def client_new(request):
    form = ClientForm(request.POST or None, membership=request.membership)
    if request.method == "POST" and form.is_valid():
        client = create_client(membership=request.membership, form=form, request=request)
        messages.success(request, _("%(name)s was added.") % {"name": client.full_name})
        return redirect("clients:detail", public_id=client.public_id)
    return render(request, "clients/form.html", {"form": form, "client": None})


@staff_required
def client_detail(request, public_id):
    client = get_client_for_user(request, public_id)
    now = timezone.now()
    appointments = (
        appointments_for(request.membership)
        .filter(client=client)
        .select_related("therapist__user")
        .order_by("-start")
    )
    upcoming = [a for a in appointments if a.start >= now][::-1]
    past = [a for a in appointments if a.start < now][:20]
    record_read(
        request,
        practice=request.membership.practice,
        action=AuditAction.VIEW,
        subject_type="client",
        subject_public_id=client.public_id,
    )
    return render(
        request,
        "clients/detail.html",
        {
            "client": client,
            "upcoming": upcoming,
            "past": past,
            "clinical": can_see_clinical(request.membership, client, from_clients_for=True),
            "age": client.age_on(timezone.localdate()),
            "may_merge": may_merge_clients(request.membership)
            and client.possible_duplicate_of_id is not None,
            "contact_changes": client.contact_changes.filter(decision=ContactChange.Decision.PENDING),
        },
    )


@staff_required
def client_edit(request, public_id):
    client = get_client_for_user(request, public_id)
    # Read before binding: an invalid POST leaves its typed values on the instance.
    name = client.full_name
    form = ClientForm(request.POST or None, instance=client, membership=request.membership)
    if request.method == "POST" and form.is_valid():
        client = update_client(membership=request.membership, form=form, request=request)
        messages.success(request, _("Changes to %(name)s were saved.") % {"name": client.full_name})
        if client.pending_email:
            messages.info(
                request,
                _(
                    "The email address changes once the client confirms it from %(email)s; "
                    "we sent them a link and told the old address."
                )
                % {"email": client.pending_email},
            )
        return redirect("clients:detail", public_id=client.public_id)
    return render(request, "clients/form.html", {"form": form, "client": client, "name": name})
