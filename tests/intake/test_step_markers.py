"""A finished intake step stays marked finished when a late autosave of the same answers lands."""

import re

from bodymap.intake.links import intake_path
from bodymap.intake.models import Intake
from tests.intake.helpers import step_url

ABOUT = {"first_name": "Sam", "last_name": "Rivera", "phone": "416-555-0123"}


def _done(cast):
    return Intake.objects.get(client=cast.client).draft["done"]


def test_it_keeps_a_step_done_when_its_autosave_lands_after_save_and_continue(client, cast):
    client.get(intake_path(cast.client))
    response = client.post(step_url(cast.client, "about"), ABOUT)
    assert response.status_code == 302
    # The autosave the browser sent just before the click arrives second.
    late = client.post(step_url(cast.client, "about"), {**ABOUT, "autosave": "1"}, HTTP_HX_REQUEST="true")
    assert late.status_code == 204
    assert "about" in _done(cast)
    page = client.get(step_url(cast.client, "health")).content.decode()
    assert page.count('class="is-done"') == 1


def test_it_marks_a_step_undone_when_an_autosave_makes_it_invalid(client, cast):
    client.get(intake_path(cast.client))
    client.post(step_url(cast.client, "about"), ABOUT)
    client.post(
        step_url(cast.client, "about"), {**ABOUT, "first_name": "", "autosave": "1"}, HTTP_HX_REQUEST="true"
    )
    assert "about" not in _done(cast)


def test_an_autosave_never_marks_an_unfinished_step_done(client, cast):
    client.get(intake_path(cast.client))
    client.post(step_url(cast.client, "about"), {**ABOUT, "autosave": "1"}, HTTP_HX_REQUEST="true")
    assert "about" not in _done(cast)


def test_it_offers_each_region_only_the_symptoms_felt_there(client, cast):
    client.get(intake_path(cast.client))
    page = client.get(step_url(cast.client, "body")).content.decode()
    assert 'name="jaw__left__symptoms" value="clenching"' in page
    assert 'name="foot__left__symptoms" value="clenching"' not in page
    assert 'name="foot__left__symptoms" value="numbness"' in page


def test_it_opens_the_number_pad_for_phones_and_the_email_keyboard_for_email(client, cast):
    client.get(intake_path(cast.client))
    page = client.get(step_url(cast.client, "about")).content.decode()
    assert re.search(r'<input type="tel" name="phone"[^>]*autocomplete="tel"', page)
    assert re.search(r'<input type="tel" name="emergency_contact_phone"', page)
    assert re.search(r'<input type="email" name="email"[^>]*autocomplete="email"', page)
