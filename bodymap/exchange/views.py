"""The owner's pages for data in and out, and a client's own records (staff side and portal)."""

import tempfile

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from bodymap.access import (
    client_user_required,
    get_records_client_for_user,
    may_download_own_records,
    may_move_practice_data,
    staff_required,
)
from bodymap.exchange import columns, importing, records, retention
from bodymap.exchange.cells import MAX_BYTES, BadFile, read_rows
from bodymap.exchange.exporting import export_practice
from bodymap.exchange.forms import MappingForm, RetentionRuleForm, UploadForm
from bodymap.notes.models import SessionNote

SESSION_KEY = "exchange_import"
PREVIEW_ROWS = 10


def _owner(request):
    if not may_move_practice_data(request.membership):
        raise Http404


def _fields(kind):
    return columns.APPOINTMENT_FIELDS if kind == importing.APPOINTMENTS else columns.CLIENT_FIELDS


def _plan(practice, kind, rows, mapping, source):
    if kind == importing.APPOINTMENTS:
        return importing.plan_appointments(practice, rows, mapping)
    return importing.plan_clients(practice, rows, mapping, source=source)


@staff_required
@require_http_methods(["GET", "POST"])
def import_clients(request):
    """Upload, map the columns, check (a dry run that lists every row's errors), then import."""
    _owner(request)
    practice = request.membership.practice
    if request.method == "GET" or "file" in request.FILES:
        form = UploadForm(request.POST or None, request.FILES or None)
        if not form.is_valid():
            return render(request, "exchange/import_upload.html", {"form": form})
        upload = form.cleaned_data["file"]
        try:
            header, rows = read_rows(upload.read(MAX_BYTES + 1))
        except BadFile as error:
            form.add_error("file", str(error))
            return render(request, "exchange/import_upload.html", {"form": form}, status=400)
        kind = form.cleaned_data["kind"]
        # The file waits in the owner's session (database-backed) between the steps, never on disk.
        request.session[SESSION_KEY] = {
            "kind": kind,
            "name": upload.name[:200],
            "header": header,
            "rows": rows,
        }
        mapping_form = MappingForm(
            fields=_fields(kind),
            header=header,
            initial={f"col_{k}": str(v) for k, v in columns.detect(header, _fields(kind)).items()},
        )
        return _mapping_page(request, mapping_form, header, rows, kind, upload.name, plan=None)
    pending = request.session.get(SESSION_KEY)
    if not pending:
        return render(request, "exchange/import_upload.html", {"form": UploadForm()})
    kind, header, rows, name = pending["kind"], pending["header"], pending["rows"], pending["name"]
    mapping_form = MappingForm(request.POST, fields=_fields(kind), header=header)
    if not mapping_form.is_valid():
        return _mapping_page(request, mapping_form, header, rows, kind, name, plan=None, status=400)
    plan = _plan(practice, kind, rows, mapping_form.mapping(), name)
    if request.POST.get("action") != "import" or not plan.ok:
        return _mapping_page(
            request, mapping_form, header, rows, kind, name, plan=plan, status=200 if plan.ok else 400
        )
    done = importing.apply_plan(plan, practice=practice, actor=request.user, request=request, source=name)
    del request.session[SESSION_KEY]
    return render(request, "exchange/import_done.html", {"done": done, "name": name})


def _mapping_page(request, form, header, rows, kind, name, *, plan, status=200):
    return render(
        request,
        "exchange/import_map.html",
        {
            "form": form,
            "header": header,
            "preview": rows[:PREVIEW_ROWS],
            "count": len(rows),
            "kind": kind,
            "name": name,
            "plan": plan,
        },
        status=status,
    )


@staff_required
@require_http_methods(["GET", "POST"])
def export_everything(request):
    """The whole practice as one zip. Built in a temporary file, so a large practice does not sit
    in memory; a 3-therapist practice after three years takes well under a minute (bench/export_bench.py)."""
    _owner(request)
    practice = request.membership.practice
    if request.method == "GET":
        notes = SessionNote.objects.filter(practice=practice, signed_at__isnull=False).count()
        # Each note's PDF takes about 30 ms to draw (bench/export_bench.py).
        return render(
            request,
            "exchange/export.html",
            {"practice": practice, "notes": notes, "pdf_minutes": round(notes * 0.03 / 60, 1)},
        )
    out = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    export_practice(practice, out, actor=request.user, request=request, with_pdfs="pdfs" in request.POST)
    out.seek(0)
    stamp = timezone.localdate().isoformat()
    return FileResponse(
        out,
        as_attachment=True,
        filename=f"{practice.slug}-export-{stamp}.zip",
        content_type="application/zip",
    )


def _download(data: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@staff_required
@require_POST
def client_records(request, public_id, fmt):
    """A client's own records, for staff answering the client's access request."""
    client = get_records_client_for_user(request, public_id)
    return _records(request, client, fmt)


def _records(request, client, fmt):
    slug = "".join(ch for ch in client.last_name.lower() if ch.isalnum()) or "client"
    if fmt == "pdf":
        data = records.records_pdf(client, request=request, actor=request.user)
        return _download(data, "application/pdf", f"records-{slug}.pdf")
    if fmt == "json":
        data = records.records_json(client, request=request, actor=request.user)
        return _download(data, "application/fhir+json", f"records-{slug}.fhir.json")
    raise Http404


@client_user_required
@require_http_methods(["GET", "POST"])
def portal_records(request):
    """ "Download my records": the page, and the two downloads (POST, so a link preview cannot
    fetch health records)."""
    if not may_download_own_records(request.user, request.portal_client):
        raise Http404
    if request.method == "POST":
        return _records(request, request.portal_client, request.POST.get("format", ""))
    return render(request, "exchange/portal_records.html", {"client": request.portal_client})


@staff_required
def data_home(request):
    _owner(request)
    return render(request, "exchange/home.html", {"title": _("Data in and out")})


@staff_required
@require_http_methods(["GET", "POST"])
def retention_report(request):
    """Clients past the practice's retention rule; the owner destroys the records she selects."""
    _owner(request)
    practice = request.membership.practice
    due = retention.past_retention(practice)
    error = None
    rule = retention.rule_for(practice)
    rule_form = RetentionRuleForm(instance=rule)
    if request.method == "POST" and request.POST.get("action") == "rule":
        rule_form = RetentionRuleForm(request.POST, instance=rule)
        if rule_form.is_valid():
            retention.change_rule(rule_form, actor=request.user, request=request)
            return redirect("exchange:retention")
        error = _("The rule was not changed.")
    elif request.method == "POST":
        chosen = set(request.POST.getlist("client"))
        clients = [d.client for d in due if str(d.client.public_id) in chosen]
        if not clients or request.POST.get("confirm") != "destroy":
            error = _(
                "Choose the clients and tick the box to confirm: destroyed records cannot be recovered."
            )
        else:
            try:
                counts = retention.purge(practice, clients, actor=request.user, request=request)
            except retention.CannotPurge as refused:
                error = str(refused)
            else:
                return render(request, "exchange/purged.html", {"counts": counts, "clients": len(clients)})
    return render(
        request,
        "exchange/retention.html",
        {"due": due, "rule": rule, "rule_form": rule_form, "error": error},
        status=400 if error else 200,
    )
