"""Browser tests: Debian's Chromium driven by Playwright against a live Bodymap server."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.servers.basehttp import WSGIServer
from django.test.testcases import LiveServerThread

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[1] / "artifacts" / "screenshots"
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 860}

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make to set
# up data are ordinary synchronous calls and safe there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


class OneRequestAtATime(WSGIServer):
    """The live server answers requests one after another. On the in-memory SQLite test database
    every server thread shares the test's one connection, so an autosave racing a form post would
    collide inside it ("cannot start a transaction within a transaction"); a real deployment gives
    each worker its own connection."""

    def __init__(self, *args, connections_override=None, **kwargs):
        super().__init__(*args, **kwargs)


LiveServerThread.server_class = OneRequestAtATime

# Transactional tests empty the tables after each test. Append-only tables refuse deletion by design,
# so their apps are left out of the tables these tests may empty.
APPEND_ONLY_APPS = {
    "bodymap.audit",
    "bodymap.consent",
    "bodymap.notes",
    "bodymap.safety",
    "bodymap.billing",
}
APPS = [app for app in settings.INSTALLED_APPS if app not in APPEND_ONLY_APPS]
browser_test = [pytest.mark.browser, pytest.mark.django_db(transaction=True, available_apps=APPS)]

_skipped = []


@pytest.fixture(scope="session")
def browser():
    if not os.access(CHROMIUM, os.X_OK):
        message = f"NO CHROMIUM AT {CHROMIUM}: BROWSER TESTS DID NOT RUN (apt-get install chromium)"
        if os.environ.get("BODYMAP_REQUIRE_BROWSER") == "1":
            pytest.fail(message + " and BODYMAP_REQUIRE_BROWSER=1", pytrace=False)
        _skipped.append(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page_factory(browser, live_server):
    contexts = []

    def new_page(viewport=DESKTOP):
        context = browser.new_context(viewport=viewport, base_url=live_server.url)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield new_page
    for context in contexts:
        context.close()


@pytest.fixture
def screenshot():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name, full_page=True):
        # Every page a browser test shows is also checked with axe-core.
        from tests.browser.axe import assert_accessible

        assert_accessible(page)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        assert path.stat().st_size > 5_000, f"{name}.png looks empty"
        return path

    return take


def pytest_terminal_summary(terminalreporter):
    if _skipped:
        terminalreporter.write_sep("!", _skipped[0], red=True, bold=True)
