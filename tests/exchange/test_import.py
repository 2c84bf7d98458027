"""Importing clients and past appointments from another system's CSV file."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from bodymap.audit.models import AuditEntry
from bodymap.booking.models import Appointment
from bodymap.clients.models import Client
from bodymap.exchange.cells import BadFile, read_rows, safe_cell, write_csv

GOOD = (
    "First Name,Last Name,Email,Mobile,DOB,Street Address,Notes\n"
    "Ana,Lima,ana.lima@example.com,416-555-0101,1985-02-03,1 King St,Likes light pressure\n"
    "Ben,Okoro,,416-555-0102,1990-07-08,,\n"
)


def _write(tmp_path, text, encoding="utf-8"):
    path = tmp_path / "clients.csv"
    path.write_bytes(text.encode(encoding))
    return path


def _count(cast):
    return Client.objects.filter(practice=cast.practice).count()


def test_it_imports_clients_from_common_headers(cast, tmp_path):
    before = _count(cast)
    call_command("import_clients", str(_write(tmp_path, GOOD)), "--practice", "breathe")
    ana = Client.objects.get(practice=cast.practice, first_name="Ana")
    assert (ana.last_name, ana.email, ana.phone, ana.date_of_birth) == (
        "Lima",
        "ana.lima@example.com",
        "416-555-0101",
        date(1985, 2, 3),
    )
    assert ana.imported_notes.get().text == "Likes light pressure"
    assert _count(cast) == before + 2
    assert AuditEntry.objects.filter(action="create", subject_type="import").count() == 1
    assert (
        AuditEntry.objects.filter(action="create", subject_type="client", details__via="import").count() == 2
    )


def test_a_dry_run_changes_nothing(cast, tmp_path):
    before = _count(cast)
    call_command("import_clients", str(_write(tmp_path, GOOD)), "--practice", "breathe", "--dry-run")
    assert _count(cast) == before


def test_one_bad_row_imports_nothing_and_names_the_line(cast, tmp_path, capsys):
    bad = GOOD + "Cara,Diaz,cara@example.com,,03/04/1980,,\n"
    before = _count(cast)
    with pytest.raises(CommandError):
        call_command("import_clients", str(_write(tmp_path, bad)), "--practice", "breathe")
    assert "line 4, date_of_birth" in capsys.readouterr().err
    assert _count(cast) == before


def test_it_never_merges_on_an_email_alone(cast, tmp_path):
    """Sam Rivera's address on a row with another name: a new client, marked as a possible duplicate."""
    row = f"first name,last name,email\nSamantha,Rivers,{cast.client.email}\n"
    call_command("import_clients", str(_write(tmp_path, row)), "--practice", "breathe")
    new = Client.objects.get(first_name="Samantha")
    assert new.possible_duplicate_of == cast.client
    cast.client.refresh_from_db()
    assert cast.client.first_name == "Sam"


def test_it_leaves_a_client_already_here_as_they_are(cast, tmp_path):
    c = cast.client
    row = f"name,email,date of birth\n{c.first_name} {c.last_name},{c.email},{c.date_of_birth}\n"
    before = _count(cast)
    call_command("import_clients", str(_write(tmp_path, row)), "--practice", "breathe")
    assert _count(cast) == before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\xff\xfeF\x00i\x00", "null bytes"),
        (b"", "empty"),
        (b"x" * (5 * 1024 * 1024 + 1), "larger than 5 MB"),
    ],
)
def test_it_refuses_a_file_it_cannot_read(data, message):
    with pytest.raises(BadFile, match=message):
        read_rows(data)


def test_it_reads_a_byte_order_mark_and_windows_1252():
    header, rows = read_rows("\ufeffFirst Name,Last Name\nZoë,Müller\n".encode())
    assert header[0] == "First Name"
    _header, rows = read_rows("First Name,Last Name\nZoë,Müller\n".encode("cp1252"))
    assert rows == [["Zoë", "Müller"]]


def test_it_refuses_formula_cells(cast, tmp_path, capsys):
    row = 'first name,last name,phone\n"=HYPERLINK(""http://x"")",Evil,+1 416 555 0199\n'
    with pytest.raises(CommandError):
        call_command("import_clients", str(_write(tmp_path, row)), "--practice", "breathe")
    assert "formula" in capsys.readouterr().err
    assert not Client.objects.filter(last_name="Evil").exists()


@pytest.mark.parametrize("value", ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\t=x"])
def test_exported_cells_never_start_a_formula(value):
    assert safe_cell(value).startswith("'")
    assert write_csv(["a"], [[value]]).decode("utf-8-sig").splitlines()[1].lstrip('"').startswith("'")


def test_it_imports_past_appointments(cast, tmp_path):
    text = (
        "client,client email,date,time,duration,therapist,service,status\n"
        "Sam Rivera,sam.rivera@example.com,2024-03-05,14:00,60,therapist@example.com,Massage,Completed\n"
        "Sam Rivera,sam.rivera@example.com,2024-03-12,14:00,60,therapist@example.com,Massage,No show\n"
    )
    call_command("import_clients", str(_write(tmp_path, text)), "--practice", "breathe", "--appointments")
    visits = Appointment.objects.filter(client=cast.client, start__year=2024).order_by("start")
    assert [v.status for v in visits] == ["completed", "no_show"]
    assert visits[0].therapist == cast.therapist and visits[0].minutes == 60


def test_it_refuses_an_appointment_that_double_books(cast, tmp_path, capsys):
    text = (
        "client,date,time,therapist\n"
        "Sam Rivera,2024-03-05,14:00,therapist@example.com\n"
        "Marcus Bell,2024-03-05,14:30,therapist@example.com\n"
    )
    with pytest.raises(CommandError):
        call_command("import_clients", str(_write(tmp_path, text)), "--practice", "breathe", "--appointments")
    assert "line 3" in capsys.readouterr().err
    assert not Appointment.objects.filter(start__year=2024).exists()


def test_the_owner_sees_the_bad_row_then_imports_the_fixed_file(as_role, cast):
    owner = as_role("owner")
    url = reverse("exchange:import")
    bad = GOOD + "Cara,Diaz,cara@example.com,,1980-13-40,,\n"
    page = owner.post(url, {"kind": "clients", "file": SimpleUploadedFile("c.csv", bad.encode())})
    assert page.status_code == 200
    mapping = {
        f"col_{k}": v
        for k, v in {
            "first_name": "0",
            "last_name": "1",
            "email": "2",
            "phone": "3",
            "date_of_birth": "4",
            "address": "5",
            "notes": "6",
        }.items()
    }
    checked = owner.post(url, {**mapping, "action": "import"})
    assert checked.status_code == 400 and "is not a date" in checked.content.decode()
    assert not Client.objects.filter(first_name="Cara").exists()
    owner.post(
        url,
        {
            "kind": "clients",
            "file": SimpleUploadedFile("c.csv", bad.replace("1980-13-40", "1980-12-04").encode()),
        },
    )
    done = owner.post(url, {**mapping, "action": "import"})
    assert done.status_code == 200
    assert Client.objects.get(first_name="Cara").date_of_birth == date(1980, 12, 4)


def test_notes_from_the_old_system_are_shown_to_clinicians_only(as_role, cast, tmp_path):
    row = "first name,last name,notes\nAna,Lima,Old notes: prefers light pressure\n"
    call_command("import_clients", str(_write(tmp_path, row)), "--practice", "breathe")
    ana = Client.objects.get(first_name="Ana")
    url = reverse("clients:detail", args=[ana.public_id])
    assert "prefers light pressure" in as_role("owner").get(url).content.decode()
    assert "prefers light pressure" not in as_role("front_desk").get(url).content.decode()
