"""
How strong the evidence behind a page is, in plain words.

Derived from what each source is (`Source.kind`, whether it cites studies
or figures, whether its publisher says it is funded by advertising), never
from a score: the site has no numbers the sources do not give. The levels
follow the usual ladder of medical evidence: guidance and systematic
reviews above single studies, studies above articles.
"""

from dataclasses import dataclass

from django.utils.dateformat import format as format_date

from core.text import and_list

from .formatting import in_words
from .models import NOT_STATED, Source

HIGH, MODERATE, LOW = "high", "moderate", "low"

# "a general-interest article" / "general-interest articles", for sentences.
NOUNS = {
    Source.Kind.GENERAL_INTEREST: (
        "a general-interest article",
        "general-interest articles",
    ),
    Source.Kind.ADVERTISING_FUNDED: (
        "an advertising-funded article",
        "advertising-funded articles",
    ),
    Source.Kind.PROVIDER: (
        "a clinic's or maker's own information",
        "clinics' or makers' own information",
    ),
    Source.Kind.PEER_REVIEWED: ("a peer-reviewed study", "peer-reviewed studies"),
    Source.Kind.SYSTEMATIC_REVIEW: ("a systematic review", "systematic reviews"),
    Source.Kind.GUIDELINE: ("a clinical guideline", "clinical guidelines"),
}


def level_of(sources):
    kinds = {source.kind for source in sources}
    if kinds & {Source.Kind.GUIDELINE, Source.Kind.SYSTEMATIC_REVIEW}:
        return HIGH
    if Source.Kind.PEER_REVIEWED in kinds:
        return MODERATE
    return LOW


def describe_kind(kind, cites, count):
    """ "a general-interest article that cites no studies or figures", or
    the plural."""
    one, many = NOUNS.get(kind, (f"a {kind}", f"{kind}s"))
    noun = one if count == 1 else many
    if kind in Source.ARTICLE_KINDS:
        verb = "cites" if count == 1 else "cite"
        noun += (
            f" that {verb} {'studies or figures' if cites else 'no studies or figures'}"
        )
    return noun


def sources_sentence(sources):
    """ "Both sources are general-interest articles that cite no studies or
    figures." """
    if not sources:
        return "No source is recorded."
    groups = {}
    for source in sources:
        groups.setdefault((source.kind, source.cites_studies), []).append(source)
    if len(groups) == 1:
        ((kind, cites),) = groups
        count = len(sources)
        if count == 1:
            return f"Its source is {describe_kind(kind, cites, 1)}."
        subject = "Both sources" if count == 2 else f"All {in_words(count)} sources"
        return f"{subject} are {describe_kind(kind, cites, count)}."
    parts = [
        describe_kind(kind, cites, len(group))
        if len(group) == 1
        else f"{in_words(len(group))} {describe_kind(kind, cites, len(group))}"
        for (kind, cites), group in groups.items()
    ]
    return f"Its sources are {and_list(parts)}."


def named(source):
    return f"“{source.title}”"


def funding(sources):
    """ "WiseGeek says it is funded by advertising.", for each source whose
    publisher says so: said with the evidence's level, not among the limits,
    so that a reader sees it first."""
    return " ".join(
        f"{source.publisher or named(source)} says it is funded by advertising."
        for source in sources
        if source.funded_by_advertising
    )


def limits(sources):
    """What a reader should keep in mind about this information. (That two
    treatments described by two sources may differ only in what each
    source covers, a comparison says above its table.)"""
    notes = []
    if level_of(sources) == LOW:
        notes.append(
            "Articles describe a treatment; they do not measure how well it "
            "works or how often its side effects happen, so nothing here says "
            "how likely a result is."
        )
    for source in sources:
        missing = source.unnamed_details
        if missing:
            notes.append(f"{named(source)} names no {and_list(missing, 'or')}.")
    notes.append(
        f"Where a source is silent we say “{NOT_STATED}”: that does not mean "
        "the answer is “none” or “never”."
    )
    return notes


@dataclass
class Evidence:
    level: str
    sources_sentence: str
    limits: list
    funding: str = ""
    last_reviewed: object = None
    next_review_due: object = None

    @property
    def level_label(self):
        return self.level[:1].upper() + self.level[1:]

    @property
    def statement(self):
        """ "Evidence: low. Both sources are general-interest articles that
        cite no studies or figures." """
        return f"Evidence: {self.level}. {self.sources_sentence}"

    @property
    def review_sentence(self):
        if self.last_reviewed is None:
            return ""
        text = f"Last reviewed {format_date(self.last_reviewed, 'j F Y')}"
        if self.next_review_due is not None:
            text += f"; next review due {format_date(self.next_review_due, 'j F Y')}"
        return text + "."


def assess(sources, *, reviewed=None):
    """The evidence behind a page that cites `sources`; `reviewed` is the
    record whose review dates the page shows."""
    sources = list(dict.fromkeys(sources))
    return Evidence(
        level=level_of(sources),
        sources_sentence=sources_sentence(sources),
        limits=limits(sources),
        funding=funding(sources),
        last_reviewed=getattr(reviewed, "last_reviewed", None),
        next_review_due=getattr(reviewed, "next_review_due", None),
    )
