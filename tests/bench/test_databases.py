"""Scratch databases are named after the configured one, never it."""

import pytest

from bench import databases


def test_scratch_database_on_sqlite_is_a_file_in_the_project():
    database = databases.scratch_database("", "bench")
    assert database.engine == "sqlite"
    assert database.name == str(databases.PROJECT / "bench.sqlite3")
    assert database.url == f"sqlite:///{database.name}"
    other = databases.scratch_database("sqlite:////tmp/x.sqlite3", "load")
    assert other.name.endswith("load.sqlite3")


def test_scratch_database_on_postgresql_sits_beside_the_named_one():
    database = databases.scratch_database(
        "postgres://postgres@127.0.0.1:5432/postgres", "bench"
    )
    assert database.name == "postgres_bench"
    assert database.url == "postgres://postgres@127.0.0.1:5432/postgres_bench"
    assert database.server_url.endswith("/postgres")
    databases._check_name(database)


@pytest.mark.parametrize("name", ["postgres", "test_postgres", "mine", "x_test"])
def test_refuses_to_touch_a_database_it_did_not_name(name):
    database = databases.ScratchDatabase("", "", "postgresql", name)
    with pytest.raises(RuntimeError):
        databases._check_name(database)
    with pytest.raises(ValueError):
        databases.scratch_database("postgres://h/db", "prod")
