"""A red flag on a signed intake reaches the client, the owner and the client's therapist at once."""

from django.core import mail
from django.urls import reverse

from bodymap.audit.models import AuditEntry
from bodymap.safety.models import SafetyAlert
from tests.intake.helpers import fill_intake
from tests.safety.helpers import flagged_intake


def test_it_opens_an_emergency_alert_for_a_yes_to_saddle_numbness(client, cast):
    alert = flagged_intake(client, cast.client)
    assert alert.urgency == "emergency"
    assert {r["flag"] for r in alert.referrals} >= {"saddle_numbness"}
    assert SafetyAlert.objects.open().filter(client=cast.client).count() == 1
    assert AuditEntry.objects.filter(subject_type="safety_alert", action="create").count() == 1


def test_it_opens_no_alert_when_every_answer_is_no(client, cast):
    fill_intake(client, cast.client)
    assert not SafetyAlert.objects.filter(client=cast.client).exists()


def test_it_opens_a_clearance_alert_for_fever(client, cast):
    alert = flagged_intake(client, cast.client, saddle_numbness="no", fever="yes")
    assert alert.urgency == "clearance"


def test_it_emails_the_owner_and_the_therapist_a_link_without_health_details(
    client, cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        alert = flagged_intake(client, cast.client)
    practice_mail = [m for m in mail.outbox if "needs review" in m.subject]
    assert len(practice_mail) == 1
    message = practice_mail[0]
    assert sorted(message.to) == sorted([cast.owner.user.email, cast.therapist.user.email])
    assert cast.other_therapist.user.email not in message.to and cast.front_desk.user.email not in message.to
    assert reverse("safety:alert", args=[alert.public_id]) in message.body
    body = (message.subject + message.body).lower()
    for detail in ("numb", "saddle", "emergency department", "rivera", "sam"):
        assert detail not in body


def test_it_tells_the_client_what_to_do_in_the_confirmation_email(
    client, cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        flagged_intake(client, cast.client)
    to_client = [m for m in mail.outbox if m.to == [cast.client.email]]
    assert len(to_client) == 1
    assert "emergency department now" in to_client[0].body
    assert "emergency services" in to_client[0].body
    assert "at your visit" not in to_client[0].body


def test_it_confirms_a_clear_intake_by_email_without_a_warning(
    client, cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        fill_intake(client, cast.client)
    to_client = [m for m in mail.outbox if m.to == [cast.client.email]]
    assert len(to_client) == 1 and "emergency" not in to_client[0].body.lower()


def test_it_shows_the_emergency_message_on_the_step_and_the_thank_you_page(client, cast):
    from tests.intake.helpers import NO_FLAGS, step_url

    fill_intake(client, cast.client)  # a first intake, so the draft below is a fresh one
    client.post(reverse("intake:start", args=[step_url(cast.client, "about").split("/")[2]]))
    about = {"first_name": "Sam", "last_name": "Rivera", "email": cast.client.email}
    client.post(step_url(cast.client, "about"), about)
    client.post(step_url(cast.client, "health"), {})
    response = client.post(step_url(cast.client, "screening"), {**NO_FLAGS, "saddle_numbness": "yes"})
    # The client stays on the step where the answer was given, and reads what to do now.
    assert response.status_code == 302 and response["Location"].endswith("/screening/?raised=1")
    page = client.get(response["Location"]).content.decode()
    assert "Go to a hospital emergency department now, or call emergency services" in page
    assert "continue my intake" in page


def test_it_shows_the_message_on_the_thank_you_page(client, cast):
    response = fill_intake(client, cast.client, screening={"saddle_numbness": "yes"})
    page = client.get(response["Location"]).content.decode()
    assert "Go to a hospital emergency department now, or call emergency services" in page
    assert "go through them with you at your visit" not in page


def test_it_raises_the_same_alert_from_the_body_map_when_every_answer_is_no(
    client, cast, django_capture_on_commit_callbacks
):
    numb_buttocks = {
        "gluteal__left": {"pain": 3, "symptoms": ["numbness"]},
        "gluteal__right": {"pain": 3, "symptoms": ["numbness"]},
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = fill_intake(client, cast.client, complaints=numb_buttocks)
    alert = SafetyAlert.objects.get(client=cast.client)
    assert alert.urgency == "emergency"
    assert any("complaints" in str(r.get("evidence")) for r in alert.referrals)
    assert any("needs review" in m.subject for m in mail.outbox)
    page = client.get(response["Location"]).content.decode()
    assert "Go to a hospital emergency department now, or call emergency services" in page


def test_it_stops_on_the_body_map_step_when_the_map_raises_a_red_flag(client, cast):
    from tests.intake.helpers import body_data, step_url

    fill_intake(client, cast.client)
    client.post(reverse("intake:start", args=[step_url(cast.client, "about").split("/")[2]]))
    numb = {
        "gluteal__left": {"pain": 3, "symptoms": ["numbness"]},
        "gluteal__right": {"pain": 3, "symptoms": ["numbness"]},
    }
    response = client.post(step_url(cast.client, "body"), body_data(numb))
    assert response["Location"].endswith("/body/?raised=1")
    assert "emergency department now" in client.get(response["Location"]).content.decode()
