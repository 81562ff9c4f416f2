"""The demo's masthead (`load_demo` fills it): a made-up paper, with the notice that its content
is a demonstration. The product's own defaults (the SITE_* settings) say nothing of a demo."""

import io
from datetime import date

from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image as PillowImage
from PIL import ImageChops

from . import identity
from .logo import clean_logo
from .models import ROW_ID, Masthead

DEMO_MASTHEAD = {
    "name": "Newsroom",
    "tagline": "Hệ thống quản lý nội dung cho toà soạn",
    "licence_number": "000/GP-TRINHDIEN",
    "licence_issuer": "Cơ quan cấp phép (trình diễn)",
    "licence_date": date(2026, 1, 1),
    "publisher": "Toà soạn trình diễn Newsroom",
    "editor_in_chief": "Nguyễn Văn Trình Diễn",
    "address": "Số 1 phố Trình Diễn, quận Hoàn Kiếm, Hà Nội",
    "phone": "024 0000 0000",
    "email": "toasoan@example.com",
    "facebook_url": "https://www.facebook.com/",
    "youtube_url": "https://www.youtube.com/",
    "tiktok_url": "https://www.tiktok.com/",
    "zalo_url": "https://zalo.me/",
    "x_url": "https://x.com/",
    "footer_notice": "Nội dung trình diễn, không phải tin thật.",
}
# The static logo is a 600×60 banner for search engines; the header shows its lettering only.
DEMO_LOGO = "newsroom/logo.png"
LOGO_MARGIN = 4


def demo_logo():
    """The lettering of the static logo, cut out of its margins, as a PNG upload."""
    with PillowImage.open(finders.find(DEMO_LOGO)) as banner:
        banner = banner.convert("RGB")
        background = PillowImage.new("RGB", banner.size, banner.getpixel((0, 0)))
        left, top, right, bottom = ImageChops.difference(banner, background).getbbox()
        box = (
            max(left - LOGO_MARGIN, 0),
            max(top - LOGO_MARGIN, 0),
            min(right + LOGO_MARGIN, banner.width),
            min(bottom + LOGO_MARGIN, banner.height),
        )
        buffer = io.BytesIO()
        banner.crop(box).save(buffer, "PNG")
    return ContentFile(buffer.getvalue(), name="logo.png")


def fill_demo_masthead():
    """Give the demo its masthead, unless one was saved already (a superuser's changes survive
    `make run` again). Returns whether it was filled."""
    if Masthead.objects.filter(pk=ROW_ID).exists():
        return False
    masthead = Masthead(**DEMO_MASTHEAD)
    logo = clean_logo(demo_logo())
    masthead.logo, masthead.logo_width, masthead.logo_height = logo, logo.width, logo.height
    masthead.full_clean()
    with transaction.atomic():
        masthead.save()
        identity.changed()
    return True
