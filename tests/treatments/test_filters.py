"""The catalogue's checkboxes write in Python the HTML that Django's widget
templates would (treatments/filters.py, CheckboxList): the same HTML, with
everything escaped as a template escapes it."""

import pytest
from django import forms

from treatments.filters import AreaCheckboxes, CheckboxList

CHOICES = [
    ("thighs", "Thighs (2 treatments)"),
    ("legs", "Legs, including thighs (3 treatments)"),
    ("b&<c>", 'Arms "upper" & <b>lower</b> (1 treatment)'),
    ("stomach", "Stomach (0 treatments)"),
]
DEPTHS = {"thighs": 1, "b&<c>": 2}


def in_templates(widget, *args, **kwargs):
    """What Django's templates write for the widget."""
    return forms.CheckboxSelectMultiple.render(widget, *args, **kwargs)


@pytest.mark.parametrize(
    "value, attrs",
    [
        (None, {"id": "id_body_area"}),
        (["thighs", "b&<c>"], {"id": "id_body_area"}),
        (["legs"], {"id": "id_body_area", "class": "areas", "data-x": 'a"b'}),
        (["stomach"], None),
        ([], {"id": "", "class": ""}),
    ],
)
@pytest.mark.parametrize(
    "widget",
    [AreaCheckboxes(choices=CHOICES, depths=DEPTHS), CheckboxList(choices=CHOICES)],
    ids=["areas", "plain"],
)
def test_the_same_html_as_the_templates(widget, value, attrs):
    written = widget.render("body_area", value, attrs)
    assert written == in_templates(widget, "body_area", value, attrs)
    assert "<b>" not in written and "&lt;b&gt;lower&lt;/b&gt;" in written


def test_groups_are_written_as_the_templates_write_them():
    widget = AreaCheckboxes(
        choices=[("Legs", CHOICES[:2]), ("Other", CHOICES[2:])], depths=DEPTHS
    )
    written = widget.render("body_area", ["legs"], {"id": "id_body_area"})
    assert written == in_templates(
        widget, "body_area", ["legs"], {"id": "id_body_area"}
    )
    assert written.count("<div><label>") == 2


def test_an_inner_area_is_indented_and_a_ticked_one_checked():
    widget = AreaCheckboxes(choices=CHOICES, depths=DEPTHS)
    written = widget.render("body_area", ["thighs"], {"id": "id_body_area"})
    assert (
        '<label for="id_body_area_0" class="choice choice--inner">'
        '<input type="checkbox" name="body_area" value="thighs" id="id_body_area_0" '
        "checked>\n Thighs (2 treatments)</label>"
    ) in written
    assert '<label for="id_body_area_3" class="choice">' in written
