"""What the newsroom keeps about its own work on an article: transitions, revisions, corrections."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from newsroom.formats import vi_datetime

from .article import Article


class Transition(models.Model):
    """One step of an article's editorial life: who, when, from, to, and the note with it."""

    class Action(models.TextChoices):
        SUBMIT = "submit", _("Gửi duyệt")
        WITHDRAW = "withdraw", _("Rút về nháp")
        RETURN = "return", _("Trả lại phóng viên")
        PUBLISH = "publish", _("Xuất bản")
        SCHEDULE = "schedule", _("Lên lịch xuất bản")
        UNPUBLISH = "unpublish", _("Gỡ bài")
        SET_UNPUBLISH_TIME = "set_unpublish_time", _("Hẹn giờ gỡ")
        FEATURE = "feature", _("Đưa lên tin nổi bật")
        UNFEATURE = "unfeature", _("Bỏ khỏi tin nổi bật")
        CORRECT = "correct", _("Đính chính")
        RESTORE = "restore", _("Khôi phục phiên bản")

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(_("từ trạng thái"), max_length=20)
    to_status = models.CharField(_("sang trạng thái"), max_length=20)
    action = models.CharField(_("thao tác"), max_length=30, choices=Action)
    note = models.TextField(_("ghi chú"), blank=True)
    publish_at = models.DateTimeField(_("thời gian xuất bản"), null=True, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("lúc"), auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("bước biên tập")
        verbose_name_plural = _("lịch sử biên tập")
        indexes = [models.Index(fields=["article", "-at"], name="transition_article_idx")]

    def __str__(self):
        return f"{self.get_action_display()} ({vi_datetime(self.at)})"


class Revision(models.Model):
    """The title, sapo and body as one save left them."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    title = models.CharField(_("tiêu đề"), max_length=255)
    sapo = models.TextField(_("sapo"))
    body = models.TextField(_("nội dung"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người lưu"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("lưu lúc"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("phiên bản")
        verbose_name_plural = _("phiên bản")
        indexes = [models.Index(fields=["article", "-created_at"], name="revision_article_idx")]

    def __str__(self):
        return f"{self.title} ({vi_datetime(self.created_at)})"


class Correction(models.Model):
    """A dated correction note that an editor appended to a published article."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="corrections")
    note = models.TextField(_("nội dung đính chính"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người đính chính"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("lúc"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("đính chính")
        verbose_name_plural = _("đính chính")

    def __str__(self):
        return self.note[:80]


class ArticleForReview(Article):
    """Articles waiting for an editor, as the admin's review queue lists them."""

    class Meta:
        proxy = True
        verbose_name = _("bài chờ duyệt")
        verbose_name_plural = _("Hàng chờ duyệt")


class ScheduledArticle(Article):
    """Published articles whose time has not come, as the admin's schedule lists them."""

    class Meta:
        proxy = True
        verbose_name = _("bài hẹn giờ")
        verbose_name_plural = _("Lịch xuất bản")


class DeletedArticle(models.Model):
    """What is left of a deleted article: who deleted it, when, and its editorial history.

    The article's own rows (transitions included) go with it; this record does not, so the
    newsroom can always say what was published, by whom, and who took it away.
    """

    article_id = models.BigIntegerField(_("mã bài"), db_index=True)
    title = models.CharField(_("tiêu đề"), max_length=255)
    slug = models.CharField(_("đường dẫn"), max_length=200)
    status = models.CharField(_("trạng thái khi xoá"), max_length=20)
    publish_at = models.DateTimeField(_("thời gian xuất bản"), null=True, blank=True)
    history = models.JSONField(
        _("lịch sử biên tập"),
        default=list,
        help_text=_("Các bước biên tập của bài, từ cũ đến mới, như khi bài bị xoá."),
    )
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người xoá"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    deleted_at = models.DateTimeField(_("xoá lúc"), auto_now_add=True)

    class Meta:
        ordering = ["-deleted_at", "-pk"]
        verbose_name = _("bài đã xoá")
        verbose_name_plural = _("bài đã xoá")

    def __str__(self):
        return f"{self.title} ({vi_datetime(self.deleted_at)})"


class PreviewGrantQuerySet(models.QuerySet):
    def open(self):
        """Links that still open their article: not revoked, not expired, and not for an
        article whose unpublish time has passed (readers lost it; so do link holders)."""
        now = timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=now).exclude(
            article__status=Article.Status.PUBLISHED, article__unpublish_at__lte=now
        )

    def revoke(self, *, by):
        """Close these links at once, in one UPDATE; returns how many were still open. Two
        editors revoking together leave the first one's name."""
        return self.filter(revoked_at__isnull=True).update(revoked_at=timezone.now(), revoked_by=by)


class PreviewGrant(models.Model):
    """A revocable link that lets someone without an account preview one article until a time.

    Made by an editor from the article's admin page, which lists and revokes them; unpublishing
    the article revokes them all (articles/previews.py).
    """

    article = models.ForeignKey(
        Article,
        verbose_name=_("bài viết"),
        on_delete=models.CASCADE,
        related_name="preview_grants",
    )
    token = models.CharField(_("mã liên kết"), max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    expires_at = models.DateTimeField(_("hết hạn lúc"))
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thu hồi"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = PreviewGrantQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("liên kết xem trước")
        verbose_name_plural = _("liên kết xem trước")

    def __str__(self):
        return f"{self.article_id}: {vi_datetime(self.created_at)}"
