from playwright.sync_api import expect

from articles.models import Article
from photos.models import Image
from tests.browser.admin_steps import log_in, send_photo_from_image_dialog, write_article


def test_slug_fills_in_from_a_vietnamese_title(page, live_server, staff_login, transactional_db):
    staff_login()
    page.goto(f"{live_server.url}/admin/articles/article/add/")
    page.locator("#id_title").press_sequentially("Đà Nẵng: đường dây nóng")
    expect(page.locator("#id_slug")).to_have_value("da-nang-duong-day-nong")


def test_writer_saves_an_article_with_a_captioned_photo_in_the_body(
    page, live_server, staff_login, photo, transactional_db, make_image, make_section, make_author
):
    make_section("Thời sự")
    make_author("Hải Nhi")
    lead = make_image(caption="Chú thích gốc của ảnh đại diện.")
    staff_login()
    write_article(
        page,
        live_server,
        title="Đà Nẵng: đường dây nóng",
        sapo="Thành phố mở đường dây nóng tiếp nhận phản ánh của người dân.",
        body="Đường dây nóng hoạt động suốt ngày đêm.",
        photo=photo,
        alt="Tổng đài viên trực máy",
        caption="Tổng đài viên trực đường dây nóng.",
        section="Thời sự",
        lead="Chú thích gốc",
        author="Hải Nhi",
    )

    article = Article.objects.get()
    assert article.slug == "da-nang-duong-day-nong"
    assert '<figure class="image">' in article.body
    assert "<figcaption>Tổng đài viên trực đường dây nóng.</figcaption>" in article.body
    assert 'alt="Tổng đài viên trực máy"' in article.body
    assert "/media/uploads/" in article.body
    assert article.lead_image == lead
    assert [a.name for a in article.byline] == ["Hải Nhi"]
    assert Image.objects.get(pk=lead.pk).caption == "Chú thích gốc của ảnh đại diện."


def test_a_reporters_upload_from_the_editor_carries_the_csrf_token_and_is_stored(
    page, live_server, reporter, photo, transactional_db, media_root
):
    log_in(page, live_server, "phongvien", "mat-khau-dai-1")
    page.goto(f"{live_server.url}/admin/articles/article/add/")
    with page.expect_response(lambda r: "/ckeditor/upload/" in r.url) as answer:
        send_photo_from_image_dialog(page, photo)
    request = answer.value.request
    assert answer.value.status == 200
    cookies = {cookie["name"]: cookie["value"] for cookie in page.context.cookies()}
    assert request.headers.get("x-csrftoken") == cookies["csrftoken"]
    assert "CKEditorFuncNum" not in request.url
    page.wait_for_function(
        "() => CKEDITOR.dialog.getCurrent() && "
        "CKEDITOR.dialog.getCurrent().getValueOf('info', 'src')"
    )
    src = page.evaluate("() => CKEDITOR.dialog.getCurrent().getValueOf('info', 'src')")
    assert src.startswith("/media/uploads/")
    assert (media_root / src.removeprefix("/media/")).exists()


def test_the_editor_says_in_vietnamese_why_a_file_was_refused(
    page, live_server, reporter, tmp_path, transactional_db
):
    not_a_photo = tmp_path / "anh.jpg"
    not_a_photo.write_bytes(b"<svg onload=alert(1)>")
    log_in(page, live_server, "phongvien", "mat-khau-dai-1")
    page.goto(f"{live_server.url}/admin/articles/article/add/")
    with page.expect_event("dialog") as alert:
        send_photo_from_image_dialog(page, not_a_photo)
    assert "không phải là ảnh hợp lệ" in alert.value.message
    alert.value.dismiss()
