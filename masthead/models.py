from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.templatetags.static import static
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from photos.cleaning import random_upload_name

from .logo import LOGO_MAX_BYTES, LOGO_MAX_HEIGHT, LOGO_MAX_WIDTH

# The one row there is: the masthead is a single row, whose id is always this.
ROW_ID = 1

# Each social network's link, and the sites it may point at (a host or any of its subdomains).
SOCIAL_NETWORKS = {
    "facebook_url": ("Facebook", ("facebook.com", "fb.com", "fb.me")),
    "youtube_url": ("YouTube", ("youtube.com", "youtu.be")),
    "tiktok_url": ("TikTok", ("tiktok.com",)),
    "zalo_url": ("Zalo", ("zalo.me", "zalo.vn")),
    "x_url": ("X", ("x.com", "twitter.com")),
}


def logo_path(instance, filename):
    return f"masthead/{random_upload_name(filename)}"


class OnNetwork:
    """A validator: the link is https and on one of the network's own sites, so that a footer
    link named "Facebook" leads to Facebook."""

    def __init__(self, field_name):
        self.field_name = field_name

    def __call__(self, value):
        label, domains = SOCIAL_NETWORKS[self.field_name]
        parts = urlsplit(value)
        host = (parts.hostname or "").lower()
        if parts.scheme != "https" or not any(
            host == domain or host.endswith(f".{domain}") for domain in domains
        ):
            raise ValidationError(
                _(
                    "Địa chỉ %(network)s phải bắt đầu bằng https:// và thuộc %(domains)s, "
                    "ví dụ https://%(example)s/tentoasoan."
                ),
                code="not_on_network",
                params={"network": label, "domains": ", ".join(domains), "example": domains[0]},
            )

    def __eq__(self, other):
        return isinstance(other, OnNetwork) and other.field_name == self.field_name

    def deconstruct(self):
        return ("masthead.models.OnNetwork", (self.field_name,), {})


validate_phone = RegexValidator(
    r"^\+?[0-9][0-9 .()-]{6,22}[0-9]$",
    _(
        "Số điện thoại chỉ gồm chữ số, dấu cách, dấu chấm, dấu gạch ngang, dấu ngoặc và dấu + "
        "ở đầu; ví dụ 024 3825 1234 hoặc +84 24 3825 1234."
    ),
    code="invalid_phone",
)


def social_link(field_name):
    return models.URLField(
        SOCIAL_NETWORKS[field_name][0],
        max_length=300,
        blank=True,
        validators=[OnNetwork(field_name)],
        help_text=_("Địa chỉ trang của toà soạn, bắt đầu bằng https://. Để trống để không hiện."),
    )


class Masthead(models.Model):
    """The site's identity: what the header and footer show of the newsroom itself, and what
    feeds, sitemaps and structured data name as the publisher. There is one row (id 1); until
    a superuser first saves it, `from_settings()` stands in for it."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=ROW_ID, editable=False)
    name = models.CharField(
        _("tên báo"),
        max_length=100,
        help_text=_("Hiện ở đầu mỗi trang, trong tiêu đề trang, RSS và dữ liệu cho máy tìm kiếm."),
    )
    tagline = models.CharField(
        _("khẩu hiệu"),
        max_length=200,
        blank=True,
        help_text=_("Một dòng ngắn cạnh tên báo ở chân trang. Có thể để trống."),
    )
    logo = models.FileField(
        _("logo"),
        upload_to=logo_path,
        blank=True,
        help_text=format_lazy(
            _(
                "Ảnh PNG, JPEG, WebP hoặc GIF (không động), rộng tối đa {width} và cao tối đa "
                "{height} điểm ảnh, nhẹ hơn {kilobytes} KB; nên dùng PNG nền trong, cao khoảng 80 "
                "điểm ảnh. Hiện thay tên báo ở đầu trang và là logo trong dữ liệu cho máy tìm "
                "kiếm. Để trống: đầu trang hiện tên báo bằng chữ."
            ),
            width=LOGO_MAX_WIDTH,
            height=LOGO_MAX_HEIGHT,
            kilobytes=LOGO_MAX_BYTES // 1024,
        ),
    )
    logo_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    logo_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    licence_number = models.CharField(
        _("số giấy phép"),
        max_length=100,
        blank=True,
        help_text=_("Số giấy phép hoạt động báo chí, ví dụ 123/GP-BTTTT."),
    )
    licence_issuer = models.CharField(
        _("cơ quan cấp phép"),
        max_length=200,
        blank=True,
        help_text=_("Ví dụ: Bộ Thông tin và Truyền thông."),
    )
    licence_date = models.DateField(
        _("ngày cấp"), null=True, blank=True, help_text=_("Ngày/tháng/năm, ví dụ 01/02/2024.")
    )
    publisher = models.CharField(
        _("cơ quan chủ quản"),
        max_length=200,
        blank=True,
        help_text=_("Cơ quan chủ quản hoặc đơn vị xuất bản."),
    )
    editor_in_chief = models.CharField(
        _("tổng biên tập"), max_length=100, blank=True, help_text=_("Họ tên Tổng biên tập.")
    )
    address = models.CharField(
        _("địa chỉ toà soạn"), max_length=300, blank=True, help_text=_("Hiện ở chân trang.")
    )
    phone = models.CharField(
        _("điện thoại"),
        max_length=30,
        blank=True,
        validators=[validate_phone],
        help_text=_("Số đường dây nóng hoặc toà soạn, ví dụ 024 3825 1234."),
    )
    email = models.EmailField(
        _("thư điện tử"), blank=True, help_text=_("Địa chỉ nhận tin bài và phản hồi của bạn đọc.")
    )
    facebook_url = social_link("facebook_url")
    youtube_url = social_link("youtube_url")
    tiktok_url = social_link("tiktok_url")
    zalo_url = social_link("zalo_url")
    x_url = social_link("x_url")
    footer_notice = models.TextField(
        _("ghi chú chân trang"),
        max_length=500,
        blank=True,
        help_text=_(
            "Dòng cuối trang, ví dụ về bản quyền: “Ghi rõ nguồn khi phát hành lại thông tin từ "
            "trang này.”"
        ),
    )

    class Meta:
        ordering = ["id"]
        verbose_name = _("thông tin toà soạn")
        verbose_name_plural = _("thông tin toà soạn")
        constraints = [
            models.CheckConstraint(condition=models.Q(id=ROW_ID), name="masthead_single_row"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:home")

    @classmethod
    def from_settings(cls):
        """The masthead as the settings describe it: what pages show until a superuser saves
        the row (not saved here)."""
        return cls(
            id=ROW_ID,
            name=settings.SITE_NAME,
            tagline=settings.SITE_TAGLINE,
            footer_notice=settings.SITE_FOOTER_NOTICE,
            licence_number=settings.SITE_LICENCE_NUMBER,
            licence_issuer=settings.SITE_LICENCE_ISSUER,
            licence_date=settings.SITE_LICENCE_DATE,
            publisher=settings.SITE_PUBLISHER,
            editor_in_chief=settings.SITE_EDITOR_IN_CHIEF,
            address=settings.SITE_ADDRESS,
            phone=settings.SITE_PHONE,
            email=settings.SITE_EMAIL,
            facebook_url=settings.SITE_FACEBOOK_URL,
            youtube_url=settings.SITE_YOUTUBE_URL,
            tiktok_url=settings.SITE_TIKTOK_URL,
            zalo_url=settings.SITE_ZALO_URL,
            x_url=settings.SITE_X_URL,
        )

    @property
    def logo_url(self):
        """The publisher's logo as structured data names it: the uploaded logo, else the
        static file SITE_LOGO; "" when there is neither."""
        if self.logo:
            return self.logo.url
        return static(settings.SITE_LOGO) if settings.SITE_LOGO else ""

    @property
    def licence(self):
        """The licence line, "Giấy phép hoạt động báo chí số 123/GP-BTTTT do … cấp ngày
        01/02/2024.", or "" without a licence number."""
        if not self.licence_number:
            return ""
        words = [f"Giấy phép hoạt động báo chí số {self.licence_number}"]
        if self.licence_issuer:
            words.append(f"do {self.licence_issuer} cấp")
        if self.licence_date:
            words.append(("ngày " if self.licence_issuer else "cấp ngày ") + self.licence_day)
        return " ".join(words) + "."

    @property
    def licence_day(self):
        return date_format(self.licence_date, "SHORT_DATE_FORMAT") if self.licence_date else ""

    @property
    def phone_link(self):
        """The phone number for a tel: link: digits, and a leading +."""
        digits = "".join(character for character in self.phone if character.isdigit())
        return f"+{digits}" if self.phone.startswith("+") else digits

    @property
    def social_links(self):
        """[(network, address)] of the links filled in, in a fixed order."""
        return [
            (label, getattr(self, field_name))
            for field_name, (label, _domains) in SOCIAL_NETWORKS.items()
            if getattr(self, field_name)
        ]
