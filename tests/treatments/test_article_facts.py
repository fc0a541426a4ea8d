"""Every fact the two source articles give, carried over and on the site.

Each row names one fact of ../shared/sources/ and the words (ours, not the
article's) by which the treatment's page shows it. Structured figures are
also checked in the data, where filters and the timeline use them.
"""

import html
import re

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from treatments.models import Milestone, SessionPlan, SideEffect, Treatment

LASER = "laser-cellulite-reduction"
MESO = "mesotherapy"

FACTS = [
    # Laser cellulite reduction: "What happens during the procedure?"
    (
        LASER,
        "uses a laser to destroy the tissue behind cellulite",
        "destroys the tissue that causes cellulite",
    ),
    (LASER, "done under local anaesthesia", "Local anaesthetic"),
    (LASER, "small incisions in the affected area", "Small incisions are made"),
    (LASER, "not very invasive", "Minimally invasive"),
    (LASER, "not very invasive, in the source's words", "not very invasive"),
    (LASER, "leaves minimal scarring", "leaves very little scarring"),
    # The three things to expect afterwards
    (LASER, "bruising around the incisions", "around the incisions"),
    (
        LASER,
        "a little fluid may leak from the stitches",
        "A very small amount of fluid may leak",
    ),
    (
        LASER,
        "bruising and leaking are normal, the article says",
        "The article calls it completely normal",
    ),
    (LASER, "bruising goes as the incisions heal", "It fades as the incisions heal"),
    (LASER, "leaking stops as the incisions heal", "It stops as the incisions heal"),
    (
        LASER,
        "daily activities after a couple of days",
        "After the first couple of days",
    ),
    (LASER, "exercise after a couple of weeks", "After a couple of weeks"),
    (
        LASER,
        "exercise once the incisions have had more time to heal",
        "once the incisions have healed more",
    ),
    (LASER, "keeps improving over a year", "keep improving over about a year"),
    (
        LASER,
        "improving over a span of a year",
        "Still improving: Over a span of a year",
    ),
    (LASER, "final result at twelve months", "At twelve months"),
    (
        LASER,
        "not there yet at six months is no cause to worry",
        "Do not worry if you do not see the result you hoped for at once, or even "
        "after six months, it says",
    ),
    # How the laser works
    (
        LASER,
        "smooths the fat and frees the tight fibres",
        "It says the laser evens out the layers of fat, and frees the tight bands "
        "that make the fat bulge",
    ),
    (
        LASER,
        "collagen for elasticity, smoother firmer skin",
        "It also says the laser makes the skin produce more collagen. Collagen is a "
        "protein that keeps skin firm and stretchy, so the skin looks smoother and "
        "firmer",
    ),
    (
        LASER,
        "melted fat pushed out through the incisions",
        "pressed out through the incisions",
    ),
    (
        LASER,
        "claims proven results",
        "The article says the treatment has proven results",
    ),
    # Where to have it done
    (
        LASER,
        "specialised clinics or plastic surgeons",
        "Specialised clinics and plastic surgeons",
    ),
    (
        LASER,
        "choose professionals who do it correctly",
        "are professionals. It says they should be people who will do it correctly",
    ),
    # Areas (where cellulite is most common, or appears too)
    (LASER, "buttocks", "Buttocks"),
    (LASER, "thighs", "Thighs"),
    (LASER, "arms", "Arms"),
    (LASER, "stomach", "Stomach"),
    # Silences
    (
        LASER,
        "number of sessions not stated",
        "The source does not say how many sessions it takes",
    ),
    (
        LASER,
        "how long results last not stated",
        "How long results last The source does not say",
    ),
    # Mesotherapy, paragraph 1
    (
        MESO,
        "injects vitamins, drugs, plant extracts and other agents",
        "vitamins, drugs, natural plant extracts and other substances",
    ),
    (
        MESO,
        "melts fat and weakens connective tissue",
        "The article says they melt fat. It says they weaken the bands of tissue "
        "that trap the pockets of fat",
    ),
    (
        MESO,
        "improves circulation and lymphatic drainage",
        "the injections also help blood flow and lymphatic drainage",
    ),
    # Paragraph 2
    (
        MESO,
        "works on legs, buttocks, stomach, arms and back",
        "legs, buttocks, stomach, arms and back",
    ),
    (
        MESO,
        "targets and dissolves the pockets directly",
        "targets and dissolves the pockets of fat directly",
    ),
    # Paragraph 3
    (
        MESO,
        "research providers",
        "take time to research the clinics before you choose one",
    ),
    (MESO, "ask who gives the injections", "Who will give my injections"),
    (MESO, "usually a doctor", "Usually a doctor"),
    (
        MESO,
        "not all mesotherapists trained",
        "not all of those who give it have had training in it",
    ),
    (MESO, "nurses and assistants in some clinics", "nurses or assistants"),
    # Paragraph 4
    (MESO, "no standard blend", "The article says there is no standard formula"),
    (
        MESO,
        "own mix, per patient or area",
        "makes their own mix of drugs, herbs and vitamins. Sometimes it is "
        "different for each patient or body area",
    ),
    (
        MESO,
        "used contrary to intended use",
        "mostly used in ways they were not made for. This is called off-label use",
    ),
    (MESO, "largely unregulated", "largely unregulated"),
    (MESO, "ask for the list of ingredients", "Exactly which ingredients"),
    # Paragraph 5
    (MESO, "allergy test first", "Most clinics require an allergy test first"),
    (MESO, "weekly or every two weeks", "Weekly or every two weeks"),
    (MESO, "weekly or every two weeks, as we read it", "7 to 14 days apart"),
    (MESO, "about ten treatments", "About ten, for most patients"),
    (MESO, "about ten, as a figure", "About 10, weekly or every two weeks"),
    # Paragraph 6
    (
        MESO,
        "injections into the mesoderm",
        "(the mesoderm), straight into the cellulite",
    ),
    (MESO, "pinching and burning", "the injections pinch and burn"),
    (MESO, "not especially painful", "The article says it is not especially painful"),
    (MESO, "numbing agent makes it almost painless", "almost painless"),
    # Paragraph 7
    (MESO, "bruising at the injection site", "Bruising"),
    (MESO, "soreness at the injection site", "Soreness"),
    (MESO, "at the injection site", "at the injection site"),
    (MESO, "itching is less common", "Itching"),
    (MESO, "swelling is less common", "Swelling"),
    (MESO, "irritation is less common", "Irritation"),
    (MESO, "infection is less common", "Infection"),
    (MESO, "results vary", "It says results differ from person to person"),
    (
        MESO,
        "visible after two or three treatments",
        "Most people see less cellulite after two or three sessions, the article says",
    ),
    (MESO, "permanent", "Permanent, the article says"),
    (
        MESO,
        "especially without much weight gain",
        "all the more if you take care not to gain a lot of weight",
    ),
    (MESO, "some need maintenance injections", "Needed by some people"),
    (
        MESO,
        "because hormones also cause cellulite",
        "this is because hormones and other things in the body also cause cellulite",
    ),
    # The source itself
    (MESO, "publisher", "WiseGeek"),
    (MESO, "author", "T. Flanagan"),
    (MESO, "date updated", "17 May 2024"),
    (
        MESO,
        "address",
        "https://www.wisegeek.net/how-do-i-use-mesotherapy-for-cellulite.htm",
    ),
    # Silences
    (
        MESO,
        "back to daily activities not stated",
        "The source does not say: back to daily activities, back to exercise, "
        "final result.",
    ),
]

CELLULITE_FACTS = [
    (
        "fat trapped between fibrous bands",
        "trapped and squeezed between tough bands of tissue. These bands hold the "
        "layers of the skin together",
    ),
    (
        "fat in compartments, not smooth bands",
        "The fat sits in separate pockets, not in smooth layers",
    ),
    ("almost all women have it", "Almost all women have some cellulite"),
    ("most common on buttocks and thighs", "most often on the buttocks and thighs"),
    ("also arms and stomach", "can also appear on the arms and stomach"),
    ("not a weight problem", "It is not a weight problem"),
    (
        "diet and exercise do not remove it",
        "In most cases, weight loss, diet and exercise do not get rid of the "
        "pockets of fat",
    ),
    ("hormones play a part", "Hormones and other things in the body also play a part"),
    (
        "creams and serums have not worked",
        "skin creams and serums have not rid women of it. Nor have treatments that "
        "heat or freeze the skin",
    ),
]


def page_text(response):
    """The page's text as a reader sees it: tags out, entities decoded."""
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(text))


@pytest.fixture(scope="module")
def pages(django_db_setup, django_db_blocker):
    """Each page rendered once from freshly seeded content, then rolled back."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed", "--strict", verbosity=0)
        client = Client()
        rendered = {
            path: page_text(client.get(path))
            for path in ("/", f"/treatments/{LASER}/", f"/treatments/{MESO}/")
        }
        transaction.set_rollback(True)
    return rendered


@pytest.mark.parametrize(("slug", "fact", "words"), FACTS, ids=[f[1] for f in FACTS])
def test_fact_is_on_the_treatment_page(pages, slug, fact, words):
    assert words in pages[f"/treatments/{slug}/"], (
        f"{slug}: {fact!r} is not on the page"
    )


@pytest.mark.parametrize(
    ("fact", "words"), CELLULITE_FACTS, ids=[f[0] for f in CELLULITE_FACTS]
)
def test_cellulite_fact_is_on_the_home_page(pages, fact, words):
    assert words in pages["/"]


@pytest.mark.django_db
def test_figures_that_filters_and_the_timeline_use(seeded):
    meso = SessionPlan.objects.get(treatment__slug=MESO)
    assert (meso.kind, meso.sessions_typical, meso.sessions_min, meso.sessions_max) == (
        "course",
        10,
        None,
        None,
    )
    assert (meso.interval_min_days, meso.interval_max_days) == (7, 14)
    assert (meso.results_after_min, meso.results_after_max) == (2, 3)
    assert SessionPlan.objects.get(treatment__slug=LASER).kind == "not-stated"

    laser_timeline = {
        m.kind: (m.days_min, m.days_max)
        for m in Milestone.objects.filter(treatment__slug=LASER)
    }
    assert laser_timeline == {
        "daily-activities": (2, 3),
        "exercise": (14, 21),
        "progress": (0, 365),
        "final-result": (365, 365),
    }
    assert {
        m.kind: (m.days_min, m.days_max)
        for m in Milestone.objects.filter(treatment__slug=MESO)
    } == {"first-results": (7, 28)}

    frequencies = {
        (s.treatment.slug, s.effect.slug): (s.frequency, s.site)
        for s in SideEffect.objects.select_related("treatment", "effect")
    }
    assert frequencies == {
        (LASER, "bruising"): ("common", "incisions"),
        (LASER, "fluid-leakage"): ("not-stated", "incisions"),
        (LASER, "scarring"): ("not-stated", "incisions"),
        (MESO, "bruising"): ("common", "injection-site"),
        (MESO, "soreness"): ("common", "injection-site"),
        (MESO, "itching"): ("less-common", "not-stated"),
        (MESO, "swelling"): ("less-common", "not-stated"),
        (MESO, "irritation"): ("less-common", "not-stated"),
        (MESO, "infection"): ("less-common", "not-stated"),
    }
    treatments = {t.slug: t for t in Treatment.objects.filter(slug__in=[LASER, MESO])}
    assert treatments[LASER].anaesthesia == "local"
    assert treatments[MESO].anaesthesia == "optional-topical"
    assert treatments[MESO].maintenance == "sometimes"
    assert treatments[LASER].maintenance == "not-stated"
    assert {t.invasiveness for t in treatments.values()} == {"minimally-invasive"}
    assert set(treatments[MESO].body_areas.values_list("slug", flat=True)) == {
        "legs",
        "buttocks",
        "stomach",
        "arms",
        "back",
    }
    assert set(treatments[LASER].body_areas.values_list("slug", flat=True)) == {
        "buttocks",
        "thighs",
        "arms",
        "stomach",
    }
