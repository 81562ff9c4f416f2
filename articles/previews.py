"""Previews of articles readers cannot see yet, by link, for people without an account.

A link is a PreviewGrant: a random token stored with who made it, for which article and until
when, so that an editor can see every link still open and revoke it. (Staff preview at
/xem-truoc/<id>/ with their own account and need no link.)
"""

import re
import secrets
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.models import PreviewGrant
from articles.workflow import is_editor

DEFAULT_LIFETIME = timedelta(days=3)
LONGEST_LIFETIME = timedelta(days=30)
# What secrets.token_urlsafe() writes; anything else is refused before the database sees it
# (a NUL byte, for one, is an error in PostgreSQL, not a miss).
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,64}")
TOKEN_BYTES = 32


def is_open(grant, *, article, now):
    """`PreviewGrant.objects.open()` for a link of `article` already read: neither revoked nor
    expired, and the article not past its unpublish time."""
    taken_down = (
        article.status == article.Status.PUBLISHED
        and article.unpublish_at is not None
        and article.unpublish_at <= now
    )
    return grant.revoked_at is None and grant.expires_at > now and not taken_down


def grant_path(grant):
    """The address a preview link opens."""
    return reverse("articles:shared-preview", args=[grant.token])


def grant_preview(article, *, by, lifetime=DEFAULT_LIFETIME):
    """An editor makes a link that lets anyone holding it preview `article` for `lifetime`."""
    if not is_editor(by):
        raise PermissionDenied(_("Chỉ biên tập viên được tạo liên kết xem trước."))
    if not timedelta(0) < lifetime <= LONGEST_LIFETIME:
        raise ValidationError(
            _("Liên kết xem trước có hạn từ 1 đến %(days)s ngày.")
            % {"days": LONGEST_LIFETIME.days},
            code="lifetime",
        )
    return PreviewGrant.objects.create(
        article=article,
        token=secrets.token_urlsafe(TOKEN_BYTES),
        created_by=by,
        expires_at=timezone.now() + lifetime,
    )


def revoke_grant(grant, *, by):
    """An editor closes one preview link at once; True when it was still open."""
    if not is_editor(by):
        raise PermissionDenied(_("Chỉ biên tập viên được thu hồi liên kết xem trước."))
    return bool(PreviewGrant.objects.filter(pk=grant.pk).revoke(by=by))


def granted_article_id(token):
    """The id of the article an open link was made for, or None: unknown, expired, revoked."""
    if not isinstance(token, str) or not TOKEN_PATTERN.fullmatch(token):
        return None
    return (
        PreviewGrant.objects.open().filter(token=token).values_list("article_id", flat=True).first()
    )
