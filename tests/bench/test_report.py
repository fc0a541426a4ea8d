"""Reading EXPLAIN, finding a page's assets, and the report: no database."""

from bench import benchmark
from bench.catalogue import Catalogue
from bench.pages import PageFigures, PageKind, assets_of

POSTGRES_PLAN = [
    "Limit  (cost=0.28..60.35 rows=12 width=900)",
    "  ->  Nested Loop Semi Join  (cost=0.28..400.1 rows=80 width=900)",
    "        ->  Index Scan using treatment_published_name_idx on "
    "treatments_treatment  (cost=0.28..90.1 rows=500 width=900)",
    "        ->  Bitmap Index Scan on treatments_treatedarea_body_area_id_1a2b",
    "        ->  Seq Scan on treatments_sessionplan  (cost=0.00..20.00 rows=1000)",
]
SQLITE_PLAN = [
    "SCAN treatments_treatment USING INDEX sqlite_autoindex_treatments_treatment_1",
    "CORRELATED SCALAR SUBQUERY 3",
    "  SEARCH U0 USING COVERING INDEX sqlite_autoindex_treatments_treatedarea_1 "
    "(treatment_id=? AND body_area_id=?)",
    "SCAN treatments_milestone",
]


def test_plan_indexes_on_postgresql():
    used, whole = benchmark.plan_indexes(POSTGRES_PLAN)
    assert used == [
        "treatment_published_name_idx on treatments_treatment",
        "treatments_treatedarea_body_area_id_1a2b",
    ]
    assert whole == ["treatments_sessionplan"]


def test_plan_indexes_on_sqlite():
    used, whole = benchmark.plan_indexes(SQLITE_PLAN)
    assert used == ["sqlite_autoindex_treatments_treatedarea_1 on U0"]
    assert whole == [
        "treatments_treatment (in sqlite_autoindex_treatments_treatment_1 order)",
        "treatments_milestone",
    ]


def test_column_access():
    plan = [
        "->  Seq Scan on treatments_treatment",
        "      Filter: (is_published AND ((invasiveness)::text = 'surgical'::text))",
        "->  Bitmap Heap Scan on treatments_treatedarea u0",
        "      Recheck Cond: (body_area_id = ANY ('{17,27}'::bigint[]))",
    ]
    assert benchmark.column_access(plan, "body_area_id") == "index"
    assert benchmark.column_access(plan, "invasiveness") == (
        "no index (rows read, then filtered)"
    )
    assert benchmark.column_access(plan, "anaesthesia") == "no index"
    assert benchmark.column_access(SQLITE_PLAN, "body_area_id") == "index"
    assert benchmark.column_access(SQLITE_PLAN, "invasiveness") == "no index"


def test_assets_of_a_page():
    html = (
        '<link rel="preload" href="/font.woff2"><link href="/s.css" rel="stylesheet">'
        '<script src="/a.js" defer></script><script>inline()</script>'
        '<script src="/a.js"></script>'
    )
    assert assets_of(html) == ["/s.css", "/a.js"]


def figures(rate, cold_p95, html_gzip):
    return PageFigures(
        queries_cold=6,
        queries_warm=1,
        cold={"n": 50, 50: cold_p95 / 2, 95: cold_p95},
        warm={"n": 50, 50: 1.0, 95: 2.0},
        html_bytes=html_gzip * 5,
        html_gzip=html_gzip,
        assets={"/s.css": 4000},
        rate=rate,
    )


def test_render_flags_each_target():
    kinds = [PageKind("home", ["/"]), PageKind("healthz", ["/healthz"])]
    results = {"home": figures(600, 80.0, 47_000), "healthz": figures(1000, 1, 10)}
    memory = benchmark.Memory(
        before={1: 50_000}, middle={1: 50_400}, after={1: 50_500}, requests=10_000
    )
    report = benchmark.render(
        benchmark.Settings(),
        {"date": "today", "database": "SQLite 3"},
        kinds,
        results,
        memory,
        [("SELECT COUNT(*) ...", POSTGRES_PLAN)],
        Catalogue(treatments=["a"], areas=["x"], comparisons={"c": 2}),
        ["a note"],
    )
    assert (
        "| home | 6/1 | 40.0 / 80.0 | 1.0 / 2.0 | 50/50 | 235,000 / 47,000 " in report
    )
    assert "| 51.0 | 600 | 60% | ✗, ✗, ✗ |" in report
    assert "| healthz |" in report and "| 100% | –, ✓, ✓ |" in report
    assert "70% of /healthz: MISSED (missed: home)" in report
    assert "cold p95 < 50 ms: MISSED (missed: home)" in report
    assert "gzip < 50 KB: MISSED (missed: home)" in report
    assert "over 10,000 requests: met" in report
    assert "| 1 | 48.8 | 49.2 | 49.3 | +0.5 |" in report
    assert "- count query: filtered columns reached by body_area_id: " in report
    assert "- a note" in report


def test_memory_growth_beyond_noise_is_missed():
    grew = benchmark.Memory(before={1: 50_000}, after={1: 60_000}, requests=10_000)
    assert not grew.met
    recycled = benchmark.Memory(before={1: 50_000}, after={2: 50_000})
    assert not recycled.met
    assert benchmark.Memory(before={1: 50_000}, after={1: 51_000}).met


def test_a_slow_page_gets_a_longer_rate_run(monkeypatch):
    monkeypatch.setattr(benchmark.os, "cpu_count", lambda: 2)
    settings = benchmark.Settings(rate_seconds=5, rate_connections=16)
    fast, slow, slowest = PageFigures(), PageFigures(), PageFigures()
    fast.warm, slow.warm, slowest.warm = {50: 20.0}, {50: 300.0}, {50: 2000.0}
    assert benchmark.rate_seconds(fast, settings, workers=3) == 5
    assert benchmark.rate_seconds(slow, settings, workers=3) == 10
    assert benchmark.rate_seconds(slowest, settings, workers=3) == 20
