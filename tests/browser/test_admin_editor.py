import pytest
from playwright.sync_api import expect

from articles.models import Article, Author, Image
from sections.models import Section
from tests.conftest import image_bytes

EDITOR_READY = "CKEDITOR.instances.id_body && CKEDITOR.instances.id_body.status === 'ready'"


def choose(page, select_id, text):
    """Pick `text` in one of the admin's autocomplete (select2) boxes."""
    page.locator(f"#{select_id} + .select2").click()
    page.locator(".select2-search__field").last.fill(text)
    option = page.locator(".select2-results__option", has_text=text).first
    expect(option).to_be_visible()
    option.click()
    expect(page.locator(f"#{select_id} + .select2 .select2-selection__rendered")).to_contain_text(
        text
    )


@pytest.fixture
def photo(tmp_path):
    path = tmp_path / "hien-truong.jpg"
    path.write_bytes(image_bytes(size=(900, 500)))
    return path


def test_reporter_writes_an_article_with_a_captioned_photo_in_the_body(
    page, live_server, staff_login, photo, transactional_db, make_image
):
    Section.objects.create(name="Thời sự")
    Author.objects.create(name="Hải Nhi")
    lead = make_image(caption="Chú thích gốc của ảnh đại diện.")
    staff_login()
    page.goto(f"{live_server.url}/admin/articles/article/add/")
    page.wait_for_function(EDITOR_READY)

    page.locator("#id_title").press_sequentially("Đà Nẵng: đường dây nóng")
    expect(page.locator("#id_slug")).to_have_value("da-nang-duong-day-nong")
    page.fill("#id_sapo", "Thành phố mở đường dây nóng tiếp nhận phản ánh của người dân.")

    body = page.frame_locator("#cke_id_body iframe.cke_wysiwyg_frame").locator("body")
    body.click()
    body.press_sequentially("Đường dây nóng hoạt động suốt ngày đêm.")

    # Insert a photo with the editor's own dialog: upload it, ask for a caption, type it.
    page.click("#cke_id_body .cke_button__image")
    dialog = page.locator(".cke_dialog").last
    dialog.get_by_role("tab", name="Tải lên").click()
    page.frame_locator(".cke_dialog iframe.cke_dialog_ui_input_file").locator(
        "input[type=file]"
    ).set_input_files(photo)
    dialog.locator("a.cke_dialog_ui_fileButton").click()
    page.wait_for_function(
        "CKEDITOR.dialog.getCurrent() && CKEDITOR.dialog.getCurrent().getValueOf('info', 'src')"
    )
    dialog.get_by_label("Chú thích ảnh").fill("Tổng đài viên trực máy")
    dialog.get_by_label("Ảnh có chú thích").check()
    dialog.get_by_role("button", name="Đồng ý").click()
    caption = body.locator("figure.image figcaption")
    expect(caption).to_be_visible()
    caption.click()
    page.keyboard.press("Control+A")
    page.keyboard.type("Tổng đài viên trực đường dây nóng.")
    expect(caption).to_have_text("Tổng đài viên trực đường dây nóng.")

    page.select_option("#id_section", label="Thời sự")
    choose(page, "id_lead_image", "Chú thích gốc")
    page.fill("#id_lead_image_caption", "Chú thích riêng của bài.")
    choose(page, "id_bylines-0-author", "Hải Nhi")
    page.click("input[name=_save]")
    page.wait_for_url(f"{live_server.url}/admin/articles/article/")

    article = Article.objects.get()
    assert article.slug == "da-nang-duong-day-nong"
    assert '<figure class="image">' in article.body
    assert "<figcaption>Tổng đài viên trực đường dây nóng.</figcaption>" in article.body
    assert 'alt="Tổng đài viên trực máy"' in article.body
    assert "/media/uploads/" in article.body
    assert article.lead_caption == "Chú thích riêng của bài."
    assert [a.name for a in article.byline] == ["Hải Nhi"]
    assert Image.objects.get(pk=lead.pk).caption == "Chú thích gốc của ảnh đại diện."
