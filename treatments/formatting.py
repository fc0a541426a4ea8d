"""Words for figures, shared by pages, the comparison and its timeline."""


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
