"""The body map on a phone: every place is big enough to tap (WCAG 2.5.8, 24 × 24 px), and the
place just tapped stays on screen with its name while it is rated."""

import pytest
from playwright.sync_api import expect

from bodymap.clients.models import Client
from bodymap.demo import practice as demo
from bodymap.intake.links import intake_path
from tests.browser.axe import assert_accessible
from tests.browser.conftest import PHONE, browser_test
from tests.browser.test_intake_journey import answer_no_to_everything

pytestmark = browser_test


@pytest.fixture
def newcomer(db):
    demo.load()
    return Client.objects.get(email="lucia.moreno@example.com")


def to_body_map(page, client):
    page.goto(intake_path(client))
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", name="Health history")).to_be_visible()
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", name="Safety questions")).to_be_visible()
    answer_no_to_everything(page)
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", name="Where it hurts")).to_be_visible()


def small_targets(page, view):
    """Shapes of the shown view smaller than 24 × 24 CSS pixels, with their size."""
    return page.evaluate(
        """view => Array.from(document.querySelectorAll('.figure--' + view + ' [data-key]')).map(s => {
            const r = s.getBoundingClientRect();
            return [s.dataset.key, Math.round(r.width * 10) / 10, Math.round(r.height * 10) / 10];
        }).filter(([, w, h]) => w < 24 || h < 24)""",
        view,
    )


# Whether the entry's name (its tick box label) lies wholly inside the viewport, below the top bar.
NAME_ON_SCREEN = """key => {
    const item = document.querySelector('.region-item[data-key="' + key + '"]');
    const r = item.querySelector('.region-item__toggle').getBoundingClientRect();
    const bar = document.querySelector('.topbar');
    const top = bar && getComputedStyle(bar).position === 'sticky' ? bar.getBoundingClientRect().bottom : 0;
    return r.top >= top && r.bottom <= window.innerHeight;
}"""


def test_it_gives_every_place_on_the_map_a_target_a_finger_can_hit(page_factory, newcomer):
    page = page_factory(PHONE)
    to_body_map(page, newcomer)
    assert small_targets(page, "front") == []
    page.locator("label[for=view-back]").click()
    expect(page.locator(".figure--back")).to_be_visible()
    assert small_targets(page, "back") == []
    assert_accessible(page)


def test_it_keeps_the_place_being_rated_in_view_after_each_tap(page_factory, newcomer, screenshot):
    page = page_factory(PHONE)
    to_body_map(page, newcomer)
    for view, key in (
        ("front", "knee__right"),
        ("front", "shoulder__left"),
        ("back", "low_back__mid"),
        ("back", "calf__left"),
    ):
        if view == "back":
            page.locator("label[for=view-back]").click()
        else:
            page.locator("label[for=view-front]").click()
        shape = page.locator(f'.figure--{view} [data-key="{key}"]')
        shape.scroll_into_view_if_needed()
        shape.click()
        expect(page.locator(f"#id_{key}__on")).to_be_checked()
        # The smooth scroll settles; then the name of the place is on screen.
        page.wait_for_function(NAME_ON_SCREEN, arg=key, timeout=15_000)
        page.wait_for_timeout(400)
        assert page.evaluate(NAME_ON_SCREEN, key), key
        expect(page.locator(f"#id_{key}__pain")).to_be_in_viewport()
    screenshot(page, "intake-body-map-phone-rating", full_page=False)
