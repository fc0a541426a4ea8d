"""core/aftercommit.py: work gathered in a transaction, done once when it
commits; a failure is logged, and never undoes or breaks the commit."""

import logging

import pytest
from django.db import transaction

from core.aftercommit import gather

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_keys_of_a_transaction_are_done_once_together():
    calls = []
    with transaction.atomic():
        gather(calls.append, [1])
        gather(calls.append, [2, 3])
        assert calls == []  # not before the commit
    assert calls == [{1, 2, 3}]


def test_nothing_is_done_for_a_transaction_rolled_back():
    calls = []
    with pytest.raises(RuntimeError), transaction.atomic():
        gather(calls.append, [1])
        raise RuntimeError("rolled back")
    assert calls == []


def test_a_failure_is_logged_and_the_work_after_it_still_done(caplog):
    done = []

    def fails(keys):
        raise ValueError(f"cannot do {sorted(keys)}")

    with caplog.at_level(logging.ERROR, logger="django.db.backends.base"):
        with transaction.atomic():
            gather(fails, [7])
            gather(done.append, [8])
    assert done == [{8}]
    assert any("cannot do [7]" in str(r.exc_info[1]) for r in caplog.records)
