"""How the comparison names treatments in its sentences."""

from core.text import and_list
from treatments.formatting import in_sentence, sentence_case


def called(treatment):
    """A treatment's name as a sentence starts with it. A baseline is named
    for what it is ("No procedure: living with cellulite"): the words after
    the colon, "Living with cellulite"."""
    if treatment.is_baseline and ":" in treatment.name:
        return sentence_case(treatment.name.split(":", 1)[1].strip())
    return treatment.name


def mid_sentence(treatment):
    """ "mesotherapy", "living with cellulite"; "IPL" stays "IPL"."""
    return in_sentence(called(treatment))


def whose(treatment, *, first=True):
    """ "Mesotherapy's", or "mesotherapy's" after other words."""
    return f"{called(treatment) if first else mid_sentence(treatment)}'s"


def names(treatments, conjunction="and"):
    """ "Laser cellulite reduction and mesotherapy": the first as a sentence
    starts, the rest as they read after it."""
    treatments = list(treatments)
    return and_list(
        [called(treatments[0]), *map(mid_sentence, treatments[1:])], conjunction
    )


def title_for(treatments):
    """ "Laser cellulite reduction and mesotherapy compared"."""
    return f"{names(treatments)} compared"
