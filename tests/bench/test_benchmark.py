"""Reading plans and pages, settings, and the report's flags: no database."""

import pytest

from bench import benchmark
from bench.catalogue import Catalogue

POSTGRES_PLAN = [
    "Limit  (cost=0.28..60.35 rows=12 width=900)",
    "  ->  Nested Loop Semi Join  (cost=0.28..400.1 rows=80 width=900)",
    "        ->  Index Scan using treatment_catalogue_idx on treatments_treatment",
    "        ->  Bitmap Index Scan on treatments_treatedarea_body_area_id_1a2b",
    "        ->  Seq Scan on treatments_sessionplan  (cost=0.00..20.00 rows=1000)",
]
SQLITE_PLAN = [
    "SCAN treatments_treatment USING INDEX sqlite_autoindex_treatments_treatment_1",
    "CORRELATED SCALAR SUBQUERY 3",
    "SEARCH U0 USING COVERING INDEX sqlite_autoindex_treatedarea_1 (treatment_id=?)",
    "SCAN CONSTANT ROW",
]


def test_plan_summary():
    assert benchmark.plan_summary(POSTGRES_PLAN) == (
        "indexes: treatment_catalogue_idx, treatments_treatedarea_body_area_id_1a2b; "
        "read whole: treatments_sessionplan"
    )
    assert benchmark.plan_summary(SQLITE_PLAN) == (
        "indexes: sqlite_autoindex_treatments_treatment_1, "
        "sqlite_autoindex_treatedarea_1; read whole: treatments_treatment"
    )
    assert benchmark.plan_summary([]) == "indexes: none; read whole: none"


def test_assets_of_a_page():
    html = (
        '<link rel="preload" href="/font.woff2"><link href="/s.css" rel="stylesheet">'
        '<script src="/a.js" defer></script><script>inline()</script>'
        '<script src="/a.js"></script><script src="https://cdn.example/x.js"></script>'
    )
    assert benchmark.assets_of(html) == ["/s.css", "/a.js"]


def test_percentile_interpolates_between_ranks():
    values = list(range(1, 11))
    assert benchmark.percentile(values, 50) == 5.5
    assert benchmark.percentile(values, 95) == pytest.approx(9.55)
    assert benchmark.percentile([7.0], 95) == 7.0


def test_settings_come_from_arguments_then_the_environment(monkeypatch):
    monkeypatch.setenv("BENCH_REPS", "7")
    monkeypatch.setenv("BENCH_TREATMENTS", "10,20")
    settings = benchmark.settings(treatments="1000,10000")
    assert settings["treatments"] == "1000,10000"
    assert settings["reps"] == 7
    assert settings["budget"] == 3.0


def test_page_kinds_vary_addresses():
    catalogue = Catalogue(
        treatments={f"t{n}": n for n in range(100)},
        top_areas=["legs", "arms"],
        comparisons={"four": 4, "two": 2},
        rows=0,
    )
    kinds = benchmark.page_kinds(catalogue, variants=5)
    assert kinds["filtered catalogue"][0] == (
        "/treatments/?body_area=legs&invasiveness=non-invasive"
    )
    assert len(kinds["filtered catalogue"]) == 4
    assert len(set(kinds["treatment"])) == 5
    assert kinds["curated"] == ["/compare/two/", "/compare/four/"]
    for size in (2, 4):
        urls = kinds[f"compare {size}"]
        assert len(set(urls)) == 5
        assert all(len(set(url.split("&"))) == size for url in urls)


def page(p95, html=30_000, kb=10.0, rate_ok=None):
    return {
        "cpu": p95 / 2,
        "p95": p95,
        "html": html,
        "kb": kb,
        "rate ok": rate_ok,
        "slowest": "1.0 | `SELECT 1` | indexes: none; read whole: none",
        "row": {"cold p95 ms": f"{p95:.1f}"},
    }


def test_each_size_flags_issue_5s_targets():
    pages = {"home": page(60.0, kb=51.0, rate_ok=False), "healthz": page(1.0)}
    lines = "\n".join(benchmark.size_lines(1000, pages, [0.5, 1.25]))
    assert "| home | 60.0 | ✗, ✗, ✗ |" in lines
    assert "| healthz | 1.0 | ✓, ✓, – |" in lines
    assert "missed cold p95 by home; size by home; rate by home." in lines
    assert "its measurement in process: 0.50 to 1.25." in lines


def test_growth_flags_issue_14s_targets():
    small = {"home": page(20.0), "picker": page(10.0, html=100_000), "healthz": page(1)}
    large = {
        "home": page(29.0),
        "picker": page(60.0, html=1_000_000),
        "healthz": page(9),
    }
    lines = "\n".join(benchmark.growth_lines([(1000, small, 0), (10000, large, 0)]))
    assert (
        "| home | 20.0 | 29.0 | 1.45× | 1.45× | 30.0 | 30.0 | 1.00× | ✓, ✓, ✓ |"
        in lines
    )
    assert (
        "| picker | 10.0 | 60.0 | 6.00× | 6.00× | 100.0 | 1,000.0 | 10.00× | ✗, ✗, ✗ |"
        in lines
    )
    assert "healthz" not in lines  # a reference, not a page
    assert "missed p95 by picker; p95 growth by picker; HTML growth by picker." in lines


def test_memory_growth_beyond_noise_is_missed():
    assert benchmark.memory_met({1: 50_000}, {1: 53_000})
    assert not benchmark.memory_met({1: 50_000}, {1: 60_000})
    assert not benchmark.memory_met({1: 50_000}, {2: 50_000})  # a worker replaced


def test_the_report_gives_each_catalogue_its_growth_and_its_sizes():
    def pages(p95):
        return {"home": page(p95), "healthz": page(1.0)}

    results = {
        "spread": [(1000, pages(20.0), [0.5, 0.5]), (10000, pages(22.0), [1, 1])],
        "dense": [(1000, pages(20.0), [0.5, 0.5]), (10000, pages(40.0), [1, 1])],
    }
    densest = {
        "spread": [(1000, "Bench area 05", 302), (10000, "Bench area 06", 2872)],
        "dense": [(1000, "Legs", 615), (10000, "Legs", 5996)],
    }
    report = benchmark.render(
        benchmark.settings(),
        {"date": "today"},
        results,
        ({1: 50_000}, {1: 50_000}, 100),
        [("dense", "/treatments/?body_area=thighs", [("SELECT 1", ["Result"])])],
        densest,
    )
    for name in ("spread", "dense"):
        assert f"## 1,000 against 10,000 treatments, {name} catalogue" in report
        for size in ("1,000", "10,000"):
            assert f"## {size} treatments, {name} catalogue" in report
    assert "| home | 20.0 | 40.0 | 2.00× |" in report  # the dense one's growth
    assert "(largest area: Legs takes in 615 at 1,000; Legs takes in 5,996" in report
    assert "60% of treatments for the thighs" in report
    assert (
        "## EXPLAIN of /treatments/?body_area=thighs at 10,000 treatments, dense"
        in (report)
    )


def test_cold_requests_take_turns_between_the_sizes(monkeypatch):
    """Each size's next request follows the other's, so that the machine's
    drift over a run reaches both alike; each goes through its own
    addresses in turn, on its own connection, with every cache emptied."""
    made = []
    switched_to = []
    monkeypatch.setattr(benchmark.common, "use", switched_to.append)
    monkeypatch.setattr(benchmark, "clear_caches", lambda: made.append("cleared"))
    site = benchmark.InProcess.__new__(benchmark.InProcess)
    site.settings = {"reps": 3, "budget": 100.0}
    site.get = lambda url: made.append((switched_to[-1], url))
    timed = site.timed({1000: ("small", ["/a", "/b"]), 10000: ("large", ["/c"])}, True)
    assert made == [
        "cleared", ("small", "/a"), "cleared", ("large", "/c"),
        "cleared", ("small", "/b"), "cleared", ("large", "/c"),
        "cleared", ("small", "/a"), "cleared", ("large", "/c"),
    ]  # fmt: skip
    assert [len(timed[size][0]) for size in (1000, 10000)] == [3, 3]
    assert [len(timed[size][1]) for size in (1000, 10000)] == [3, 3]
