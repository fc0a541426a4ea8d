"""
The timeline: one lane per treatment on a shared time axis, drawn on the
server twice from the same marks: as inline SVG for wide screens
(templates/comparisons/includes/timeline.svg) and as a dated list for
narrow ones, each step with the days it falls on, where text wraps.

The axis runs from the day of treatment to two years on a logarithmic scale,
log(1 + days), so that "day 2" and "month 12" are both readable. A step is
labelled in its source's words ("Back to daily activities: after a couple
of days"), drawn where we read them to fall; how we read them is in the
notes under it. What a source gives no time for is said once under its
lane, in the site's one wording for a silence, so that silence never looks
like "no recovery needed".
"""

import math
from dataclasses import dataclass, field

from treatments.formatting import (
    format_days,
    in_sentence,
    in_words,
    sessions_phrase,
)
from treatments.models import NOT_STATED, Milestone, SessionPlan

WIDTH = 760
LEFT = 16
RIGHT = WIDTH - 16
AXIS_DAYS = 730  # two years: "a year and beyond"
TOP = 44  # room for the axis labels
LANE_TITLE = 26
ROW = 32
UNSAID = 22  # the line under a lane that says what its source does not
LANE_GAP = 14
# A label's width per character, generously: labels are 12.5 px (site.css).
LABEL_CHARACTER = 7.5
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
# The order of the rows in every lane, by when they usually come.
KIND_ORDER = [
    Milestone.Kind.DAILY_ACTIVITIES,
    Milestone.Kind.EXERCISE,
    Milestone.Kind.FIRST_RESULTS,
    Milestone.Kind.PROGRESS,
    Milestone.Kind.FINAL_RESULT,
]


def fraction(days):
    days = max(0, min(days, AXIS_DAYS))
    return math.log1p(days) / math.log1p(AXIS_DAYS)


def x_of(days):
    return round(LEFT + (RIGHT - LEFT) * fraction(days), 1)


@dataclass
class Mark:
    kind: str  # CSS class: sessions, procedure, daily-activities, exercise, …
    label: str
    low: int
    high: int
    lighter_to: int | None = None  # a range's uncertain end, drawn lighter
    range_low: int | None = None  # a wider range, drawn as a thin line
    range_high: int | None = None
    note: str = ""  # how we read or worked out the figure
    y: float = 0

    @property
    def when(self):
        """The days it falls on, for the dated list: "about days 2–3" (ours,
        read from the source's words: the notes say how)."""
        if self.kind in ("none", "procedure"):
            return ""
        end = self.lighter_to if self.lighter_to is not None else self.high
        return f"{'about ' if self.note else ''}{format_days(self.low, end)}"

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
    def range_x1(self):
        return x_of(self.range_low) if self.range_low is not None else None

    @property
    def range_x2(self):
        return x_of(self.range_high) if self.range_high is not None else None

    @property
    def is_point(self):
        return self.high == self.low and self.lighter_to is None

    @property
    def label_x(self):
        """Labels sit above their mark; past the middle, they end at its
        end. One too long to fit that way is moved in, so that it stays
        inside the drawing (SVG text does not wrap)."""
        width = len(self.label) * LABEL_CHARACTER
        if self.label_anchor == "end":
            return round(max(self.end_x, min(RIGHT, LEFT + width)), 1)
        return round(max(LEFT, min(self.x1, RIGHT - width)), 1)

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
    unsaid: list = field(default_factory=list)  # steps its source gives no time for

    @property
    def name_y(self):
        return self.y + 17

    @property
    def rule_y(self):
        return self.y - LANE_GAP / 2

    @property
    def unsaid_text(self):
        """ "The source does not say: back to exercise, final result." """
        if not self.unsaid:
            return ""
        return f"{NOT_STATED}: {', '.join(self.unsaid)}."

    @property
    def unsaid_y(self):
        return self.y + LANE_TITLE + ROW * len(self.marks) + 12

    @property
    def height(self):
        return LANE_TITLE + ROW * len(self.marks) + (UNSAID if self.unsaid else 0)


def last_session(count, low_gap, high_gap):
    return (count - 1) * low_gap, (count - 1) * high_gap


def session_mark(treatment):
    """The course of sessions, in the phrase every page uses, drawn from its
    typical number (or its most, where the source gives no typical figure),
    with the range as a range. When the last session falls is ours, worked
    out: the notes say how. None where the source gives no sessions."""
    plan = getattr(treatment, "session_plan", None)
    kind = plan.kind if plan is not None else SessionPlan.Kind.NOT_STATED
    if kind == SessionPlan.Kind.NONE:
        return None
    if kind == SessionPlan.Kind.SINGLE:
        return Mark("procedure", "A single procedure", 0, 0)
    if kind != SessionPlan.Kind.COURSE:
        return Mark("procedure", "Treatment starts", 0, 0)
    label = f"Sessions: {in_sentence(sessions_phrase(plan))}"
    count = plan.sessions_typical or plan.sessions_max
    low_gap, high_gap = plan.interval_min_days, plan.interval_max_days
    if not count or count < 2 or low_gap is None or high_gap is None:
        return Mark("sessions", label, 0, 0)
    first, last = last_session(count, low_gap, high_gap)
    mark = Mark(
        "sessions",
        label,
        0,
        first,
        lighter_to=last,
        note=f"the last session worked out from {in_words(count)} sessions "
        f"{low_gap} to {high_gap} days apart: {format_days(first, last)}",
    )
    if plan.sessions_min is not None and plan.sessions_max is not None:
        mark.range_low = last_session(plan.sessions_min, low_gap, high_gap)[0]
        mark.range_high = last_session(plan.sessions_max, low_gap, high_gap)[1]
        mark.note += (
            f"; with {in_words(plan.sessions_min)} to {in_words(plan.sessions_max)} "
            f"sessions, the thin line: {format_days(mark.range_low, mark.range_high)}"
        )
    return mark


def milestone_mark(milestone):
    """A step in its source's words, drawn where we read them to fall."""
    days = format_days(milestone.days_min, milestone.days_max)
    return Mark(
        milestone.kind,
        f"{milestone.get_kind_display()}: {in_sentence(milestone.wording)}",
        milestone.days_min,
        milestone.days_max,
        note=f"{days}. {milestone.reading_note}" if milestone.reading_note else "",
    )


def row_kinds(treatments):
    """The rows every lane has: the questions everyone asks, and any other
    step a compared treatment's source gives."""
    kinds = set(Milestone.KEY_KINDS)
    for treatment in treatments:
        kinds.update(m.kind for m in treatment.milestones.all())
    return [kind for kind in KIND_ORDER if kind in kinds] + sorted(
        kinds - set(KIND_ORDER)
    )


def build_timeline(treatments):
    kinds = row_kinds(treatments)
    lanes, y = [], TOP
    for treatment in treatments:
        lane = Lane(treatment.name, y)
        if treatment.is_baseline:
            lane.marks.append(
                Mark("none", "Nothing to recover from, as there is no procedure", 0, 0)
            )
        else:
            first = session_mark(treatment)
            if first is not None:
                lane.marks.append(first)
            plan = getattr(treatment, "session_plan", None)
            if plan is None or plan.kind == SessionPlan.Kind.NOT_STATED:
                lane.unsaid.append("number of sessions")
            for kind in kinds:
                found = [m for m in treatment.milestones.all() if m.kind == kind]
                lane.marks += [milestone_mark(m) for m in found]
                if not found:
                    lane.unsaid.append(Milestone.Kind(kind).label.lower())
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
        "notes": [
            (lane.name, mark.label.split(":")[0], mark.note)
            for lane in lanes
            for mark in lane.marks
            if mark.note
        ],
        "description": describe(lanes),
    }


def describe(lanes):
    parts = [
        "One lane per treatment, on a time axis from the day of treatment to two "
        "years, stretched at the start so that days and months can both be read."
    ]
    for lane in lanes:
        marks = "; ".join(
            f"{mark.label} ({mark.when})" if mark.when else mark.label
            for mark in lane.marks
        )
        said = f"{lane.name}: {marks}."
        parts.append(f"{said} {lane.unsaid_text}" if lane.unsaid else said)
    return " ".join(parts)
