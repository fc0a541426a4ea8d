import pytest

from bench.stats import percentile, summarise


def test_percentile_interpolates_between_ranks():
    values = list(range(1, 11))  # 1..10
    assert percentile(values, 0) == 1
    assert percentile(values, 100) == 10
    assert percentile(values, 50) == 5.5
    assert percentile(values, 95) == pytest.approx(9.55)
    assert percentile(values, 90) == pytest.approx(9.1)


def test_percentile_sorts_its_input_and_does_not_change_it():
    values = [30, 10, 20]
    assert percentile(values, 50) == 20
    assert values == [30, 10, 20]


def test_percentile_of_one_value_is_that_value():
    assert percentile([7.5], 95) == 7.5


@pytest.mark.parametrize(("values", "p"), [([], 50), ([1], -1), ([1], 101)])
def test_percentile_refuses_what_has_no_answer(values, p):
    with pytest.raises(ValueError):
        percentile(values, p)


def test_summarise():
    summary = summarise(iter([4, 1, 3, 2]))
    assert summary["n"] == 4
    assert summary["max"] == 4
    assert summary[50] == 2.5
    assert summary[99] == pytest.approx(3.97)
    assert summarise([]) == {"n": 0}
