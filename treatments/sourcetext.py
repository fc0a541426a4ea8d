"""
A source's main text, and its fingerprint: what `manage.py check_sources`
compares from one check to the next to notice that an article was
rewritten.

The main text is the article without its page furniture (the source
README's list: advertising disclosures, "Our promise" boxes, newsletter
boxes, share links; and anything a page repeats around every article):

- only what is inside `<article>` (or else `<main>`, or else `<body>`);
- without scripts, styles, navigation, headers and footers, forms,
  buttons, asides and frames, nor any element whose class, id or role names
  an ad, a disclosure, a newsletter, sharing, comments, a cookie notice or
  related links;
- without the lines that change with no change to what it says: a date
  ("Updated: May 17, 2024", "Published 3 March 2025", a `<time>` alone on
  its line) and a count of views, shares or comments ("Views: 4,336");
- with its whitespace normalised, each block of text a line.

A plain-text source is its text, less the same lines. The fingerprint is
the SHA-256 of that text; "" when there is no text to read (a page that
only a script fills, an image), which is never taken for a change.
"""

import hashlib
import re
from html.parser import HTMLParser

# Elements whose content is never the article's.
SKIPPED = {
    "aside",
    "button",
    "canvas",
    "dialog",
    "footer",
    "form",
    "header",
    "iframe",
    "nav",
    "noscript",
    "object",
    "script",
    "select",
    "style",
    "svg",
    "template",
    "textarea",
}
# Elements without an end tag: nothing inside them to skip.
VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "param",
    "source",
    "track",
    "wbr",
}
# Elements that end a line of text.
BLOCKS = {
    "address",
    "article",
    "blockquote",
    "br",
    "dd",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "li",
    "main",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "td",
    "th",
    "tr",
    "ul",
}
# A class, id or role that names furniture: "ad", "ads", "advert…",
# "sponsor…", "disclosure", "newsletter", "share…", "social", "comments",
# "cookie…", "related", "promo…", "subscribe", "banner", "byline-share".
FURNITURE = re.compile(
    r"(?:^|[\s_-])(?:ads?|advert\w*|sponsor\w*|disclos\w*|newsletter\w*|"
    r"subscri\w*|share\w*|sharing|social|comments?|cookie\w*|consent|related|"
    r"promo\w*|banner|complementary|navigation)(?:$|[\s_-])",
    re.IGNORECASE,
)
MONTHS = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
DATE = (
    rf"(?:\d{{1,2}}(?:st|nd|rd|th)?\s+{MONTHS},?\s+\d{{4}}"
    rf"|{MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    r"|\d{4}-\d{2}-\d{2}|\d{1,2}[/.]\d{1,2}[/.]\d{2,4})"
)
# Whole lines that change while the article does not.
UNSTABLE_LINES = [
    # "Updated: May 17, 2024", "Last modified on 3 March 2025 at 10:00",
    # "Posted 2 days ago": such a word, and a date, on a line of their own.
    re.compile(
        r"^(?:last\s+)?(?:updated|modified|published|posted|reviewed|revised|"
        rf"edited|date)\b.{{0,40}}?(?:{DATE}|\d+\s+(?:minute|hour|day|week|"
        r"month|year)s?\s+ago).{0,40}$",
        re.IGNORECASE,
    ),
    # A date alone, perhaps with a time.
    re.compile(rf"^(?:on\s+)?{DATE}(?:[^\n]{{0,20}})$", re.IGNORECASE),
    # "Views: 4,336", "1.2k shares", "12 comments"
    re.compile(
        r"^(?:(?:views?|shares?|comments?|reads?)\s*:?\s*[\d.,]+\s*[km]?"
        r"|[\d.,]+\s*[km]?\s+(?:views?|shares?|comments?|reads?))$",
        re.IGNORECASE,
    ),
]


WHITESPACE = re.compile(r"\s+")


class _MainText(HTMLParser):
    """Collects the text of each region (article, main, body) apart, leaving
    out furniture."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.open = []  # the open elements: (tag, skipped?)
        self.regions = {"article": [], "main": [], "body": []}
        self.inside = {"article": 0, "main": 0, "body": 0}
        self.skipping = 0
        self.whole = []

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            if tag in BLOCKS:
                self.text("\n")
            return
        attrs = dict(attrs)
        names = " ".join(
            value or ""
            for key, value in attrs.items()
            if key in {"class", "id", "role"}
        )
        skip = (
            tag in SKIPPED
            or bool(FURNITURE.search(names))
            or "hidden" in attrs
            or attrs.get("aria-hidden") == "true"
        )
        self.open.append((tag, skip))
        self.skipping += skip
        if tag in self.inside:
            self.inside[tag] += 1
        if tag in BLOCKS:
            self.text("\n")

    def handle_startendtag(self, tag, attrs):
        if tag in BLOCKS:
            self.text("\n")

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        # Close up to the matching element (HTML leaves some unclosed).
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index][0] == tag:
                for closed, skip in self.open[index:]:
                    self.skipping -= skip
                    if closed in self.inside:
                        self.inside[closed] -= 1
                del self.open[index:]
                break
        if tag in BLOCKS:
            self.text("\n")

    def handle_data(self, data):
        # In HTML a line break is a space: only blocks end lines.
        if not self.skipping:
            self.text(WHITESPACE.sub(" ", data))

    def text(self, data):
        self.whole.append(data)
        for region, depth in self.inside.items():
            if depth > 0:
                self.regions[region].append(data)

    def main(self):
        for region in ("article", "main", "body"):
            text = "".join(self.regions[region])
            if text.strip():
                return text
        return "".join(self.whole)


def stable_lines(text):
    """The lines of `text`, whitespace normalised, without blank lines and
    without the lines that change while the article does not."""
    lines = []
    for line in text.splitlines():
        line = " ".join(line.split())
        if line and not any(pattern.match(line) for pattern in UNSTABLE_LINES):
            lines.append(line)
    return lines


def main_text(body, content_type="text/html"):
    """The main text of a page (`body`, a str), one block a line."""
    if "html" in content_type or "<" in body[:1000] and "</" in body:
        parser = _MainText()
        parser.feed(body)
        parser.close()
        body = parser.main()
    return "\n".join(stable_lines(body))


def fingerprint(body, content_type="text/html"):
    """The SHA-256 of the main text, in hex; "" if there is none."""
    text = main_text(body, content_type)
    if not text:
        return ""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
