from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from articles.models import (
    Article,
    ArticleForReview,
    Author,
    Byline,
    DeletedArticle,
    RelatedArticle,
    ScheduledArticle,
    Tag,
    Transition,
)

# Names, not the module: `workflow` here is this package's own admin module (.workflow).
from articles.workflow import (
    can_delete,
    can_edit,
    can_view,
    delete_article,
    next_version,
    record_revision,
)
from newsroom.admin import CheckedInlineAdmin, CheckedInputAdmin, ReadOnlyAdmin
from newsroom.formats import vi_datetime
from newsroom.pagecache import InvalidatesPagesAdmin
from newsroom.slugs import ADMIN_SLUG_SCRIPTS
from photos.admin import image_thumbnail

from .forms import ArticleAdminForm, AuthorAdminForm, BylineFormSet
from .previews import PreviewGrantAdminMixin
from .workflow import ReviewQueueAdmin, ScheduleAdmin, WorkflowAdminMixin


def stored_time(value):
    """A time kept as ISO text (a deleted article's history keeps UTC), written as the admin
    writes times; anything else is shown as it was kept."""
    try:
        moment = parse_datetime(value)
    except (TypeError, ValueError):
        moment = None
    if moment is None or timezone.is_naive(moment):
        return value
    return vi_datetime(moment)


class BylineInline(CheckedInlineAdmin, admin.TabularInline):
    model = Byline
    formset = BylineFormSet
    fields = ["author", "position"]
    autocomplete_fields = ["author"]
    extra = 0
    min_num = 1
    max_num = 20  # more than any byline needs; bounds what a post makes the admin read
    verbose_name = _("tác giả")
    verbose_name_plural = _("Tác giả (theo thứ tự in trên bài)")


class RelatedArticleInline(CheckedInlineAdmin, admin.TabularInline):
    model = RelatedArticle
    fk_name = "article"
    fields = ["related", "position"]
    autocomplete_fields = ["related"]
    extra = 0
    max_num = 20  # the sidebar shows five; bounds what a post makes the admin read
    verbose_name = _("tin liên quan")
    verbose_name_plural = _(
        "Tin liên quan do biên tập chọn (hiện trước, theo thứ tự; phần còn lại tự lấy theo thẻ)"
    )


class TransitionInline(admin.TabularInline):
    """The article's editorial history, read-only, newest first."""

    model = Transition
    fields = ["at", "action", "from_status_label", "to_status_label", "by", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = _("Lịch sử biên tập")
    classes = ["collapse"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("by")

    @admin.display(description=_("từ"))
    def from_status_label(self, transition):
        return Article.Status(transition.from_status).label

    @admin.display(description=_("sang"))
    def to_status_label(self, transition):
        return Article.Status(transition.to_status).label


@admin.register(Article)
class ArticleAdmin(
    CheckedInputAdmin,
    InvalidatesPagesAdmin,
    PreviewGrantAdminMixin,
    WorkflowAdminMixin,
    admin.ModelAdmin,
):
    # A save here saves the article itself (its updated_at moves), bylines and picks included.
    articles_only = True
    form = ArticleAdminForm
    inlines = [BylineInline, RelatedArticleInline, TransitionInline]
    list_display = [
        "title",
        "section",
        "byline_names",
        "status",
        "published",
        "is_live",
        "is_featured",
    ]
    list_display_links = ["title"]
    list_filter = ["status", "section", "is_featured", "authors", "publish_at", "created_at"]
    list_select_related = ["section"]
    search_fields = ["title", "sapo", "slug"]
    date_hierarchy = "publish_at"
    autocomplete_fields = ["lead_image", "tags", "extra_sections"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = [
        "lead_image_preview",
        "status",
        "publish_at",
        "unpublish_at",
        "is_featured",
        "created_at",
        "created_by",
        "updated_at",
        "updated_by",
    ]
    list_per_page = 50
    save_on_top = True
    fieldsets = [
        (None, {"fields": ["title", "slug", "sapo", "body", "edited_version"]}),
        (
            _("Ảnh đại diện"),
            {"fields": ["lead_image", "lead_image_preview", "lead_image_caption"]},
        ),
        (_("Phân loại"), {"fields": ["section", "extra_sections", "tags"]}),
        (
            _("Xuất bản"),
            {"fields": ["status", "publish_at", "unpublish_at", "is_featured"]},
        ),
        (
            _("Lịch sử"),
            {
                "classes": ["collapse"],
                "fields": ["created_at", "created_by", "updated_at", "updated_by"],
            },
        ),
    ]

    class Media:
        js = [*ADMIN_SLUG_SCRIPTS, "newsroom/admin/unsaved_changes.js"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request).with_bylines()
        if request.user.has_perm("articles.edit_any_article"):
            return queryset
        # A reporter works on, and sees, their own articles.
        return queryset.filter(created_by=request.user)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or can_edit(request.user, obj))

    def has_view_permission(self, request, obj=None):
        allowed = super().has_view_permission(request, obj)
        return allowed and (obj is None or can_view(request.user, obj))

    def get_inlines(self, request, obj):
        # The history is shown once the article exists.
        return self.inlines if obj else [BylineInline, RelatedArticleInline]

    @admin.display(description=_("tác giả"))
    def byline_names(self, article):
        return ", ".join(author.name for author in article.byline)

    @admin.display(description=_("xuất bản lúc"), ordering="publish_at")
    def published(self, article):
        return vi_datetime(article.publish_at) or "—"

    @admin.display(description=_("xem trước ảnh"))
    def lead_image_preview(self, article):
        if not article.lead_image:
            return "—"
        return format_html(
            "{}<br>{} <em>{}</em>",
            image_thumbnail(article.lead_image, width=320),
            article.lead_caption,
            article.lead_image.credit,
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        # The form names a clashing article only to whoever may open it (clean_slug).
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    def save_model(self, request, obj, form, change):
        if change:
            # Moved by the database under the row lock the form's clean() took.
            obj.version = next_version()
        else:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)
        if change:
            obj.refresh_from_db(fields=["version"])

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or can_delete(request.user, obj))

    def get_deleted_objects(self, objs, request):
        # Django's bulk delete asks has_delete_permission() without the article: each one is
        # checked here, and one that may not be deleted refuses the whole batch (a 403 when
        # confirmed anyway).
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        if any(not can_delete(request.user, article) for article in objs):
            perms_needed.add(_("bài đã xuất bản (biên tập viên gỡ bài thay vì xoá)"))
        return deleted, model_count, perms_needed, protected

    def delete_model(self, request, obj):
        self.delete_articles(request, [obj])

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            self.delete_articles(request, queryset)

    @staticmethod
    def delete_articles(request, articles):
        for article in articles:  # each locked, checked and recorded by delete_article()
            try:
                delete_article(article, by=request.user)
            except ValidationError as error:
                # Deleted by someone else since the page was shown: nothing left to delete.
                if error.code != "gone":
                    raise

    def save_related(self, request, form, formsets, change):
        with transaction.atomic():
            super().save_related(request, form, formsets, change)
            record_revision(form.instance, by=request.user)
            # Number the byline 0, 1, 2... in the order the editor gave, ties by form order.
            bylines = sorted(form.instance.bylines.all(), key=lambda b: (b.position, b.pk))
            for position, byline in enumerate(bylines):
                if byline.position != position:
                    byline.position = position
                    byline.save(update_fields=["position"])


@admin.register(Author)
class AuthorAdmin(CheckedInputAdmin, InvalidatesPagesAdmin, admin.ModelAdmin):
    form = AuthorAdminForm
    list_display = ["name", "slug", "user"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    list_select_related = ["user"]
    raw_id_fields = ["user"]

    class Media:
        js = ADMIN_SLUG_SCRIPTS


@admin.register(Tag)
class TagAdmin(CheckedInputAdmin, InvalidatesPagesAdmin, admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    class Media:
        js = ADMIN_SLUG_SCRIPTS


@admin.register(DeletedArticle)
class DeletedArticleAdmin(ReadOnlyAdmin, CheckedInputAdmin, admin.ModelAdmin):
    """The record each deleted article leaves (articles.workflow.delete_article), read-only.

    Shown to superusers: the roles hold no view permission on it, and adding one means a
    migration (staff/roles.py).
    """

    list_display = ["title", "article_id", "status", "publish_at", "deleted_by", "deleted_at"]
    list_filter = ["status", "deleted_at"]
    list_select_related = ["deleted_by"]
    search_fields = ["title", "slug"]
    fields = [
        "article_id", "title", "slug", "status", "publish_at", "deleted_by", "deleted_at",
        "history_steps",
    ]  # fmt: skip
    readonly_fields = fields

    @admin.display(description=_("lịch sử biên tập"))
    def history_steps(self, record):
        steps = format_html_join(
            "",
            "<li>{} · {} · {} ({} → {}) {}</li>",
            (
                [
                    stored_time(step.get("at", "")),
                    *(
                        step.get(key, "")
                        for key in ("by", "action", "from_status", "to_status", "note")
                    ),
                ]
                for step in record.history
                if isinstance(step, dict)
            ),
        )
        return format_html("<ul>{}</ul>", steps) if steps else "—"


admin.site.register(ArticleForReview, ReviewQueueAdmin)
admin.site.register(ScheduledArticle, ScheduleAdmin)
