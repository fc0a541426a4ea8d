"""The timeline's scale and marks, without a page around them."""

import pytest

from comparisons.timeline import (
    AXIS_DAYS,
    LABEL_CHARACTER,
    LEFT,
    RIGHT,
    build_timeline,
    x_of,
)
from tests.factories import make_treatment

pytestmark = pytest.mark.django_db


def test_scale_keeps_day_two_and_month_twelve_readable():
    axis = RIGHT - LEFT
    # Day 2 sits well clear of day 0, and a year well clear of the end.
    assert x_of(2) - x_of(0) > 0.15 * axis
    assert x_of(AXIS_DAYS) - x_of(365) > 0.08 * axis
    # Monotonic, clamped at both ends.
    points = [x_of(d) for d in (0, 1, 2, 7, 14, 30, 91, 182, 365, 730)]
    assert points == sorted(points)
    assert x_of(-5) == x_of(0) == LEFT
    assert x_of(10_000) == x_of(AXIS_DAYS) == RIGHT


def test_a_course_is_drawn_from_its_typical_count_with_the_range_as_a_range():
    treatment = make_treatment(
        plan={
            "kind": "course",
            "sessions_min": 3,
            "sessions_max": 8,
            "sessions_typical": 5,
            "interval_min_days": 7,
            "interval_max_days": 14,
        }
    )
    (lane,) = build_timeline([treatment])["lanes"]
    course = lane.marks[0]
    # Five sessions a week or two apart: the last on days 28 to 56 ...
    assert (course.low, course.high, course.lighter_to) == (0, 28, 56)
    # ... and with three to eight, from day 14 to day 98: a thin line.
    assert (course.range_low, course.range_high) == (14, 98)
    # In the phrase every page uses; when the last session falls, in the note.
    assert course.label == "Sessions: 3–8, typically 5, every 1–2 weeks"
    assert course.when == "about days 0–56 (0–8 weeks)"
    assert (
        "worked out from five sessions 7 to 14 days apart: days 28–56 (4–8 weeks)"
        in course.note
    )
    assert "with three to eight sessions, the thin line: days 14–98" in course.note


def test_a_course_is_drawn_as_a_range_to_its_last_session():
    treatment = make_treatment(
        plan={
            "kind": "course",
            "sessions_typical": 10,
            "interval_min_days": 7,
            "interval_max_days": 14,
        }
    )
    (lane,) = build_timeline([treatment])["lanes"]
    course = lane.marks[0]
    assert (course.low, course.high, course.lighter_to) == (0, 63, 126)
    assert not course.is_point
    assert course.x1 < course.x2 < course.x_lighter


def test_milestones_keep_their_ranges_and_points():
    treatment = make_treatment(plan={"kind": "single"})
    for order, (low, high) in enumerate([(2, 3), (365, 365)], start=1):
        treatment.milestones.create(
            order=order,
            kind="daily-activities" if order == 1 else "final-result",
            days_min=low,
            days_max=high,
            wording="w",
            source=treatment.source,
            source_location="p",
        )
    (lane,) = build_timeline([treatment])["lanes"]
    procedure, daily, final = lane.marks
    assert procedure.is_point and procedure.label == "A single procedure"
    # The questions everyone asks that its source does not answer: said once.
    assert lane.unsaid == ["back to exercise", "first visible results"]
    assert lane.unsaid_text == (
        "The source does not say: back to exercise, first visible results."
    )
    assert daily.label == "Back to daily activities: w"
    assert not daily.is_point and daily.x2 > daily.x1
    assert final.is_point
    assert final.label_anchor == "end"  # late marks are labelled to their left
    assert daily.label_anchor == "start"


def test_a_long_label_is_moved_in_to_stay_inside_the_drawing():
    treatment = make_treatment(plan={"kind": "single"})
    treatment.milestones.create(
        order=1,
        kind="exercise",
        days_min=14,
        days_max=21,
        wording="after a couple of weeks, once the incisions have healed more",
        source=treatment.source,
        source_location="p",
    )
    (lane,) = build_timeline([treatment])["lanes"]
    exercise = lane.marks[-1]
    assert exercise.label_anchor == "start"
    # It would run past the right edge from its mark, so it starts before it.
    width = len(exercise.label) * LABEL_CHARACTER
    assert exercise.x1 + width > RIGHT
    assert exercise.label_x == round(RIGHT - width, 1) < exercise.x1
    # A short one stays where it was: at its mark.
    assert lane.marks[0].label_x == max(lane.marks[0].x1, LEFT)


def test_lanes_stack_without_overlap():
    treatments = [make_treatment(), make_treatment(), make_treatment()]
    timeline = build_timeline(treatments)
    lanes = timeline["lanes"]
    for upper, lower in zip(lanes, lanes[1:], strict=False):
        assert lower.y >= upper.y + upper.height
    assert timeline["height"] > lanes[-1].y + lanes[-1].height - 1
