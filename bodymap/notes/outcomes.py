"""Whether a client is getting better: the meaningful-change rules, in plain Python.

Pain (0-10 numeric rating): a change of 2 points, or of 30% from the first rating, is clinically
meaningful (Farrar 2001; Ostelo 2008). Patient-Specific Functional Scale (0-10 per activity, higher is
better): 2 points (Abbott & Schmitt 2014 give 1.3 small, 2.3 medium, 2.7 large; 2 is Bodymap's line).
"""

from dataclasses import dataclass

PAIN_POINTS = 2
PAIN_SHARE = 0.30
PSFS_POINTS = 2

_NUMBERS = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]


@dataclass(frozen=True)
class Change:
    first: int
    last: int
    sessions: int
    meaningful: bool
    direction: str  # "better", "worse" or "same"
    threshold: float  # the value the last rating must reach for a meaningful improvement

    @property
    def delta(self) -> int:
        return self.last - self.first


def pain_change(ratings: list[int]) -> Change | None:
    """Compare the last pain rating with the first. Lower is better."""
    if not ratings:
        return None
    first, last = ratings[0], ratings[-1]
    drop = first - last
    needed = min(PAIN_POINTS, PAIN_SHARE * first) if first > 0 else PAIN_POINTS
    meaningful = len(ratings) > 1 and abs(drop) >= needed and drop != 0
    direction = "better" if drop > 0 else "worse" if drop < 0 else "same"
    return Change(first, last, len(ratings), meaningful, direction, threshold=max(first - needed, 0))


def psfs_change(scores: list[int]) -> Change | None:
    """Compare the last functional score with the first. Higher is better."""
    if not scores:
        return None
    first, last = scores[0], scores[-1]
    gain = last - first
    meaningful = len(scores) > 1 and abs(gain) >= PSFS_POINTS
    direction = "better" if gain > 0 else "worse" if gain < 0 else "same"
    return Change(first, last, len(scores), meaningful, direction, threshold=min(first + PSFS_POINTS, 10))


def _sessions(n: int) -> str:
    word = _NUMBERS[n] if n < len(_NUMBERS) else str(n)
    return f"{word} session" if n == 1 else f"{word} sessions"


def _summary(subject: str, change: Change, up: str, down: str, baseline: bool = False) -> str:
    # With the intake's rating as the first point, that point is not a session.
    over = _sessions(change.sessions - 1) + " since the intake" if baseline else _sessions(change.sessions)
    if change.direction == "same":
        return f"{subject} is unchanged at {change.last} out of 10 over {over}."
    verb = up if change.last > change.first else down
    if not change.meaningful:
        verdict = "not yet a meaningful change"
    else:
        verdict = "a meaningful improvement" if change.direction == "better" else "a meaningful worsening"
    return f"{subject} has {verb} from {change.first} to {change.last} over {over} — {verdict}."


def pain_summary(where: str, change: Change | None, baseline: bool = False) -> str:
    """E.g. "Pain in the low back has fallen from 7 to 3 over five sessions — a meaningful improvement".
    `baseline`: the first rating is the one the client gave on the intake."""
    if change is None:
        return f"No pain ratings for the {where} yet."
    if change.sessions == 1:
        when = "on the intake" if baseline else "at the first session"
        return f"Pain in the {where} was {change.first} out of 10 {when}."
    return _summary(f"Pain in the {where}", change, up="risen", down="fallen", baseline=baseline)


def psfs_summary(activity: str, change: Change | None) -> str:
    if change is None:
        return f"No ratings for “{activity}” yet."
    if change.sessions == 1:
        return f"“{activity}” was rated {change.first} out of 10 at the first session."
    return _summary(f"“{activity}”", change, up="risen", down="fallen")
