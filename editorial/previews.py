"""
Pages as they will be: for editors at the page's own address, and for
reviewers without an account through a preview link.

- Staff at a page's real address see the version of it waiting for a
  publisher, if there is one (`ShowsWaitingVersion`), with a banner saying
  so; the public keep the published page. The version is applied in a
  transaction that is rolled back once the page is rendered (`rolled_back`),
  with content changes unrecorded, so nothing is purged and nothing stays
  locked.
- A preview link (`PreviewLink`) shows a draft, or a published page with
  its waiting change, as the public will see it once published: the same
  publication (editorial/review.py) is made, the page rendered for an
  anonymous reader, and all of it rolled back. The link is signed with
  Django's signing and a secret of its own, so each one can be revoked
  alone, and it names its record in what is signed: changing any part of
  it makes it no link at all. It lasts PREVIEW_LINK_DAYS (7 by default);
  an expired or revoked link gets a page saying so (410), never the
  content. It is never cached or indexed, and sends no referrer.
"""

import copy
import datetime
import secrets
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.db import models, transaction
from django.http import Http404, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.urls import resolve, reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control

from core.cache import reader
from core.models import ContentVersion

from . import versions
from .pending import PendingVersion
from .review import publish


@contextmanager
def rolled_back():
    """A transaction rolled back whatever happens in it, whose changes bump
    nothing (ContentVersion.unchanged)."""
    with transaction.atomic(), ContentVersion.unchanged():
        try:
            yield
        finally:
            transaction.set_rollback(True)


@dataclass
class Preview:
    """What a page is showing instead of its published version: read by
    templates/includes/draft_banner.html as request.editorial_preview."""

    pending: PendingVersion | None = None
    link: "PreviewLink | None" = None


def waiting_change(model, **lookup):
    """The change waiting for a publisher of the record of `model` found by
    `lookup`, or None: one query."""
    return (
        PendingVersion.objects.of_model(model)
        .open()
        .filter(
            kind=PendingVersion.Kind.CHANGE,
            object_id__in=model._base_manager.filter(**lookup).values("pk"),
        )
        .select_related("content_type", "submitted_by")
        .first()
    )


class ShowsWaitingVersion:
    """For a detail view found by `slug`: staff see the version waiting
    for a publisher, at the page's real address. The public's requests
    cost nothing more."""

    waiting_model = None

    def dispatch(self, request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") or not reader(request).is_staff:
            return super().dispatch(request, *args, **kwargs)
        pending = waiting_change(self.waiting_model, slug=kwargs["slug"])
        if pending is None:
            return super().dispatch(request, *args, **kwargs)
        request.editorial_preview = Preview(pending=pending)
        with rolled_back():
            record = versions.apply(pending.data, keep=versions.PUBLISHING)
            # The version may rename it: found under its new slug.
            response = super().dispatch(
                request, *args, **{**kwargs, "slug": record.slug}
            )
            if hasattr(response, "render"):
                response.render()
        patch_cache_control(response, private=True, no_store=True)
        return response


def new_secret():
    return secrets.token_urlsafe(24)


class PreviewLinkQuerySet(models.QuerySet):
    def of(self, record):
        return self.filter(
            content_type=ContentType.objects.get_for_model(record),
            object_id=record.pk,
        )

    def active(self, now=None):
        return self.filter(
            revoked_at__isnull=True, expires_at__gt=now or timezone.now()
        )


class PreviewLink(models.Model):
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    # Part of what the link is signed with: each link its own.
    secret = models.CharField(max_length=64, default=new_secret, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = PreviewLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["content_type", "object_id"], name="previewlink_record_idx"
            )
        ]

    def __str__(self):
        return f"Preview of {self.record}"

    def get_absolute_url(self):
        return reverse("preview-link", args=[self.token()])

    @classmethod
    def make(cls, record, *, user, now=None):
        now = now or timezone.now()
        return cls.objects.create(
            content_type=ContentType.objects.get_for_model(record),
            object_id=record.pk,
            created_by=user,
            created_at=now,
            expires_at=now + datetime.timedelta(days=settings.PREVIEW_LINK_DAYS),
        )

    def _signer(self):
        return signing.Signer(salt=f"editorial.preview.{self.secret}")

    def _value(self):
        return f"{self.pk}.{self.content_type_id}.{self.object_id}"

    def token(self):
        return self._signer().sign(self._value())

    @classmethod
    def from_token(cls, token):
        """The link `token` was made for, or None if it is not one."""
        value = token.partition(signing.Signer().sep)[0]
        pk, _, _ = value.partition(".")
        if not pk.isdigit():
            return None
        link = cls.objects.filter(pk=int(pk)).first()
        if link is None:
            return None
        try:
            signed = link._signer().unsign(token)
        except signing.BadSignature:
            return None
        return link if signed == link._value() else None

    def is_active(self, now=None):
        return self.revoked_at is None and self.expires_at > (now or timezone.now())


def private(response):
    """Never cached, indexed or followed; no referrer to the pages it
    links to."""
    patch_cache_control(response, private=True, no_store=True)
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


def preview_link(request, token):
    """/preview/<token>/: the page as the public will see it once
    published (see the module's docstring)."""
    link = PreviewLink.from_token(token)
    if link is None:
        raise Http404("No such preview.")
    record = link.record if link.is_active() else None
    if record is None:
        response = render(
            request,
            "editorial/preview_gone.html",
            {"revoked": link.revoked_at is not None},
            status=410,
        )
        return private(response)
    pending = waiting_change(type(record), pk=record.pk)
    if pending is None and getattr(record, "is_published", True):
        # Nothing waits: the page is public as it is.
        return private(HttpResponseRedirect(record.get_absolute_url()))
    with rolled_back():
        published = publish(record, user=None, pending=pending)
        page = copy.copy(request)
        page.user = AnonymousUser()
        page.path = page.path_info = published.get_absolute_url()
        page.GET = QueryDict()
        page.editorial_preview = Preview(pending=pending, link=link)
        match = resolve(page.path_info)
        page.resolver_match = match
        response = match.func(page, *match.args, **match.kwargs)
        if hasattr(response, "render"):
            response.render()
    return private(response)
