"""Words for figures, shared by pages, the comparison and its timeline."""

NUMBER_WORDS = "zero one two three four five six seven eight nine ten".split()


def sentence_case(text):
    return text[:1].upper() + text[1:]


def in_sentence(text):
    """Text as it reads after other words: "After a couple of days" becomes
    "after a couple of days", "Mesotherapy" "mesotherapy". A first word
    with capitals after its first letter ("IPL", "CoolSculpting") is a name
    and keeps them."""
    first = text.split(" ", 1)[0]
    if first[1:] != first[1:].lower():
        return text
    return text[:1].lower() + text[1:]


def in_words(number):
    """Numbers up to ten in words, as in running text; larger ones in
    figures."""
    return NUMBER_WORDS[number] if 0 <= number < len(NUMBER_WORDS) else str(number)


def _unit(count, one, many):
    return f"{count} {one if count == 1 else many}"


def format_days(low, high):
    """A day range in words: "day 365 (12 months)", "days 14–21 (2–3 weeks)"."""
    text = f"day {low}" if low == high else f"days {low}–{high}"
    if high >= 60:
        low_m, high_m = round(low / 30.4), round(high / 30.4)
        if low == 0 and low != high:
            span = f"up to {_unit(high_m, 'month', 'months')}"
        elif low_m == high_m:
            span = _unit(high_m, "month", "months")
        else:
            span = f"{low_m}–{high_m} months"
        text += f" ({span})"
    elif high >= 14 and low % 7 == 0 and high % 7 == 0:
        low_w, high_w = low // 7, high // 7
        span = (
            _unit(high_w, "week", "weeks")
            if low_w == high_w
            else f"{low_w}–{high_w} weeks"
        )
        text += f" ({span})"
    return text


def sessions_summary(plan):
    """The number of sessions in figures, or "" where the source is silent."""
    if plan.kind in (plan.Kind.SINGLE, plan.Kind.NONE):
        return plan.get_kind_display()
    if plan.kind != plan.Kind.COURSE:
        return ""
    parts = []
    if plan.sessions_min is not None and plan.sessions_max is not None:
        parts.append(f"{plan.sessions_min}–{plan.sessions_max} sessions")
    elif plan.sessions_max is not None:
        parts.append(f"up to {plan.sessions_max} sessions")
    if plan.sessions_typical is not None:
        parts.append(f"typically {plan.sessions_typical}")
    text = ", ".join(parts)
    return text[:1].upper() + text[1:]


def interval_summary(plan):
    """ "Every 7–14 days", or "" where the source is silent."""
    low, high = plan.interval_min_days, plan.interval_max_days
    if low is None and high is None:
        return ""
    if low is None or high is None or low == high:
        return f"Every {low if high is None else high} days"
    return f"Every {low}–{high} days"


def results_summary(plan):
    """ "After 2–3 sessions", or "" where the source is silent."""
    low, high = plan.results_after_min, plan.results_after_max
    if low is None and high is None:
        return ""
    if low is None or high is None or low == high:
        count = low if high is None else high
        return f"After {_unit(count, 'session', 'sessions')}"
    return f"After {low}–{high} sessions"


# Short forms, for the few words a comparison leads with.


def _range(low, high):
    return str(low) if low == high else f"{low}–{high}"


def sessions_short(plan):
    """ "About 10", "3–8, typically 5", "A single procedure"; "" where the
    source is silent."""
    if plan is None:
        return ""
    if plan.kind in (plan.Kind.SINGLE, plan.Kind.NONE):
        return plan.get_kind_display()
    if plan.kind != plan.Kind.COURSE:
        return ""
    low, high, typical = plan.sessions_min, plan.sessions_max, plan.sessions_typical
    if low is not None and high is not None:
        text = _range(low, high)
    elif high is not None:
        text = f"up to {high}"
    else:
        text = ""
    if typical is not None:
        text = f"{text}, typically {typical}" if text else f"about {typical}"
    return text[:1].upper() + text[1:]


def sessions_phrase(plan):
    """How many sessions and how often, in the one phrase every page uses
    (card, page, table, timeline, key differences): "About 10, weekly or
    every two weeks", with the source's words for how often where it has
    them; "" where the source is silent."""
    count = sessions_short(plan)
    if not count:
        return ""
    how_often = (
        in_sentence(plan.interval_wording)
        if plan.interval_wording
        else interval_short(plan)
    )
    return f"{count}, {how_often}" if how_often else count


def days_after(low, high, *, course):
    """Where a figure sits on the timeline, in words: "days 2–3 after the
    procedure", "days 7–28 (1–4 weeks) after the first session"."""
    after = "the first session" if course else "the procedure"
    return f"{format_days(low, high)} after {after}"


def interval_short(plan):
    """ "every 1–2 weeks", "every 3 days"; "" where the source is silent."""
    if plan is None:
        return ""
    low, high = plan.interval_min_days, plan.interval_max_days
    if low is None and high is None:
        return ""
    low, high = (
        (high, high) if low is None else (low, low) if high is None else (low, high)
    )
    if low % 7 == 0 and high % 7 == 0 and low:
        weeks = _range(low // 7, high // 7)
        return "every week" if weeks == "1" else f"every {weeks} weeks"
    return "every day" if high == 1 else f"every {_range(low, high)} days"
