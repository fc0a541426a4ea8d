"""Every answer in the comparison is tied to its question and its treatment
(WCAG technique H43), on the comparison, the curated comparison and the
summary: the HTML as served, read with the standard library's parser.
HTML_CodeSniffer checks the same in the browser (tests/browser/)."""

from html.parser import HTMLParser

import pytest

pytestmark = pytest.mark.django_db

LASER, MESO = "laser-cellulite-reduction", "mesotherapy"
PAIR = f"treatments={LASER}&treatments={MESO}"
PAGES = [
    f"/compare/?{PAIR}",
    f"/compare/?{PAIR}&treatments=no-treatment&matters=downtime&differences=1",
    "/compare/laser-vs-mesotherapy/",
    f"/compare/summary/?{PAIR}",
]


class Table(HTMLParser):
    """The comparison table's header cells ({id: text}), its data cells
    ([(headers, row's group band)]) and its bands."""

    def __init__(self):
        super().__init__()
        self.inside = False
        self.headers = {}
        self.cells = []
        self.bands = []
        self.band = None
        self.cell = None  # [kind, id or headers, text]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and "compare" in attrs.get("class", ""):
            self.inside = True
        if not self.inside:
            return
        if tag == "tbody":
            self.band = None
        if tag == "tr" and attrs.get("class") == "compare__group":
            self.cell = ["band", None, ""]
        elif tag == "th":
            self.cell = ["th", attrs.get("id"), ""]
        elif tag == "td" and self.cell is None:
            self.cell = ["td", attrs.get("headers"), ""]

    def handle_endtag(self, tag):
        if not self.inside:
            return
        if tag == "table":
            self.inside = False
        elif self.cell is not None and (
            (tag == "tr" and self.cell[0] == "band") or tag == self.cell[0]
        ):
            kind, key, text = self.cell
            text = " ".join(text.split())
            if kind == "band":
                self.band = text.removesuffix(" Matters to you")
                self.bands.append(self.band)
            elif kind == "th":
                self.headers[key] = text
            else:
                self.cells.append((key, self.band))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell[2] += data


def parse(response):
    table = Table()
    table.feed(response.content.decode())
    return table


@pytest.mark.parametrize("path", PAGES)
def test_every_answer_names_its_question_and_its_treatment(seeded, client, path):
    table = parse(client.get(path))
    assert table.cells, "no comparison table"
    assert None not in table.headers, "a header cell without an id"
    columns = [i for i in table.headers if i.startswith("compare-t-")]
    assert 2 <= len(columns) <= 4
    for headers, band in table.cells:
        assert headers is not None, "an answer tied to no header"
        question, treatment = headers.split()
        assert question.startswith("compare-q-") and question in table.headers
        assert treatment in columns
        # The question's header names its group, as the band above it does.
        if band is not None:
            assert table.headers[question].startswith(f"{band}: "), headers


def test_each_treatment_heads_its_own_column(seeded, client):
    table = parse(client.get(f"/compare/?{PAIR}"))
    first_row = [headers.split() for headers, _band in table.cells[:2]]
    assert first_row == [
        ["compare-q-what-it-is", f"compare-t-{LASER}"],
        ["compare-q-what-it-is", f"compare-t-{MESO}"],
    ]
    assert table.headers[f"compare-t-{MESO}"] == "Mesotherapy"
    assert table.headers["compare-q-exercise"].startswith(
        "Time off: Back to exercise Only Laser cellulite reduction's source says"
    )
    # A group of one row is named by its row: no band, no prefix.
    assert "Sessions" not in table.bands
    assert table.headers["compare-q-sessions"].startswith("How many, how often")
