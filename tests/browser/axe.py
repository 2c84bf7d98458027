"""axe-core in the browser tests: a page that a test visits has no critical or serious violation.

axe-playwright-python bundles axe.min.js, so nothing is fetched; the script is evaluated through
Playwright, outside the page's Content Security Policy.
"""

from axe_playwright_python.sync_playwright import Axe

BLOCKING = ("critical", "serious")
_axe = Axe()


def violations(page) -> list[dict]:
    """axe-core's critical and serious violations on the page as it is now."""
    results = _axe.run(page)
    return [v for v in results.response["violations"] if v.get("impact") in BLOCKING]


def describe(found: list[dict]) -> str:
    lines = []
    for v in found:
        lines.append(f"{v['impact']}: {v['id']} — {v['help']}")
        for node in v["nodes"][:5]:
            lines.append(f"    {', '.join(map(str, node['target']))}: {node.get('failureSummary', '')[:200]}")
    return "\n".join(lines)


def assert_accessible(page):
    """Fails with each critical or serious axe-core violation, and where it is."""
    found = violations(page)
    assert not found, f"axe-core on {page.url}:\n" + describe(found)
