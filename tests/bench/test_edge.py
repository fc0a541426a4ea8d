"""The bench's edge section (bench/edge.py): its report, no database."""

from bench import edge

SETTINGS = {"connections": 16, "rate_rounds": 3, "rate_seconds": 3}


def figures(origin, at_edge):
    return {
        "path": "/compare/?treatments=a&treatments=b",
        "origin": origin,
        "edge": at_edge,
        "hits": 0.999,
        "costs": {"cached 200": (1, 0.61), "304": (1, 0.42)},
        "304 rate": 1800.0,
        "saves": [40.0, 55.0, 38.0],
    }


def test_the_report_flags_the_target():
    text = "\n".join(edge.lines(figures(1000.0, 12000.0), SETTINGS))
    assert "| the edge against the origin | 12.0× (target at least 10×: ✓) |" in text
    assert "| the same through Varnish, req/s | 12,000 (99.9% edge hits) |" in text
    assert "| a 304 at the origin in process: queries, ms p50 | 1, 0.42 |" in text
    assert "ms p50 / max of 3 | 40 / 55 |" in text
    missed = "\n".join(edge.lines(figures(1000.0, 9000.0), SETTINGS))
    assert "9.0× (target at least 10×: ✗)" in missed
