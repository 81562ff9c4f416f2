"""The article admin's preview-link panel: links for people without an account, made, listed
and revoked by editors (articles/previews.py holds the rules)."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from articles import previews
from articles.workflow import is_editor
from newsroom.formats import vi_datetime

# The lifetimes the panel offers, in days; the default is previews.DEFAULT_LIFETIME.
LIFETIME_CHOICES = [1, 3, 7, 14, 30]
# The panel lists this many links, newest first: enough for any article's review.
GRANTS_SHOWN = 50


def preview_panel(request, article):
    """What the panel shows this person for this article, read in one query.

    Everyone who may open the article sees who made which link and until when; only editors
    see the links themselves (a link opens the article to whoever holds it) and the buttons.
    """
    may_grant = is_editor(request.user)
    now = timezone.now()
    grants = article.preview_grants.select_related("created_by", "revoked_by")[:GRANTS_SHOWN]
    rows = []
    for grant in grants:
        is_open = previews.is_open(grant, article=article, now=now)
        if grant.revoked_at is not None:
            state = _("đã thu hồi")
        elif is_open:
            state = _("còn hiệu lực")
        elif grant.expires_at > now:
            state = _("đã đóng: bài đã tự gỡ")
        else:
            state = _("hết hạn")
        rows.append(
            {
                "grant": grant,
                "state": state,
                "is_open": is_open,
                "url": request.build_absolute_uri(previews.grant_path(grant))
                if may_grant and is_open
                else "",
                "revoke_url": reverse(
                    "admin:articles_article_revoke_preview", args=[article.pk, grant.pk]
                ),
            }
        )
    return {
        "grants": rows,
        "may_grant": may_grant,
        "grant_url": reverse("admin:articles_article_grant_preview", args=[article.pk]),
        "lifetimes": LIFETIME_CHOICES,
        "default_lifetime": previews.DEFAULT_LIFETIME.days,
    }


class PreviewGrantAdminMixin:
    """Adds the preview-link actions (make, revoke) to the article admin."""

    def get_urls(self):
        wrap = self.admin_site.admin_view  # staff only, CSRF-checked
        return [
            path(
                "<int:object_id>/xem-truoc/tao/",
                wrap(self.grant_preview_view),
                name="articles_article_grant_preview",
            ),
            path(
                "<int:object_id>/xem-truoc/<int:grant_id>/thu-hoi/",
                wrap(self.revoke_preview_view),
                name="articles_article_revoke_preview",
            ),
            *super().get_urls(),
        ]

    def preview_panel_redirect(self, article):
        url = reverse("admin:articles_article_change", args=[article.pk])
        return HttpResponseRedirect(f"{url}#xem-truoc")

    def grant_preview_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not is_editor(request.user):
            raise PermissionDenied
        article = get_object_or_404(self.get_queryset(request), pk=object_id)
        days = request.POST.get("days", "")
        try:
            if days not in {str(choice) for choice in LIFETIME_CHOICES}:
                raise ValidationError(_("Hãy chọn thời hạn của liên kết trong danh sách."))
            grant = previews.grant_preview(
                article, by=request.user, lifetime=timedelta(days=int(days))
            )
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        else:
            url = request.build_absolute_uri(previews.grant_path(grant))
            expires = vi_datetime(grant.expires_at)
            self.message_user(
                request,
                format_html(
                    _('Đã tạo liên kết xem trước, hết hạn lúc {}: <a href="{}">{}</a>'),
                    expires,
                    url,
                    url,
                ),
                messages.SUCCESS,
            )
        return self.preview_panel_redirect(article)

    def revoke_preview_view(self, request, object_id, grant_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not is_editor(request.user):
            raise PermissionDenied
        article = get_object_or_404(self.get_queryset(request), pk=object_id)
        grant = get_object_or_404(article.preview_grants, pk=grant_id)
        if previews.revoke_grant(grant, by=request.user):
            self.message_user(request, _("Đã thu hồi liên kết xem trước."), messages.SUCCESS)
        else:
            self.message_user(
                request, _("Liên kết này đã hết hạn hoặc đã bị thu hồi từ trước."), messages.INFO
            )
        return self.preview_panel_redirect(article)
