from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from articles import workflow
from articles.models import Article, Author
from newsroom.formats import vi_datetime
from newsroom.slugs import slugify_vi
from photos.library import clean_upload

# What search results show of a page, in characters: Google cuts a title at about 600 pixels
# (some 60 to 70 characters) and a description at about 160 characters; the article page uses
# the sapo as its description. Hints for the writer, not limits: the model's are 255 and 1,000.
TITLE_SEARCH_LENGTH = 70
SAPO_SEARCH_LENGTH = 160


def counted(widget, *, limit, over):
    """`widget` with the live character counter of static/newsroom/admin/article_form.js
    ("42/70 ký tự"); past `limit` it adds `over`, as a hint: saving is not refused."""
    widget.attrs.update(
        {
            "data-counter-limit": limit,
            "data-counter-text": _("{count}/{limit} ký tự"),
            "data-counter-over": over,
        }
    )
    return widget


class ArticleAdminForm(forms.ModelForm):
    class Meta:
        model = Article
        # State, times and "Tin nổi bật" change only through articles/workflow.py.
        fields = [
            "title", "slug", "sapo", "body", "lead_image", "lead_image_caption", "section",
            "extra_sections", "tags",
        ]  # fmt: skip
        widgets = {
            "title": counted(
                forms.TextInput(attrs={"class": "vTextField article-title"}),
                limit=TITLE_SEARCH_LENGTH,
                over=format_lazy(
                    _("dài hơn {limit} ký tự: Google có thể cắt bớt tiêu đề khi hiện kết quả."),
                    limit=TITLE_SEARCH_LENGTH,
                ),
            ),
            "sapo": counted(
                forms.Textarea(attrs={"rows": 3, "class": "vLargeTextField article-sapo"}),
                limit=SAPO_SEARCH_LENGTH,
                over=format_lazy(
                    _("dài hơn {limit} ký tự: Google và mạng xã hội chỉ hiện phần đầu làm mô tả."),
                    limit=SAPO_SEARCH_LENGTH,
                ),
            ),
        }
        help_texts = {
            "title": format_lazy(
                _("Nên gọn trong {limit} ký tự để hiện trọn trong kết quả tìm kiếm của Google."),
                limit=TITLE_SEARCH_LENGTH,
            ),
            "sapo": format_lazy(
                _(
                    "Đoạn mở đầu in đậm dưới tiêu đề: một hai câu tóm tắt bài viết. Nên gọn trong "
                    "{limit} ký tự: Google và mạng xã hội hiện chừng ấy làm mô tả của bài."
                ),
                limit=SAPO_SEARCH_LENGTH,
            ),
        }

    # Who is editing; the admin sets it (ArticleAdmin.get_form). See clean_slug().
    user = None

    # The version the person started editing from (see clean()).
    edited_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Accept "Đường dây nóng" as typed; clean_slug turns it into "duong-day-nong".
        if "slug" in self.fields:  # absent from the read-only view of an article
            self.fields["slug"].validators = []
        self.fields["edited_version"].initial = self.instance.version

    def clean(self):
        """Refuse a save made from a stale copy, keeping everything the person typed.

        The admin runs this inside the request's transaction, and the row stays locked
        until the save: two people saving at once cannot both pass.
        """
        cleaned = super().clean()
        if self.instance.pk is None:
            return cleaned
        current = (
            Article.objects.select_for_update(of=("self",))
            .select_related("updated_by")
            .only("version", "updated_at", "updated_by__username")
            .get(pk=self.instance.pk)
        )
        if cleaned.get("edited_version") != current.version:
            who = current.updated_by.get_username() if current.updated_by else _("người khác")
            # Saving once more, having read the message, overwrites on purpose.
            self.data = self.data.copy()
            self.data["edited_version"] = current.version
            raise forms.ValidationError(
                _(
                    "Bài này vừa được %(who)s lưu lúc %(time)s, sau khi bạn mở trang. Bài "
                    "chưa được lưu để không ghi đè thay đổi của họ; những gì bạn nhập vẫn còn "
                    "nguyên bên dưới. Hãy mở bài ở thẻ mới để xem bản mới nhất, hoặc nhấn Lưu "
                    "lần nữa để ghi đè."
                ),
                params={
                    "who": who,
                    "time": vi_datetime(current.updated_at, "seconds"),
                },
                code="stale",
            )
        return cleaned

    def clean_slug(self):
        """Normalise a typed slug (no accents, đ → d) and explain a clash in plain words."""
        slug = slugify_vi(self.cleaned_data.get("slug") or "", max_length=200)
        if not slug:
            return ""
        clash = Article.objects.filter(slug=slug).exclude(pk=self.instance.pk).first()
        if clash and not self.may_name(clash):
            # Naming it would give away another reporter's draft or an embargoed article.
            raise forms.ValidationError(
                _(
                    "Đường dẫn “%(slug)s” đã thuộc về một bài khác. Hãy sửa đường dẫn, "
                    "hoặc để trống để hệ thống tự tạo đường dẫn khác."
                ),
                params={"slug": slug},
                code="slug_taken",
            )
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

    def may_name(self, article):
        """Whether the person may learn this article's title: they may open it, or readers can."""
        return article.is_live() or (
            self.user is not None and workflow.can_view(self.user, article)
        )


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


class AuthorAdminForm(forms.ModelForm):
    """An author's portrait is checked and cleaned as every photo the site stores
    (`photos.library.clean_upload`: upright, without location or camera data) when it arrives,
    so that a refusal shows on the form, in words that say why."""

    class Meta:
        model = Author
        fields = ["name", "slug", "bio", "photo", "user"]
        # Django's image field reads the upload with every image parser Pillow has.
        field_classes = {"photo": forms.FileField}

    def clean_photo(self):
        photo = self.cleaned_data["photo"]
        if isinstance(photo, UploadedFile):
            return clean_upload(photo)
        return photo
