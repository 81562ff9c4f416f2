from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.response import TemplateResponse
from django.urls import path, reverse
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
from newsroom.admin import CheckedInlineAdmin, CheckedInputAdmin, ReadOnlyAdmin, could_be_row_id
from newsroom.formats import vi_datetime
from newsroom.pagecache import InvalidatesPagesAdmin
from newsroom.slugs import ADMIN_SLUG_SCRIPTS
from photos.widgets import PhotoChoicesView, PhotoPicker

from .changelist import ArticleListMixin
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


@admin.register(Article)
class ArticleAdmin(
    ArticleListMixin,
    CheckedInputAdmin,
    InvalidatesPagesAdmin,
    PreviewGrantAdminMixin,
    WorkflowAdminMixin,
    admin.ModelAdmin,
):
    # A save here saves the article itself (its updated_at moves), bylines and picks included.
    articles_only = True
    form = ArticleAdminForm
    inlines = [BylineInline, RelatedArticleInline]
    # The lead photo has a picker of its own (formfield_for_foreignkey).
    autocomplete_fields = ["tags", "extra_sections"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = [
        "status",
        "publish_at",
        "unpublish_at",
        "is_featured",
    ]
    save_on_top = True
    # The work first: headline and sapo, then the bylines (article_form.js moves them up from
    # after the last fieldset, where Django draws inlines), the body, the lead photo; the
    # address and the state last.
    fieldsets = [
        (None, {"fields": ["title", "sapo", "edited_version"]}),
        (_("Nội dung"), {"fields": ["body"]}),
        (_("Ảnh đại diện"), {"fields": ["lead_image", "lead_image_caption"]}),
        (_("Phân loại"), {"fields": ["section", "extra_sections", "tags"]}),
        (
            _("Xuất bản"),
            {"fields": ["slug", "status", "publish_at", "unpublish_at", "is_featured"]},
        ),
    ]
    # The article's history (steps, saves, corrections) is one page: the admin's history view
    # (articles/admin/history.py), linked from the top of the form and the workflow panel.

    class Media:
        css = {"all": ["newsroom/admin/article_form.css"]}
        js = [
            *ADMIN_SLUG_SCRIPTS,
            "newsroom/admin/unsaved_changes.js",
            "newsroom/admin/article_form.js",
        ]

    def get_queryset(self, request):
        queryset = super().get_queryset(request).with_bylines()
        if self.sees_every_article(request.user):
            return queryset
        # A reporter works on, and sees, their own articles.
        return queryset.filter(created_by=request.user)

    @staticmethod
    def sees_every_article(user):
        return user.has_perm("articles.edit_any_article")

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or can_edit(request.user, obj))

    def has_view_permission(self, request, obj=None):
        allowed = super().has_view_permission(request, obj)
        return allowed and (obj is None or can_view(request.user, obj))

    def get_urls(self):
        photos = PhotoChoicesView.as_view(admin_site=self.admin_site)
        return [
            path("chon-anh/", self.admin_site.admin_view(photos), name="articles_article_photos"),
            *super().get_urls(),
        ]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "lead_image":
            search_url = reverse(f"{self.admin_site.name}:articles_article_photos")
            kwargs["widget"] = PhotoPicker(search_url=search_url)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "lead_image" and isinstance(
            formfield.widget, RelatedFieldWidgetWrapper
        ):
            # The picker shows the photo chosen. Of Django's links beside a field only "+"
            # (upload a new photo) stays: the others follow a visible <select>.
            wrapper = formfield.widget
            wrapper.can_change_related = wrapper.can_delete_related = False
            wrapper.can_view_related = False
        return formfield

    def get_formset_kwargs(self, request, obj, inline, prefix):
        """A new article starts with the writer's own byline, when an author is theirs."""
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        # Only on the blank form: a posted byline equal to its initial value would count as
        # unchanged, and Django would not save it.
        if isinstance(inline, BylineInline) and obj.pk is None and request.method != "POST":
            own = Author.objects.filter(user=request.user).values_list("pk", flat=True).first()
            if own is not None:
                kwargs["initial"] = [{"author": own}]
        return kwargs

    def get_view_on_site_url(self, obj=None):
        # Readers get a 404 until the article is live: staff see it as readers will.
        if obj is not None and obj.pk is not None and not obj.is_live():
            return reverse("articles:preview", args=[obj.pk])
        return super().get_view_on_site_url(obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        saving_as_new = request.method == "POST" and "_saveasnew" in request.POST
        if not saving_as_new:
            colleagues = self.article_out_of_reach(request, object_id)
            if colleagues is not None:
                return self.not_yours_view(request, colleagues)
        return super().change_view(request, object_id, form_url, extra_context)

    def article_out_of_reach(self, request, object_id):
        """The article `object_id` names when it exists but is not in this person's list (a
        colleague's, for a reporter), else None. Django would call it "does not exist"."""
        object_id = unquote(object_id)
        if self.sees_every_article(request.user) or not could_be_row_id(object_id):
            return None
        if not self.has_view_or_change_permission(request):
            return None  # Django refuses the page (403)
        if self.get_queryset(request).filter(pk=object_id).exists():
            return None
        return Article.objects.filter(pk=object_id).first()

    def not_yours_view(self, request, article):
        """Tell a reporter who opened a colleague's article that they may not edit it, and
        offer what they may open: its public page when it is live, its preview when the
        preview's rule lets them (can_view, as /xem-truoc/ asks). Its title is named only when
        readers can see it: a draft or an embargoed article stays unnamed. Nothing is saved,
        whatever is posted (403)."""
        live = article.is_live()
        may_preview = not live and can_view(request.user, article)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Bạn không sửa được bài này"),
            "article_id": article.pk,
            "public_article": article if live else None,
            "preview_url": reverse("articles:preview", args=[article.pk]) if may_preview else "",
        }
        return TemplateResponse(
            request, "admin/articles/article/not_yours.html", context, status=403
        )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        """An article this person may read but not edit (a reporter's, once submitted) is shown
        as readers will see it, under the workflow panel, instead of as a read-only form (raw
        HTML and editing help). It gets the change form's whole context."""
        response = super().render_change_form(request, context, add, change, form_url, obj)
        if change and obj is not None and not response.context_data["has_change_permission"]:
            response.template_name = "admin/articles/article/read_only.html"
        return response

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
