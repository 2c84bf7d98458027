"""Client records: create, edit, search, with errors beside the field and nothing lost."""

from django.urls import reverse

from bodymap.clients.models import Client


def test_it_adds_a_client_and_assigns_a_therapists_own_clients_to_them(as_role, cast):
    response = as_role("therapist").post(
        reverse("clients:new"),
        {
            "first_name": " Ruth ",
            "last_name": "Goldberg",
            "email": "Ruth@Example.com",
            "phone": "+1 (416) 555-0123",
        },
    )
    client = Client.objects.get(last_name="Goldberg")
    assert response["Location"] == reverse("clients:detail", args=[client.public_id])
    assert client.first_name == "Ruth"
    assert client.email == "ruth@example.com"
    assert client.assigned_therapist == cast.therapist
    assert client.practice == cast.practice


def test_it_keeps_what_was_typed_and_explains_each_error(as_role, cast):
    response = as_role("owner").post(
        reverse("clients:new"),
        {
            "first_name": "",
            "last_name": "Ng",
            "email": "not-an-email",
            "phone": "call me",
            "date_of_birth": "2999-01-01",
            "address": "12 Queen St",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "This field is required." in page
    assert "Enter a valid email address." in page
    assert "Enter a phone number using digits" in page
    assert "cannot be in the future" in page
    assert 'value="Ng"' in page and 'value="not-an-email"' in page and "12 Queen St" in page
    assert not Client.objects.filter(last_name="Ng").exists()


def test_it_keeps_a_family_sharing_an_email_as_separate_clients(as_role, cast):
    response = as_role("owner").post(
        reverse("clients:new"),
        {"first_name": "Alex", "last_name": "Rivera", "email": cast.client.email.upper()},
    )
    assert response.status_code == 302
    family = Client.objects.filter(email=cast.client.email).order_by("id")
    assert [c.first_name for c in family] == ["Sam", "Alex"]


def test_it_refuses_to_assign_a_front_desk_member_as_therapist(as_role, cast):
    response = as_role("owner").post(
        reverse("clients:new"),
        {"first_name": "A", "last_name": "B", "assigned_therapist": str(cast.front_desk.public_id)},
    )
    assert "Select a valid choice" in response.content.decode()


def test_it_edits_a_client(as_role, cast):
    response = as_role("front_desk").post(
        reverse("clients:edit", args=[cast.client.public_id]),
        {
            "first_name": "Samantha",
            "last_name": "Rivera",
            "email": cast.client.email,
            "emergency_contact_name": "Alex Rivera",
            "emergency_contact_phone": "416-555-0177",
            "assigned_therapist": str(cast.other_therapist.public_id),
        },
    )
    assert response.status_code == 302
    cast.client.refresh_from_db()
    assert cast.client.first_name == "Samantha"
    assert cast.client.assigned_therapist == cast.other_therapist


def test_it_shows_the_saved_name_while_an_edit_has_errors(as_role, cast):
    response = as_role("owner").post(
        reverse("clients:edit", args=[cast.client.public_id]),
        {"first_name": "Typed", "last_name": "", "email": cast.client.email},
    )
    page = response.content.decode()
    assert "Edit Sam Rivera" in page
    assert 'value="Typed"' in page


def test_it_searches_by_name_email_and_phone(as_role, cast):
    http = as_role("owner")
    assert "Kowalski" in http.get(reverse("clients:list"), {"q": "elena"}).content.decode()
    assert "Rivera" not in http.get(reverse("clients:list"), {"q": "elena"}).content.decode()
    assert "Kowalski" in http.get(reverse("clients:list"), {"q": "kowalski@example"}).content.decode()
    assert "No clients match" in http.get(reverse("clients:list"), {"q": "zzz"}).content.decode()


def test_it_returns_only_the_results_to_htmx(as_role, cast):
    response = as_role("owner").get(reverse("clients:list"), {"q": "sam"}, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert "Rivera" in page
    assert "<html" not in page
