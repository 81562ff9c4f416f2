from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.articles.photos import (
    animated_gif,
    assert_upright_without_metadata,
    frames_of,
    media_files,
    opened,
    phone_photo,
    png_declaring,
    truncated_jpeg,
)
from tests.conftest import image_bytes

UPLOAD_URL = "/ckeditor/upload/"


@pytest.fixture
def staff_client(client, reporter):
    """A reporter: the least role that may upload photos."""
    client.force_login(reporter)
    return client


def test_editor_upload_stores_a_real_photo_under_a_random_name(staff_client, media_root):
    upload = SimpleUploadedFile("Ảnh hiện trường.jpg", image_bytes(), "image/jpeg")
    response = staff_client.post(UPLOAD_URL, {"upload": upload})
    assert response.status_code == 200
    data = response.json()
    assert data["uploaded"] == "1"
    assert data["url"].startswith("/media/uploads/")
    stored = Path(media_root) / data["url"].removeprefix("/media/")
    assert stored.exists()
    assert "hien-truong" not in stored.name


def test_editor_upload_refuses_a_renamed_text_file(staff_client, media_root):
    upload = SimpleUploadedFile("anh.jpg", b"<script>alert(1)</script>", "image/jpeg")
    response = staff_client.post(UPLOAD_URL, {"upload": upload})
    assert response.status_code == 400
    assert "không phải là ảnh" in response.json()["error"]["message"]
    assert not Path(media_root).exists() or not any(Path(media_root).rglob("*.jpg"))


def test_editor_upload_dialog_gets_its_error_through_the_callback(staff_client):
    upload = SimpleUploadedFile("anh.png", b"GIF89a-broken", "image/png")
    response = staff_client.post(f"{UPLOAD_URL}?CKEditorFuncNum=3", {"upload": upload})
    assert response.status_code == 400
    assert b"callFunction(3, ''" in response.content


def test_editor_upload_without_a_file_is_a_clear_400(staff_client):
    response = staff_client.post(UPLOAD_URL, {})
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "Không có tệp nào được gửi lên."


def test_readers_cannot_upload(client, db):
    upload = SimpleUploadedFile("anh.jpg", image_bytes(), "image/jpeg")
    response = client.post(UPLOAD_URL, {"upload": upload})
    assert response.status_code == 302
    assert "/admin/login/" in response.url


def test_upload_answers_only_post(staff_client):
    assert staff_client.get(UPLOAD_URL).status_code == 405


def stored_file(media_root, response):
    return Path(media_root) / response.json()["url"].removeprefix("/media/")


@pytest.mark.parametrize("image_format", ["JPEG", "PNG", "WEBP"])
def test_editor_upload_is_stored_upright_without_location_or_camera_data(
    staff_client, media_root, image_format
):
    upload = SimpleUploadedFile("IMG_0042.jpg", phone_photo(image_format=image_format))
    response = staff_client.post(UPLOAD_URL, {"upload": upload})
    assert response.status_code == 200
    stored = stored_file(media_root, response)
    assert stored.suffix == {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp"}[image_format]
    assert_upright_without_metadata(opened(stored), (450, 800), image_format)


def test_editor_thumbnail_is_made_from_the_cleaned_photo(staff_client, media_root):
    response = staff_client.post(UPLOAD_URL, {"upload": SimpleUploadedFile("a.jpg", phone_photo())})
    stored = stored_file(media_root, response)
    thumbnail = opened(stored.with_name(f"{stored.stem}_thumb{stored.suffix}"))
    assert thumbnail.height > thumbnail.width
    assert "exif" not in thumbnail.info


def test_editor_upload_keeps_an_animation_but_not_its_comment(staff_client, media_root):
    response = staff_client.post(
        UPLOAD_URL, {"upload": SimpleUploadedFile("a.gif", animated_gif())}
    )
    assert response.status_code == 200
    animation = opened(stored_file(media_root, response))
    assert animation.n_frames == 3 and "comment" not in animation.info
    assert frames_of(animation) == [(100, (255, 0, 0)), (200, (0, 255, 0)), (300, (0, 0, 255))]


def test_editor_upload_of_a_png_named_jpg_is_stored_as_png(staff_client, media_root):
    upload = SimpleUploadedFile("anh.jpg", image_bytes(image_format="PNG"), "image/jpeg")
    response = staff_client.post(UPLOAD_URL, {"upload": upload})
    stored = stored_file(media_root, response)
    assert stored.suffix == ".png" and opened(stored).format == "PNG"


def test_editor_upload_refuses_a_decompression_bomb_in_vietnamese(staff_client, media_root):
    upload = SimpleUploadedFile("bom.png", png_declaring(30_000, 30_000), "image/png")
    response = staff_client.post(UPLOAD_URL, {"upload": upload})
    assert response.status_code == 400
    assert "Ảnh có quá nhiều điểm ảnh" in response.json()["error"]["message"]
    assert media_files(media_root) == []


def test_editor_dialog_hears_why_a_large_photo_was_refused(staff_client, media_root, settings):
    settings.IMAGE_MAX_PIXELS = 100_000
    upload = SimpleUploadedFile("lon.png", png_declaring(500, 400), "image/png")
    response = staff_client.post(f"{UPLOAD_URL}?CKEditorFuncNum=7", {"upload": upload})
    assert response.status_code == 400
    assert "callFunction(7, ''" in response.content.decode()
    assert "500×400" in response.content.decode()
    assert media_files(media_root) == []


def test_editor_upload_refuses_a_photo_cut_short(staff_client, media_root):
    response = staff_client.post(
        UPLOAD_URL, {"upload": SimpleUploadedFile("a.jpg", truncated_jpeg())}
    )
    assert response.status_code == 400
    assert "không phải là ảnh hợp lệ" in response.json()["error"]["message"]
    assert media_files(media_root) == []


@pytest.mark.parametrize("url", [UPLOAD_URL, "/ckeditor/browse/"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_visitors_and_signed_in_readers_are_sent_to_the_staff_login(
    client, make_user, media_root, url, method
):
    reader = make_user("bandoc", is_staff=False)
    for signed_in in [False, True]:
        if signed_in:
            client.force_login(reader)
        upload = SimpleUploadedFile("anh.jpg", image_bytes(), "image/jpeg")
        response = getattr(client, method)(url, {"upload": upload} if method == "post" else {})
        assert response.status_code == 302 and "/admin/login/" in response.url
    assert media_files(media_root) == []


def test_reporters_may_browse_the_uploaded_photos(staff_client, media_root):
    upload = SimpleUploadedFile("anh.jpg", image_bytes(), "image/jpeg")
    stored = staff_client.post(UPLOAD_URL, {"upload": upload}).json()["url"]
    page = staff_client.get("/ckeditor/browse/").content.decode()
    assert f'<a class="thumb" href="{stored}">' in page


def test_editor_upload_cannot_skip_the_checks_by_a_longer_address(staff_client, media_root):
    upload = SimpleUploadedFile("a.jpg", phone_photo(), "image/jpeg")
    response = staff_client.post(f"{UPLOAD_URL}x/", {"upload": upload})
    stored = [path for path in media_files(media_root) if "_thumb" not in path.name]
    assert response.status_code != 200 or all("exif" not in opened(p).info for p in stored)


# The callback number, the newsroom role, and Django's CSRF check.

HOSTILE_FUNC_NUMS = [
    "alert(document.domain),0",
    "1);alert(1);//",
    "1</script><script>alert(1)</script>",
    "١٢",  # Arabic-Indic digits: digits to str.isdigit(), not to JavaScript
    "0x1f",
    "1" * 10,
    "1" * 5000,
]


def assert_refused_without_echo(response, func_num):
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert func_num not in response.content.decode()
    assert b"<script" not in response.content


@pytest.mark.parametrize("func_num", HOSTILE_FUNC_NUMS)
def test_a_callback_that_is_not_a_number_is_refused_with_a_valid_photo(
    staff_client, media_root, func_num
):
    upload = SimpleUploadedFile("anh.jpg", image_bytes(), "image/jpeg")
    response = staff_client.post(
        UPLOAD_URL, {"upload": upload}, query_params={"CKEditorFuncNum": func_num}
    )
    assert_refused_without_echo(response, func_num)
    assert media_files(media_root) == []


@pytest.mark.parametrize("func_num", HOSTILE_FUNC_NUMS)
@pytest.mark.parametrize("content", [b"<svg onload=alert(1)>", None], ids=["not-a-photo", "none"])
def test_a_callback_that_is_not_a_number_is_refused_with_a_refused_upload(
    staff_client, media_root, func_num, content
):
    data = {} if content is None else {"upload": SimpleUploadedFile("anh.jpg", content)}
    response = staff_client.post(UPLOAD_URL, data, query_params={"CKEditorFuncNum": func_num})
    assert_refused_without_echo(response, func_num)
    assert media_files(media_root) == []


def test_a_callback_sent_by_get_is_not_echoed_either(staff_client):
    response = staff_client.get(UPLOAD_URL, {"CKEditorFuncNum": "alert(document.domain),0"})
    assert response.status_code == 405
    assert b"alert" not in response.content


def test_a_numeric_callback_gets_the_stored_photos_address(staff_client, media_root):
    upload = SimpleUploadedFile("anh.jpg", image_bytes(), "image/jpeg")
    response = staff_client.post(f"{UPLOAD_URL}?CKEditorFuncNum=12", {"upload": upload})
    assert response.status_code == 200
    assert b"callFunction(12, '/media/uploads/" in response.content
    assert [p for p in media_files(media_root) if "_thumb" not in p.name]


def test_staff_without_a_newsroom_role_may_not_upload(client, make_user, media_root):
    client.force_login(make_user("nhanvien"))
    upload = SimpleUploadedFile("anh.jpg", image_bytes(), "image/jpeg")
    assert client.post(UPLOAD_URL, {"upload": upload}).status_code == 403
    assert client.get("/ckeditor/browse/").status_code == 403
    assert media_files(media_root) == []


@pytest.mark.parametrize("person", ["reporter", "editor"])
def test_reporters_and_editors_may_upload(client, media_root, request, person):
    client.force_login(request.getfixturevalue(person))
    upload = SimpleUploadedFile("anh.jpg", image_bytes(), "image/jpeg")
    response = client.post(UPLOAD_URL, {"upload": upload})
    assert response.status_code == 200 and response.json()["uploaded"] == "1"


@pytest.fixture
def csrf_client(reporter):
    """A browser as Django's CSRF check sees it: signed in, holding the token of an admin page."""
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(reporter)
    browser.get("/admin/articles/article/add/")
    return browser


def test_an_upload_without_the_csrf_token_is_refused(csrf_client, media_root):
    upload = SimpleUploadedFile("anh.jpg", image_bytes(), "image/jpeg")
    response = csrf_client.post(UPLOAD_URL, {"upload": upload})
    assert response.status_code == 403
    assert media_files(media_root) == []


def test_an_upload_from_another_site_is_refused_even_with_the_token(csrf_client, media_root):
    upload = SimpleUploadedFile("anh.jpg", image_bytes(), "image/jpeg")
    response = csrf_client.post(
        UPLOAD_URL,
        {"upload": upload},
        headers={
            "X-CSRFToken": csrf_client.cookies["csrftoken"].value,
            "Origin": "https://evil.example",
        },
    )
    assert response.status_code == 403
    assert media_files(media_root) == []


def test_an_upload_with_the_token_in_a_header_is_stored(csrf_client, media_root):
    # As the editor sends it (static/newsroom/admin/ckeditor_upload/plugin.js).
    upload = SimpleUploadedFile("anh.jpg", image_bytes(), "image/jpeg")
    response = csrf_client.post(
        UPLOAD_URL,
        {"upload": upload},
        headers={
            "X-CSRFToken": csrf_client.cookies["csrftoken"].value,
            "Origin": "http://testserver",
        },
    )
    assert response.status_code == 200
    assert stored_file(media_root, response).exists()


def test_the_editor_is_set_up_to_send_the_csrf_token_with_its_uploads(staff_client):
    response = staff_client.get("/admin/articles/article/add/")
    page = response.content.decode()
    assert "csrfupload" in page and "/static/newsroom/admin/ckeditor_upload/" in page
    plugin = Path(finders.find("newsroom/admin/ckeditor_upload/plugin.js")).read_text()
    assert "setRequestHeader('X-CSRFToken'" in plugin
