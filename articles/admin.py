from django import forms
from django.contrib import admin
from django.db import transaction
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from newsroom.slugs import ADMIN_SLUG_SCRIPTS, slugify_vi

from .models import Article, Author, Byline, Image, RelatedArticle, Tag
from .templatetags.news import vi_date


def image_thumbnail(image, *, width=160):
    if not image or not image.file:
        return "—"
    return format_html(
        '<img src="{}" alt="{}" width="{}" style="height:auto;border-radius:4px">',
        image.file.url,
        image.alt_text,
        width,
    )


class ArticleAdminForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = [
            "title", "slug", "sapo", "body", "lead_image", "lead_image_caption", "section",
            "extra_sections", "tags", "status", "publish_at", "unpublish_at", "is_featured",
        ]  # fmt: skip
        widgets = {"sapo": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Accept "Đường dây nóng" as typed; clean_slug turns it into "duong-day-nong".
        self.fields["slug"].validators = []

    def clean_slug(self):
        """Normalise a typed slug (no accents, đ → d) and explain a clash in plain words."""
        slug = slugify_vi(self.cleaned_data.get("slug") or "", max_length=200)
        if not slug:
            return ""
        clash = Article.objects.filter(slug=slug).exclude(pk=self.instance.pk).first()
        if clash:
            raise forms.ValidationError(
                _(
                    "Đường dẫn “%(slug)s” đã thuộc về bài “%(title)s”. Hãy sửa đường dẫn, "
                    "hoặc để trống để hệ thống tự tạo đường dẫn khác."
                ),
                params={"slug": slug, "title": clash.title},
                code="slug_taken",
            )
        return slug


class BylineFormSet(forms.BaseInlineFormSet):
    def clean(self):
        """An article carries at least one byline, whatever the browser sent."""
        super().clean()
        kept = [
            form
            for form in self.forms
            if form.cleaned_data.get("author") and not form.cleaned_data.get("DELETE")
        ]
        if not kept:
            raise forms.ValidationError(_("Bài viết cần ít nhất một tác giả."), code="no_author")


class BylineInline(admin.TabularInline):
    model = Byline
    formset = BylineFormSet
    fields = ["author", "position"]
    autocomplete_fields = ["author"]
    extra = 0
    min_num = 1
    verbose_name = _("tác giả")
    verbose_name_plural = _("Tác giả (theo thứ tự in trên bài)")


class RelatedArticleInline(admin.TabularInline):
    model = RelatedArticle
    fk_name = "article"
    fields = ["related", "position"]
    autocomplete_fields = ["related"]
    extra = 0
    verbose_name = _("tin liên quan")
    verbose_name_plural = _(
        "Tin liên quan do biên tập chọn (hiện trước, theo thứ tự; phần còn lại tự lấy theo thẻ)"
    )


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleAdminForm
    inlines = [BylineInline, RelatedArticleInline]
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
    readonly_fields = ["lead_image_preview", "created_at", "created_by", "updated_at", "updated_by"]
    list_per_page = 50
    save_on_top = True
    fieldsets = [
        (None, {"fields": ["title", "slug", "sapo", "body"]}),
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
        js = ADMIN_SLUG_SCRIPTS

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("bylines__author")

    @admin.display(description=_("tác giả"))
    def byline_names(self, article):
        return ", ".join(author.name for author in article.byline)

    @admin.display(description=_("xuất bản lúc"), ordering="publish_at")
    def published(self, article):
        return vi_date(article.publish_at) or "—"

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

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        with transaction.atomic():
            super().save_related(request, form, formsets, change)
            # Number the byline 0, 1, 2... in the order the editor gave, ties by form order.
            bylines = sorted(form.instance.bylines.all(), key=lambda b: (b.position, b.pk))
            for position, byline in enumerate(bylines):
                if byline.position != position:
                    byline.position = position
                    byline.save(update_fields=["position"])


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    list_display = ["thumbnail", "caption", "credit", "dimensions", "created_at"]
    list_display_links = ["thumbnail", "caption"]
    search_fields = ["caption", "credit", "alt_text"]
    readonly_fields = ["preview", "width", "height", "created_at", "uploaded_by"]
    fields = ["file", "preview", "caption", "credit", "alt_text", "width", "height", "created_at"]

    @admin.display(description=_("ảnh"))
    def thumbnail(self, image):
        return image_thumbnail(image, width=96)

    @admin.display(description=_("xem trước"))
    def preview(self, image):
        return image_thumbnail(image, width=480)

    @admin.display(description=_("kích thước"))
    def dimensions(self, image):
        return f"{image.width}×{image.height}" if image.width else "—"

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)
        if not change or "file" in form.changed_data:
            obj.make_renditions()


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "user"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    list_select_related = ["user"]
    raw_id_fields = ["user"]

    class Media:
        js = ADMIN_SLUG_SCRIPTS


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    class Media:
        js = ADMIN_SLUG_SCRIPTS
