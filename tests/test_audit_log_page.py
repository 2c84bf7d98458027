"""The owner's audit log as a person reads it: names, plain details, filters, pages, a CSV."""

import csv
import io

import time_machine
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bodymap.audit.log import record
from bodymap.audit.models import AuditAction, AuditEntry


def _table(response):
    page = response.content.decode()
    return page[page.index("<tbody>") : page.index("</tbody>")]


def _view(cast, client, actor=None, n=1):
    with transaction.atomic():
        for _ in range(n):
            record(
                actor=(actor or cast.therapist).user,
                practice=cast.practice,
                action=AuditAction.VIEW,
                subject_type="client",
                subject_public_id=client.public_id,
            )


def test_it_names_people_and_clients_and_reads_details_plainly(as_role, cast):
    with transaction.atomic():
        record(
            actor=cast.front_desk.user,
            practice=cast.practice,
            action=AuditAction.CHANGE,
            subject_type="client",
            subject_public_id=cast.client.public_id,
            fields=["phone", "date_of_birth"],
        )
    rows = _table(as_role("owner").get(reverse("audit:log")))
    assert cast.front_desk.display_name in rows
    assert cast.client.full_name in rows
    assert "Fields: phone, date of birth" in rows
    assert "[" not in rows and "date_of_birth" not in rows


def test_it_filters_by_client_staff_member_action_and_dates(as_role, cast):
    with time_machine.travel("2026-03-02 15:00Z", tick=False):
        _view(cast, cast.client)
    with time_machine.travel("2026-06-02 15:00Z", tick=False):
        _view(cast, cast.other_client, actor=cast.front_desk)
    http = as_role("owner")
    rows = _table(http.get(reverse("audit:log"), {"client": str(cast.client.public_id)}))
    assert cast.client.full_name in rows and cast.other_client.full_name not in rows
    rows = _table(http.get(reverse("audit:log"), {"actor": str(cast.front_desk.public_id)}))
    assert cast.other_client.full_name in rows and cast.client.full_name not in rows
    rows = _table(http.get(reverse("audit:log"), {"date_from": "2026-03-01", "date_to": "2026-03-31"}))
    assert cast.client.full_name in rows and cast.other_client.full_name not in rows
    rows = _table(http.get(reverse("audit:log"), {"date_from": "2026-06-01", "action": "view"}))
    assert cast.other_client.full_name in rows and cast.client.full_name not in rows


def test_it_pages_by_keyset_with_the_same_queries_on_every_page(as_role, cast):
    _view(cast, cast.client, n=120)
    http = as_role("owner")
    http.get(reverse("audit:log"))  # warm the session
    newest_first = list(
        AuditEntry.objects.filter(practice=cast.practice).order_by("-id").values_list("id", flat=True)
    )
    with CaptureQueriesContext(connection) as first:
        response = http.get(reverse("audit:log"))
    assert f"before={newest_first[49]}" in response.content.decode()
    response = http.get(reverse("audit:log"), {"before": newest_first[49]})
    assert f"before={newest_first[99]}" in response.content.decode()
    with CaptureQueriesContext(connection) as last:
        response = http.get(reverse("audit:log"), {"before": newest_first[99]})
    page = response.content.decode()
    assert "before=" not in page and f"after={newest_first[100]}" in page
    assert _table(response).count("<tr>") == len(newest_first) - 100
    assert len(first) == len(last)
    sql = " ".join(q["sql"].upper() for q in last.captured_queries)
    assert "OFFSET" not in sql and "COUNT(" not in sql


def test_it_exports_the_filtered_view_as_csv_safe_for_spreadsheets(as_role, cast):
    cast.client.first_name = "=HYPERLINK(evil)"
    cast.client.save(update_fields=["first_name"])
    _view(cast, cast.client, n=2)
    _view(cast, cast.other_client)
    response = as_role("owner").get(reverse("audit:export"), {"client": str(cast.client.public_id)})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:5] == ["When", "Who", "Action", "Record", "Client"]
    assert len(rows) == 3
    assert {r[4] for r in rows[1:]} == {"'=HYPERLINK(evil) Rivera"}
    assert AuditEntry.objects.filter(action=AuditAction.EXPORT, subject_type="audit_log").count() == 1


def test_it_coalesces_autosaves_into_one_entry_per_record_every_few_minutes(cast):
    def autosave():
        with transaction.atomic():
            record(
                actor=cast.therapist.user,
                practice=cast.practice,
                action=AuditAction.CHANGE,
                subject_type="note",
                subject_public_id=cast.client.public_id,
                coalesce=True,
                autosave=True,
            )

    with time_machine.travel("2026-03-02 15:00Z", tick=False) as clock:
        autosave()
        clock.shift(60)
        autosave()
        clock.shift(4 * 60)
        autosave()
        assert AuditEntry.objects.filter(subject_type="note").count() == 1
        clock.shift(60 + 1)
        autosave()
    assert AuditEntry.objects.filter(subject_type="note").count() == 2
