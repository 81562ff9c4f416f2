"""Previews of articles readers cannot see yet: for staff, and by signed, expiring link."""

from datetime import timedelta

from django.core import signing
from django.urls import reverse
from django.utils import timezone

from articles.models import PreviewGrant

PREVIEW_SALT = "articles.preview"
PREVIEW_LINK_LIFETIME = timedelta(days=3)


def preview_link(article):
    """A path anyone may open for PREVIEW_LINK_LIFETIME to see `article` as readers will."""
    token = signing.dumps(article.pk, salt=PREVIEW_SALT, compress=True)
    return reverse("articles:shared-preview", args=[token])


def article_id_from_token(token):
    """The article id a preview token was made for, or None when forged or expired."""
    try:
        return signing.loads(token, salt=PREVIEW_SALT, max_age=PREVIEW_LINK_LIFETIME)
    except signing.BadSignature:  # SignatureExpired is a BadSignature too
        return None


def revoke_grants(article, *, by):
    """Revoke every preview link of `article` still open (unpublishing does this)."""
    return PreviewGrant.objects.filter(article=article, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=by
    )
