"""The meaningful-change rules on worked examples (Farrar 2001; Abbott & Schmitt 2014)."""

import pytest

from bodymap.notes.outcomes import pain_change, pain_summary, psfs_change, psfs_summary


@pytest.mark.parametrize(
    ("ratings", "meaningful", "direction"),
    [
        ([7, 6, 5, 4, 3], True, "better"),  # 4 points
        ([7, 6], False, "better"),  # 1 point and 14%: not enough
        ([7, 5], True, "better"),  # 2 points
        ([3, 2], True, "better"),  # 1 point is 33% of 3
        ([10, 8], True, "better"),  # 2 points (20%)
        ([6, 6, 6], False, "same"),
        ([4, 6], True, "worse"),  # worsening counts the same way
        ([0, 1], False, "worse"),  # from 0, only the 2-point rule applies
        ([5], False, "same"),  # one rating: nothing to compare yet
    ],
)
def test_it_applies_two_points_or_thirty_percent_for_pain(ratings, meaningful, direction):
    change = pain_change(ratings)
    assert change.meaningful is meaningful
    assert change.direction == direction


@pytest.mark.parametrize(
    ("scores", "meaningful"), [([3, 5], True), ([3, 4], False), ([8, 6], True), ([4, 4], False)]
)
def test_it_applies_two_points_for_the_functional_scale(scores, meaningful):
    assert psfs_change(scores).meaningful is meaningful


def test_it_words_the_summary_as_the_issue_describes():
    assert pain_summary("low back", pain_change([7, 6, 5, 4, 3])) == (
        "Pain in the low back has fallen from 7 to 3 over five sessions — a meaningful improvement."
    )
    assert pain_summary("neck", pain_change([5, 4])) == (
        "Pain in the neck has fallen from 5 to 4 over two sessions — not yet a meaningful change."
    )
    assert psfs_summary("Sitting through a meeting", psfs_change([3, 6, 7])) == (
        "“Sitting through a meeting” has risen from 3 to 7 over three sessions — a meaningful improvement."
    )
    assert pain_summary("jaw", None) == "No pain ratings for the jaw yet."


def test_it_marks_where_a_meaningful_improvement_starts():
    assert pain_change([8, 7]).threshold == 6
    assert pain_change([3, 3]).threshold == pytest.approx(2.1)
    assert psfs_change([4, 4]).threshold == 6
