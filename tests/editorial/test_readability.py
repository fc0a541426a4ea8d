"""Reading ages of known texts (editorial/readability.py)."""

from editorial.readability import (
    CEILING_AGE,
    LONGEST_SENTENCE,
    TARGET_AGE,
    measure,
    median_age,
    sentences,
)

PLAIN = "The doctor makes small cuts in the skin. Then a thin laser goes under it."
HARD = (
    "Because hormones and other physiological factors also cause cellulite, "
    "some people need maintenance injections to preserve the improvement."
)


def test_a_plain_text_reads_young_and_a_hard_one_old():
    plain, hard = measure(PLAIN), measure(HARD)
    assert plain.age <= TARGET_AGE and plain.on_target
    assert hard.age > CEILING_AGE and hard.too_hard
    assert plain.age < hard.age


def test_the_reading_age_is_the_grade_plus_five():
    reading = measure(PLAIN)
    assert reading.age == round(reading.grade + 5, 1)


def test_too_few_words_are_not_measured():
    assert measure("Usually a doctor") is None
    assert measure("") is None
    assert measure(None) is None


def test_each_line_of_a_list_is_a_sentence():
    assert sentences("What does it cost?\nHow many sessions\n\nWho does it?") == [
        "What does it cost?",
        "How many sessions",
        "Who does it?",
    ]


def test_a_long_sentence_is_named_with_a_hint_to_split_it():
    long = " ".join(["word"] * (LONGEST_SENTENCE + 5)) + "."
    reading = measure(f"A short one. {long}")
    assert reading.longest == LONGEST_SENTENCE + 5
    assert reading.too_hard
    assert f"split the sentence of {LONGEST_SENTENCE + 5} words" in reading.advice()


def test_advice_in_plain_words():
    assert measure(PLAIN).advice().startswith("Reading age about")
    assert "easy to read" in measure(PLAIN).advice()
    assert f"aim for {TARGET_AGE} or under" in measure(HARD).advice()


def test_the_median_age_leaves_out_what_is_not_measured():
    readings = [measure(PLAIN), measure(PLAIN), measure(HARD), measure("Too short")]
    assert median_age(readings) == measure(PLAIN).age
    assert median_age([measure("Too short")]) is None
