"""Percentiles and summaries of timings: pure, no Django."""

import math


def percentile(values, p):
    """The p-th percentile (0 to 100) of `values`, interpolating linearly
    between the two nearest ranks (numpy's default, and Excel's PERCENTILE).

    Raises ValueError for no values or a p outside 0 to 100.
    """
    if not 0 <= p <= 100:
        raise ValueError(f"percentile must be from 0 to 100, not {p}")
    ordered = sorted(values)
    if not ordered:
        raise ValueError("no values")
    rank = (len(ordered) - 1) * p / 100
    low = math.floor(rank)
    high = math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def summarise(values, points=(50, 95, 99)):
    """{"n": count, "max": largest, 50: p50, 95: p95, ...}; {"n": 0} if empty."""
    values = list(values)
    if not values:
        return {"n": 0}
    return {
        "n": len(values),
        "max": max(values),
        **{point: percentile(values, point) for point in points},
    }
