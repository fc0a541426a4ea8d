"""
Text is kept the way the site shows it: "\n" line endings, no blank edges,
no control characters.

Browsers post text areas with "\r\n" line endings, so text saved unchanged
from the admin differed from what was stored, and every save recorded
changes nobody made. `tidy()` is applied twice:

- in the admin's forms (core.admin.TidyTextField), so an unchanged text box
  compares equal to what is stored and the history says "No fields changed.";
- before any content model is saved (`tidy_on_save`), so imports, the seed
  and the shell store the same tidy text.

Control characters other than the newline and the tab (C0, DEL, C1) are
removed: no one types them, they come from pasting, and one in a title or a
note made the Atom feed and the XLSX export fail (XML 1.0 has no room for
them), for every reader.
"""

import re

from django.db import models
from django.db.models.signals import pre_save

CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def without_controls(value):
    """The text without control characters other than newline and tab
    (carriage returns too: `tidy` turns them into newlines first)."""
    return CONTROL_CHARACTERS.sub("", value)


def tidy(value):
    """The text with "\n" line endings, no control characters and no
    surrounding white space."""
    if not isinstance(value, str):
        return value
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return without_controls(value).strip()


def tidy_text_fields(sender, instance, **kwargs):
    for field in sender._meta.concrete_fields:
        if isinstance(field, models.CharField | models.TextField):
            value = getattr(instance, field.attname)
            tidied = tidy(value)
            if tidied != value:
                setattr(instance, field.attname, tidied)


def tidy_on_save(app_config):
    """Tidy the text of this app's models whenever one is saved."""
    for model in app_config.get_models():
        pre_save.connect(
            tidy_text_fields,
            sender=model,
            dispatch_uid=f"tidy-text-{model._meta.label_lower}",
        )
