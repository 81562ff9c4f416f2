"""The masthead's admin page: superusers only; the settings' values to start from; what a
superuser saves shows at once on every page, feed and structured data; bad input gets a form
error in Vietnamese, never a server error."""

import io
import json
import re

import pytest
from django.contrib.admin.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PillowImage

from masthead.models import Masthead
from tests.conftest import image_bytes

CHANGE_URL = reverse("admin:masthead_masthead_change", args=[1])
LIST_URL = reverse("admin:masthead_masthead_changelist")


def form_data(**changes):
    data = {
        "name": "Báo Sông Hương",
        "tagline": "Tin nhanh từ cố đô",
        "licence_number": "45/GP-BTTTT",
        "licence_issuer": "Bộ Thông tin và Truyền thông",
        "licence_date": "15/03/2023",
        "publisher": "Hội Nhà báo Thừa Thiên Huế",
        "editor_in_chief": "Lê Thị Hoa",
        "address": "9 Hùng Vương, Huế",
        "phone": "0234 382 1234",
        "email": "toasoan@songhuong.vn",
        "facebook_url": "https://www.facebook.com/baosonghuong",
        "youtube_url": "https://www.youtube.com/@baosonghuong",
        "tiktok_url": "",
        "zalo_url": "https://zalo.me/baosonghuong",
        "x_url": "",
        "footer_notice": "Ghi rõ nguồn “Báo Sông Hương” khi phát hành lại thông tin.",
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def png_upload(size=(240, 60), name="logo.png", **options):
    buffer = io.BytesIO()
    PillowImage.new("RGBA", size, (159, 28, 32, 255)).save(buffer, "PNG", **options)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def save(client, django_capture_on_commit_callbacks, **changes):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(CHANGE_URL, form_data(**changes))
    return response


# Who may open it ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["reporter", "editor"])
def test_reporters_and_editors_can_neither_open_nor_change_the_masthead(client, request, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(LIST_URL).status_code == 403
    assert client.get(CHANGE_URL).status_code == 403
    assert client.post(CHANGE_URL, form_data()).status_code == 403
    assert not Masthead.objects.exists()
    index = client.get(reverse("admin:index")).content.decode()
    assert "/admin/masthead/" not in index


def test_a_superuser_finds_it_on_the_admin_home_and_lands_on_the_one_form(superuser_client):
    index = superuser_client.get(reverse("admin:index")).content.decode()
    assert LIST_URL in index
    assert "Thông tin toà soạn" in index
    response = superuser_client.get(LIST_URL)
    assert response.status_code == 302
    assert response["Location"] == CHANGE_URL


def test_the_masthead_is_never_added_or_deleted_through_the_admin(superuser_client):
    add = superuser_client.post(reverse("admin:masthead_masthead_add"), form_data())
    assert add.status_code == 403
    delete = superuser_client.post(
        reverse("admin:masthead_masthead_delete", args=[1]), {"post": "yes"}
    )
    assert delete.status_code == 403
    assert superuser_client.get(
        reverse("admin:masthead_masthead_change", args=[2])
    ).status_code in (
        302,
        404,
    )
    assert not Masthead.objects.exists()


def test_the_form_starts_from_the_settings(settings, superuser_client):
    settings.SITE_NAME = "Báo Từ Cấu Hình"
    settings.SITE_LICENCE_NUMBER = "7/GP-BTTTT"
    page = superuser_client.get(CHANGE_URL).content.decode()
    assert 'value="Báo Từ Cấu Hình"' in page
    assert 'value="7/GP-BTTTT"' in page
    assert not Masthead.objects.exists()


# A save shows at once -------------------------------------------------------------------------


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE = True


def test_a_save_shows_at_once_on_every_page_feed_and_structured_data(
    page_cache, client, superuser_client, make_article, django_capture_on_commit_callbacks
):
    article = make_article(title="Khánh thành cầu mới")
    pages = ["/", article.get_absolute_url(), "/rss/", "/sitemap-news.xml"]
    for url in pages:
        assert "Newsroom" in client.get(url).content.decode()  # cached now
        assert client.get(url)["X-Cache"] == "HIT"

    response = save(superuser_client, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert response["Location"] == CHANGE_URL

    home = client.get("/").content.decode()
    assert '<a class="brand" href="/">Báo Sông Hương</a>' in home
    assert "<title>Báo Sông Hương — Tin tức mới nhất trong ngày</title>" in home
    assert (
        "Giấy phép hoạt động báo chí số 45/GP-BTTTT do Bộ Thông tin và Truyền thông cấp ngày "
        "15/03/2023."
    ) in home
    assert "Tổng biên tập: Lê Thị Hoa" in home
    assert "Newsroom" not in home

    page = client.get(article.get_absolute_url()).content.decode()
    assert "<title>Khánh thành cầu mới — Báo Sông Hương</title>" in page
    news, _crumbs = [
        json.loads(block)
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', page)
    ]
    assert news["publisher"]["name"] == "Báo Sông Hương"
    assert "Newsroom" not in page

    assert "<title>Báo Sông Hương — Tin mới nhất</title>" in client.get("/rss/").content.decode()
    sitemap = client.get("/sitemap-news.xml").content.decode()
    assert "<news:name>Báo Sông Hương</news:name>" in sitemap

    entry = LogEntry.objects.get()
    assert entry.user.username == "quantri"
    assert Masthead.objects.get().name == "Báo Sông Hương"


def test_an_uploaded_logo_is_cleaned_and_shows_in_the_header_and_structured_data(
    client, superuser_client, make_article, django_capture_on_commit_callbacks, media_root
):
    article = make_article()
    exif = PillowImage.Exif()
    exif[0x010E] = "chụp tại toà soạn, GPS đâu đó"  # ImageDescription
    response = save(
        superuser_client, django_capture_on_commit_callbacks, logo=png_upload(exif=exif)
    )
    assert response.status_code == 302
    masthead = Masthead.objects.get()
    assert masthead.logo.name.startswith("masthead/")
    assert masthead.logo.name.endswith(".png")
    assert (masthead.logo_width, masthead.logo_height) == (240, 60)
    stored = (media_root / masthead.logo.name).read_bytes()
    assert b"GPS" not in stored

    home = client.get("/").content.decode()
    assert (
        f'<a class="brand" href="/"><img class="brand__logo" src="/media/{masthead.logo.name}" '
        'width="240" height="60" alt="Báo Sông Hương"></a>'
    ) in home
    page = client.get(article.get_absolute_url()).content.decode()
    news = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page)[1])
    assert news["publisher"]["logo"] == {
        "@type": "ImageObject",
        "url": f"http://testserver/media/{masthead.logo.name}",
        "width": 240,
        "height": 60,
    }

    # Saved again without a new file, the logo stays; cleared, the name comes back as text.
    assert save(superuser_client, django_capture_on_commit_callbacks).status_code == 302
    assert Masthead.objects.get().logo.name == masthead.logo.name
    save(superuser_client, django_capture_on_commit_callbacks, **{"logo-clear": "on"})
    cleared = Masthead.objects.get()
    assert not cleared.logo
    assert cleared.logo_width is None
    assert '<a class="brand" href="/">Báo Sông Hương</a>' in client.get("/").content.decode()


# Bad input ------------------------------------------------------------------------------------


def animated_gif():
    buffer = io.BytesIO()
    frames = [PillowImage.new("RGB", (100, 40), colour) for colour in ("red", "blue")]
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=100)
    return SimpleUploadedFile("logo.gif", buffer.getvalue(), content_type="image/gif")


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": ""}, "name", "Trường này là bắt buộc."),
        ({"facebook_url": "https://www.faceb00k.com/baothu"}, "facebook_url", "thuộc facebook.com"),
        (
            {"facebook_url": "http://www.facebook.com/baothu"},
            "facebook_url",
            "bắt đầu bằng https://",
        ),
        ({"youtube_url": "javascript:alert(1)"}, "youtube_url", "Nhập một URL hợp lệ."),
        ({"zalo_url": "https://zalo.me.evil.example/x"}, "zalo_url", "thuộc zalo.me"),
        ({"x_url": "không phải địa chỉ"}, "x_url", "Nhập một URL hợp lệ."),
        ({"phone": "gọi cho tôi"}, "phone", "Số điện thoại chỉ gồm chữ số"),
        ({"email": "toasoan@"}, "email", "Nhập địa chỉ email."),
        ({"licence_date": "31/02/2024"}, "licence_date", "Nhập một ngày hợp lệ."),
        (
            {"logo": SimpleUploadedFile("logo.png", b"<svg onload=alert(1)>", "image/png")},
            "logo",
            "Tệp tải lên không phải là ảnh hợp lệ",
        ),
        ({"logo": png_upload(size=(2400, 300))}, "logo", "Logo quá lớn (2400×300 điểm ảnh)"),
        ({"logo": animated_gif()}, "logo", "Logo không được là ảnh động."),
        (
            {
                "logo": SimpleUploadedFile(
                    "logo.jpg", image_bytes(size=(1200, 400)) + b"\0" * 600_000, "image/jpeg"
                )
            },
            "logo",
            "Tệp logo quá nặng",
        ),
    ],
    ids=[
        "no-name",
        "other-site",
        "plain-http",
        "javascript",
        "look-alike-host",
        "not-a-url",
        "phone",
        "email",
        "no-such-day",
        "not-an-image",
        "logo-too-large",
        "animated-logo",
        "logo-too-heavy",
    ],
)
def test_bad_input_gets_a_vietnamese_form_error_and_saves_nothing(
    superuser_client, django_capture_on_commit_callbacks, changes, field, message, media_root
):
    response = save(superuser_client, django_capture_on_commit_callbacks, **changes)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert field in errors
    assert message in " ".join(errors[field])
    assert not Masthead.objects.exists()
    assert not (media_root / "masthead").exists()


def test_a_link_typed_without_its_scheme_is_read_as_https(
    superuser_client, django_capture_on_commit_callbacks
):
    response = save(
        superuser_client, django_capture_on_commit_callbacks, facebook_url="facebook.com/baothu"
    )
    assert response.status_code == 302
    assert Masthead.objects.get().facebook_url == "https://facebook.com/baothu"
