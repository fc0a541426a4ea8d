"""Template tags for any page of the site."""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from core.text import and_list as join_as_list

register = template.Library()

_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def ld_json(data):
    """A JSON-LD block, escaped like json_script so content cannot close it."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(text.translate(_JSON_SCRIPT_ESCAPES)),
    )


@register.filter
def first_sentence(text):
    """The first sentence of `text`, whole: a teaser never stops mid-phrase."""
    text = str(text).strip()
    for index, character in enumerate(text):
        if character in ".?!" and (index + 1 == len(text) or text[index + 1] == " "):
            return text[: index + 1]
    return text


@register.filter
def and_list(items, conjunction="and"):
    """ "A", "A and B", "A, B and C" ("A, B or C" with "or"): the names of
    `items` as a sentence says them."""
    return join_as_list((str(item) for item in items), conjunction)
