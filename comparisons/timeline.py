"""
The timeline picture: one lane per treatment on a shared time axis, drawn on
the server as inline SVG (see templates/comparisons/includes/timeline.svg).

The axis runs from the day of treatment to two years on a logarithmic scale,
log(1 + days), so that "day 2" and "month 12" are both readable. Every mark
is labelled in words, and the same facts are in the table and in the
picture's description for screen readers.
"""

import math
from dataclasses import dataclass, field

from treatments.formatting import format_days
from treatments.models import SessionPlan

WIDTH = 760
LEFT = 16
RIGHT = WIDTH - 16
AXIS_DAYS = 730  # two years: "a year and beyond"
TOP = 44  # room for the axis labels
LANE_TITLE = 26
ROW = 32
LANE_GAP = 14
TICKS = [
    (0, "Day 0"),
    (2, "2 days"),
    (7, "1 week"),
    (30, "1 month"),
    (91, "3 months"),
    (182, "6 months"),
    (365, "1 year"),
    (730, "2 years"),
]


def x_of(days):
    days = max(0, min(days, AXIS_DAYS))
    return round(LEFT + (RIGHT - LEFT) * math.log1p(days) / math.log1p(AXIS_DAYS), 1)


@dataclass
class Mark:
    kind: str  # CSS class: sessions, procedure, daily-activities, exercise, …
    label: str
    low: int
    high: int
    lighter_to: int | None = None  # a range's uncertain end, drawn lighter
    y: float = 0

    @property
    def x1(self):
        return x_of(self.low)

    @property
    def x2(self):
        return x_of(self.high)

    @property
    def x_lighter(self):
        return x_of(self.lighter_to) if self.lighter_to is not None else None

    @property
    def label_y(self):
        return round(self.y + 12, 1)

    @property
    def bar_y(self):
        return round(self.y + 17, 1)

    @property
    def centre_y(self):
        return round(self.y + 22, 1)

    @property
    def bar_width(self):
        return round(max(self.x2 - self.x1, 2), 1)

    @property
    def lighter_width(self):
        return round(self.x_lighter - self.x2, 1) if self.x_lighter is not None else 0

    @property
    def is_point(self):
        return self.high == self.low and self.lighter_to is None

    @property
    def label_x(self):
        # Labels sit above their mark; past the middle, they end at its end.
        return self.end_x if self.label_anchor == "end" else max(self.x1, LEFT)

    @property
    def end_x(self):
        return max(self.x2, self.x_lighter or 0)

    @property
    def label_anchor(self):
        return "end" if self.x1 > (LEFT + RIGHT) / 2 else "start"


@dataclass
class Lane:
    name: str
    y: float
    marks: list = field(default_factory=list)

    @property
    def name_y(self):
        return self.y + 17

    @property
    def rule_y(self):
        return self.y - LANE_GAP / 2

    @property
    def height(self):
        return LANE_TITLE + ROW * len(self.marks)


def session_mark(treatment):
    plan = getattr(treatment, "session_plan", None)
    kind = plan.kind if plan is not None else SessionPlan.Kind.NOT_STATED
    if kind == SessionPlan.Kind.NONE:
        return None
    if kind == SessionPlan.Kind.COURSE:
        count = plan.sessions_max or plan.sessions_typical
        low_gap, high_gap = plan.interval_min_days, plan.interval_max_days
        if count and low_gap is not None and high_gap is not None and count > 1:
            return Mark(
                "sessions",
                f"Course of sessions: {plan.sessions_summary.lower()}, "
                f"{plan.interval_summary.lower()}; the last on "
                f"{format_days((count - 1) * low_gap, (count - 1) * high_gap)}",
                0,
                (count - 1) * low_gap,
                lighter_to=(count - 1) * high_gap,
            )
        return Mark(
            "sessions", f"Course of sessions: {plan.sessions_summary.lower()}", 0, 0
        )
    if kind == SessionPlan.Kind.SINGLE:
        return Mark("procedure", "A single procedure", 0, 0)
    return Mark("procedure", "Treatment (number of sessions not stated)", 0, 0)


def build_timeline(treatments):
    lanes, y = [], TOP
    for treatment in treatments:
        lane = Lane(treatment.name, y)
        first = session_mark(treatment)
        if first is not None:
            lane.marks.append(first)
        for milestone in treatment.milestones.all():
            lane.marks.append(
                Mark(
                    milestone.kind,
                    f"{milestone.get_kind_display()}: "
                    f"{format_days(milestone.days_min, milestone.days_max)}",
                    milestone.days_min,
                    milestone.days_max,
                )
            )
        if not lane.marks:
            lane.marks.append(
                Mark("none", "No procedure, so nothing to recover from", 0, 0)
            )
        for index, mark in enumerate(lane.marks):
            mark.y = y + LANE_TITLE + ROW * index
        lanes.append(lane)
        y += lane.height + LANE_GAP
    height = y + 4
    return {
        "width": WIDTH,
        "height": height,
        "axis_y": TOP - 12,
        "ticks": [
            {
                "x": x_of(days),
                "label": label,
                "anchor": "start"
                if index == 0
                else "end"
                if index == len(TICKS) - 1
                else "middle",
            }
            for index, (days, label) in enumerate(TICKS)
        ],
        "lanes": lanes,
        "description": describe(lanes),
    }


def describe(lanes):
    parts = [
        "One lane per treatment, on a time axis from the day of treatment to two "
        "years, stretched at the start so that days and months can both be read."
    ]
    for lane in lanes:
        parts.append(
            f"{lane.name}: " + "; ".join(mark.label for mark in lane.marks) + "."
        )
    return " ".join(parts)
