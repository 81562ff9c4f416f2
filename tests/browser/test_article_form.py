"""The article form at a 1366-pixel desktop: a wide title and sapo with live counters, bylines
near the top, the lead photo picked from thumbnails; a reporter's submitted article read as
readers will see it; "Xem trên trang web" on a draft opens its preview."""

import re

import pytest
from playwright.sync_api import expect

from articles.models import Article
from photos.models import Image
from tests.browser.admin_steps import EDITOR_READY, log_in
from tests.conftest import PASSWORD

DESKTOP = {"width": 1366, "height": 768}
HEADLINE_100 = (
    "Thủ tướng yêu cầu các bộ, ngành khẩn trương hoàn thiện hồ sơ dự án đường sắt tốc độ cao "
    "Bắc – Nam 26"
)


# Whether the field's text, drawn in the field's font, fits inside its padding.
TEXT_FITS = """field => {
  const style = getComputedStyle(field);
  const context = document.createElement('canvas').getContext('2d');
  context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
  const room = field.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  return context.measureText(field.value).width <= room;
}"""


@pytest.fixture
def desk(page):
    page.set_viewport_size(DESKTOP)
    return page


def open_form(page, live_server, article=None):
    path = f"{article.pk}/change/" if article else "add/"
    page.goto(f"{live_server.url}/admin/articles/article/{path}")
    page.wait_for_function(EDITOR_READY)


def test_a_100_character_headline_fits_on_one_line_with_its_counter(
    desk, live_server, reporter, transactional_db
):
    assert len(HEADLINE_100) == 100
    log_in(desk, live_server, "phongvien", PASSWORD)
    open_form(desk, live_server)
    title = desk.locator("#id_title")
    title.fill(HEADLINE_100)
    assert title.evaluate("field => field.scrollWidth <= field.clientWidth")
    assert title.evaluate(TEXT_FITS)
    counter = desk.locator("#id_title_counter")
    expect(counter).to_contain_text("100/70 ký tự — dài hơn 70 ký tự")
    expect(counter).to_have_class(re.compile(r"\bchar-counter--over\b"))
    title.fill("Đà Nẵng: đường dây nóng")
    expect(counter).to_have_text("23/70 ký tự")
    # The sapo is as wide as the title, with its own counter.
    sapo = desk.locator("#id_sapo")
    assert abs(sapo.bounding_box()["width"] - title.bounding_box()["width"]) < 2
    sapo.fill("Người dân gọi 113.")
    expect(desk.locator("#id_sapo_counter")).to_have_text("18/160 ký tự")


def test_bylines_follow_title_and_sapo_with_the_writers_own_author(
    desk, live_server, reporter, transactional_db, make_author
):
    make_author("Hải Nhi", user=reporter)
    log_in(desk, live_server, "phongvien", PASSWORD)
    open_form(desk, live_server)
    bylines = desk.locator("#bylines-group")
    expect(bylines.locator(".select2-selection__rendered").first).to_have_text("Hải Nhi")
    follows_title = bylines.evaluate(
        "group => group.previousElementSibling.contains(document.getElementById('id_sapo'))"
    )
    assert follows_title
    body_top = desk.locator("#cke_id_body").bounding_box()["y"]
    assert desk.locator("#id_sapo").bounding_box()["y"] < bylines.bounding_box()["y"] < body_top
    # Near the top: the bylines show on the first screen.
    assert bylines.bounding_box()["y"] < DESKTOP["height"]


def test_the_lead_photo_is_picked_from_thumbnails_and_found_by_search(
    desk, live_server, editor, transactional_db, make_image, make_article
):
    article = make_article(status=Article.Status.DRAFT, publish_at=None, lead_image=None)
    bridge = make_image(caption="Cầu Rồng phun lửa đêm cuối tuần")
    for number in range(14):
        make_image(caption=f"Ảnh hiện trường số {number}")
    log_in(desk, live_server, "bientap", PASSWORD)
    open_form(desk, live_server, article)
    picker = desk.locator(".photo-picker")
    expect(picker.locator(".photo-picker__empty")).to_be_visible()
    grid = picker.locator("[data-grid] .photo-picker__card")
    expect(grid).to_have_count(12)
    for image in grid.locator("img").all():
        image.scroll_into_view_if_needed()  # thumbnails load lazily
        desk.wait_for_function(
            "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
        )
    expect(grid.filter(has_text="Cầu Rồng")).to_have_count(0)  # older than the newest twelve

    picker.get_by_role("searchbox").fill("Cầu Rồng")
    expect(picker.locator("[data-status]")).to_contain_text("Ảnh khớp “Cầu Rồng”")
    expect(grid).to_have_count(1)
    grid.first.click()
    expect(picker.locator("[data-chosen-caption]")).to_have_text(bridge.caption)
    expect(grid.first).to_have_attribute("aria-pressed", "true")
    assert desk.locator("#id_lead_image").input_value() == str(bridge.pk)

    picker.get_by_role("searchbox").fill("không có ảnh nào như thế")
    expect(picker.locator("[data-status]")).to_contain_text("Không có ảnh nào khớp")
    picker.get_by_role("searchbox").fill("")
    expect(grid).to_have_count(12)

    desk.locator("input[name=_continue]").first.click()
    expect(desk.locator(".messagelist")).to_be_visible()
    article.refresh_from_db()
    assert article.lead_image == bridge
    expect(desk.locator(".photo-picker [data-chosen-caption]")).to_have_text(bridge.caption)


def test_a_photo_uploaded_with_the_plus_becomes_the_lead_photo(
    desk, live_server, reporter, transactional_db, photo, make_article
):
    article = make_article(
        status=Article.Status.DRAFT, publish_at=None, lead_image=None, created_by=reporter
    )
    log_in(desk, live_server, "phongvien", PASSWORD)
    open_form(desk, live_server, article)
    add = desk.locator(".photo-picker__toolbar #add_id_lead_image")
    expect(add).to_contain_text("Tải ảnh mới lên")
    with desk.expect_popup() as opened:
        add.click()
    popup = opened.value
    popup.set_input_files("#id_file", photo)
    popup.fill("#id_caption", "Lực lượng cứu hộ tại hiện trường")
    popup.fill("#id_alt_text", "Cứu hộ")
    popup.locator("input[name=_save]").click()
    popup.wait_for_event("close")
    stored = Image.objects.get(caption="Lực lượng cứu hộ tại hiện trường")
    chosen = desk.locator(".photo-picker [data-chosen]")
    expect(chosen.locator("[data-chosen-caption]")).to_have_text(stored.caption)
    expect(chosen.locator("img")).to_have_attribute("src", re.compile(r"/media/renditions/"))
    assert desk.locator("#id_lead_image").input_value() == str(stored.pk)


def test_a_reporter_reads_their_submitted_article_as_readers_will(
    desk, live_server, reporter, transactional_db, make_article
):
    article = make_article(
        title="Đà Nẵng mở đường dây nóng",
        body="<p>Đường dây hoạt động <strong>24/24 giờ</strong>.</p>",
        status=Article.Status.SUBMITTED,
        publish_at=None,
        created_by=reporter,
    )
    log_in(desk, live_server, "phongvien", PASSWORD)
    desk.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    reading = desk.locator(".article-reading")
    expect(reading.get_by_role("heading", name="Đà Nẵng mở đường dây nóng")).to_be_visible()
    expect(reading.locator(".article-reading__body strong")).to_have_text("24/24 giờ")
    expect(reading.locator("picture img")).to_be_visible()
    assert reading.locator("picture img").evaluate("img => img.naturalWidth > 0")
    expect(desk.locator(".workflow")).to_contain_text("Chờ duyệt")
    expect(desk.locator("#article_form")).to_have_count(0)


def test_view_on_site_on_a_draft_opens_its_preview(
    desk, live_server, editor, transactional_db, make_article
):
    article = make_article(title="Bài chưa đăng", status=Article.Status.DRAFT, publish_at=None)
    log_in(desk, live_server, "bientap", PASSWORD)
    open_form(desk, live_server, article)
    desk.locator("a.viewsitelink").click()
    expect(desk.locator(".preview-banner")).to_contain_text("Bản xem trước")
    expect(desk.locator("h1")).to_have_text("Bài chưa đăng")
