import os
from datetime import datetime

# The suite runs with development settings (no HTTPS redirect, a throwaway key) unless a test
# deliberately builds production settings in a subprocess.
os.environ.setdefault("BODYMAP_ENV", "development")
os.environ.pop("DEBUG", None)


def pytest_configure(config):
    # BODYMAP_TEST_NOW=2026-11-29T23:30:00-05:00 runs the whole suite (live server included) as if the
    # clock read that instant and went on ticking: the way to prove no test depends on the hour, the
    # day of the week or a clock change.
    when = os.environ.get("BODYMAP_TEST_NOW")
    if not when:
        return
    instant = datetime.fromisoformat(when)
    if instant.tzinfo is None:
        raise SystemExit("BODYMAP_TEST_NOW needs a UTC offset, e.g. 2026-11-29T23:30:00-05:00")
    import time_machine

    config._bodymap_clock = time_machine.travel(instant, tick=True)
    config._bodymap_clock.start()
