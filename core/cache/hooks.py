"""
What tells the caches that content changed, and who is an editor.

Every save, delete or many-to-many change of a content model (the apps that
call `watch()`: treatments and comparisons; core's change notes), from the
admin, the seed, an import, a restore from history or anything else that
saves models, bumps the numbers of the scopes it touches in the same
transaction (models.ContentVersion.bump). A bulk `QuerySet.update()` sends
no signal: call `ContentVersion.bump()` after one.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save

from .keys import of_change
from .middleware import EDITOR_SESSION_KEY
from .models import ContentVersion


def content_changed(sender, instance=None, signal=None, **kwargs):
    """Bump the content version, and the scopes the change touches: a
    change makes cold only the pages that show it."""
    if instance is None:
        ContentVersion.bump()
    else:
        ContentVersion.bump(of_change(instance, deleted=signal is post_delete))


def watch(app_config):
    """Bump the content version on any change to this app's models."""
    for model in app_config.get_models():
        uid = f"content-version-{model._meta.label_lower}"
        post_save.connect(content_changed, sender=model, dispatch_uid=uid + "-save")
        post_delete.connect(content_changed, sender=model, dispatch_uid=uid + "-delete")
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                content_changed,
                sender=field.remote_field.through,
                dispatch_uid=f"{uid}-{field.name}-m2m",
            )


def mark_editor_session(sender, request, user, **kwargs):
    """At login: staff sessions bypass the page cache; the mark lets the
    middleware tell them from any other cookie in one lookup."""
    request.session[EDITOR_SESSION_KEY] = user.is_staff
