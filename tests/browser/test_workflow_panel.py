"""The workflow panel in a browser: one step put forward, the confirmation before publishing
(the public address, the missing lead photo), times typed day first whatever the browser's
locale and time zone with how long until they come, the quiet delete link, the reporter's
withdraw, and the one history."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from articles.admin.workflow import TYPED_TIME_FORMAT, default_publish_time
from articles.models import Article
from tests.browser.admin_steps import log_in, open_article
from tests.conftest import PASSWORD

Status = Article.Status


@pytest.fixture
def foreign_page(browser, new_page):
    """A page in a browser set to American English in New York: neither its date order nor
    its clock is the newsroom's. Fails the test on anything the Content-Security-Policy
    blocks, as new_page does (which also lets the live server answer this host)."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 1000}, locale="en-US", timezone_id="America/New_York"
    )
    context.set_default_timeout(15_000)
    blocked = []
    context.on(
        "console",
        lambda message: "Content Security Policy" in message.text and blocked.append(message.text),
    )
    page = context.new_page()
    yield page
    page.wait_for_load_state("networkidle")
    context.close()
    assert not blocked, blocked


def test_editor_confirms_publishing_seeing_the_address_and_the_missing_photo(
    page, live_server, editor, make_article, transactional_db
):
    article = make_article(
        title="Bài chưa có ảnh", status=Status.SUBMITTED, publish_at=None, lead_image=None
    )
    log_in(page, live_server, "bientap", PASSWORD)
    open_article(page, live_server, article)
    expect(page.locator(".workflow").get_by_role("note")).to_contain_text(
        "Bài chưa có ảnh đại diện"
    )
    publish = page.get_by_role("button", name="Xuất bản", exact=True)
    expect(publish).to_have_class(re.compile(r"\bdefault\b"))
    expect(page.locator(".workflow__steps button.default")).to_have_count(1)

    publish.click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text(f"{live_server.url}{article.get_absolute_url()}")
    expect(dialog.get_by_text("Bài chưa có ảnh đại diện")).to_be_visible()
    dialog.get_by_role("button", name="Thôi, chưa xuất bản").click()
    expect(dialog).to_be_hidden()
    assert Article.objects.get(pk=article.pk).status == Status.SUBMITTED

    publish.click()
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_be_hidden()
    assert Article.objects.get(pk=article.pk).status == Status.SUBMITTED

    publish.click()
    page.get_by_role("dialog").get_by_role("button", name="Đồng ý, xuất bản").click()
    expect(page.locator(".messagelist")).to_contain_text("Xuất bản: “Bài chưa có ảnh”")
    expect(page.locator(".workflow .state")).to_contain_text("đang hiện")
    assert Article.objects.get(pk=article.pk).is_live()
    # Not offered again on an article readers see.
    expect(page.get_by_role("button", name="Xuất bản", exact=True)).to_have_count(0)
    expect(page.locator(".workflow__steps button.default")).to_have_count(0)


def test_the_schedule_is_typed_day_first_and_counts_down_whatever_the_browser(
    foreign_page, live_server, editor, make_article, transactional_db
):
    page = foreign_page
    article = make_article(status=Status.SUBMITTED, publish_at=None)
    log_in(page, live_server, "bientap", PASSWORD)
    open_article(page, live_server, article)
    field, hint = page.locator("#wf-publish-at"), page.locator("#wf-publish-at-hint")
    expect(field).to_have_attribute("type", "text")
    expect(field).to_have_value(default_publish_time().strftime(TYPED_TIME_FORMAT))
    expect(hint).to_contain_text("Sẽ lên trang sau")

    field.fill("31/02/2027 10:00")
    expect(hint).to_contain_text("Hãy nhập theo dạng ngày/tháng/năm giờ:phút")
    field.fill("01/01/2020 10:00")
    expect(hint).to_have_text("Thời điểm này đã qua.")
    # To the minute, in Hà Nội's time: New York's clock and date order change nothing.
    go_live = timezone.localtime().replace(second=0, microsecond=0) + timedelta(hours=2, minutes=15)
    field.fill(go_live.strftime(TYPED_TIME_FORMAT))
    expect(hint).to_have_text("Sẽ lên trang sau 2 giờ 15 phút")
    take_down = page.locator("#wf-schedule-unpublish-at")
    expect(page.locator("#wf-schedule-unpublish-at-hint")).to_have_text(
        "Để trống nếu bài không tự gỡ."
    )
    take_down.fill((go_live + timedelta(days=1)).strftime(TYPED_TIME_FORMAT))
    expect(page.locator("#wf-schedule-unpublish-at-hint")).to_have_text(
        "Sẽ gỡ khỏi trang sau 1 ngày 2 giờ 15 phút"
    )

    page.get_by_role("button", name="Lên lịch xuất bản").click()
    expect(page.locator(".messagelist")).to_contain_text("Đã lên lịch")
    expect(page.locator(".workflow .state")).to_contain_text("hẹn giờ")
    row = Article.objects.get(pk=article.pk)
    assert timezone.localtime(row.publish_at) == go_live
    assert timezone.localtime(row.unpublish_at) == go_live + timedelta(days=1)


def test_a_time_that_cannot_be_read_keeps_everything_typed(
    page, live_server, editor, make_article, transactional_db
):
    article = make_article(title="Tiêu đề cũ", status=Status.SUBMITTED, publish_at=None)
    log_in(page, live_server, "bientap", PASSWORD)
    open_article(page, live_server, article)
    page.fill("#id_title", "Tiêu đề đang sửa")
    page.fill("#wf-publish-at", "30/02/2027 10:00")
    page.get_by_role("button", name="Lên lịch xuất bản").click()
    expect(page.locator(".workflow .errorlist")).to_contain_text(
        "Xuất bản lúc “30/02/2027 10:00” chưa đúng dạng ngày/tháng/năm giờ:phút"
    )
    expect(page.locator(".messagelist")).to_contain_text("Bài chưa được lưu nên chưa lên lịch")
    expect(page.locator("#wf-publish-at")).to_have_value("30/02/2027 10:00")
    expect(page.locator("#id_title")).to_have_value("Tiêu đề đang sửa")
    row = Article.objects.get(pk=article.pk)
    assert (row.title, row.status) == ("Tiêu đề cũ", Status.SUBMITTED)


def test_delete_is_a_quiet_link_under_the_form(
    page, live_server, editor, make_article, transactional_db
):
    article = make_article(status=Status.DRAFT, publish_at=None)
    log_in(page, live_server, "bientap", PASSWORD)
    open_article(page, live_server, article)
    expect(page.locator(".submit-row .deletelink")).to_have_count(0)
    delete = page.get_by_role("link", name="Xóa bài viết này…")
    expect(delete).to_have_count(1)
    delete.scroll_into_view_if_needed()
    bottom_row = page.locator(".submit-row").last.bounding_box()
    box = delete.bounding_box()
    assert box["y"] >= bottom_row["y"] + bottom_row["height"]
    assert delete.evaluate("link => getComputedStyle(link).backgroundColor") == "rgba(0, 0, 0, 0)"
    panel = page.locator(".workflow").bounding_box()
    assert box["y"] > panel["y"] + panel["height"] + 300  # far from the workflow's steps


def test_reporter_withdraws_a_submission_and_reads_it_in_the_history(
    page, live_server, reporter, make_article, transactional_db
):
    article = make_article(
        title="Bài gửi nhầm", status=Status.DRAFT, publish_at=None, created_by=reporter
    )
    log_in(page, live_server, "phongvien", PASSWORD)
    open_article(page, live_server, article)
    submit = page.get_by_role("button", name="Gửi duyệt", exact=True)
    expect(submit).to_have_class(re.compile(r"\bdefault\b"))
    submit.click()
    expect(page.locator(".workflow .state")).to_contain_text("Chờ duyệt")

    page.get_by_role("button", name="Rút về nháp").click()
    expect(page.locator(".messagelist")).to_contain_text("Đã rút “Bài gửi nhầm” về nháp")
    expect(page.locator(".workflow .state")).to_contain_text("Bản nháp")
    expect(page.get_by_role("button", name="Gửi duyệt", exact=True)).to_be_visible()
    assert Article.objects.get(pk=article.pk).status == Status.DRAFT

    page.locator(".workflow").get_by_role("link", name=re.compile("^Lịch sử bài viết")).click()
    entries = page.locator(".timeline__entry")
    expect(entries.nth(0)).to_contain_text("Rút về nháp")
    expect(entries.nth(0)).to_contain_text("Chờ duyệt → Bản nháp")
    expect(entries.nth(1)).to_contain_text("Gửi duyệt")


def test_the_panel_fits_a_phone(new_page, live_server, editor, make_article, transactional_db):
    page = new_page()
    page.set_viewport_size({"width": 390, "height": 844})
    article = make_article(status=Status.SUBMITTED, publish_at=None)
    log_in(page, live_server, "bientap", PASSWORD)
    open_article(page, live_server, article)
    panel = page.locator(".workflow")
    expect(page.get_by_role("button", name="Xuất bản", exact=True)).to_be_visible()
    assert panel.evaluate("panel => panel.scrollWidth <= panel.clientWidth + 1")
    for step in panel.locator(".workflow__step").all():
        assert step.bounding_box()["width"] <= 390


def test_the_lead_photo_warning_follows_the_photo_chosen(
    page, live_server, editor, make_article, make_image, transactional_db
):
    photo = make_image(caption="Ảnh hiện trường")
    article = make_article(status=Status.SUBMITTED, publish_at=None, lead_image=None)
    log_in(page, live_server, "bientap", PASSWORD)
    open_article(page, live_server, article)
    warning = page.locator(".workflow").get_by_role("note")
    expect(warning).to_contain_text("Bài chưa có ảnh đại diện")
    # What the photo picker does when a photo is clicked (photos/static/photos/photo_picker.js).
    page.locator("#id_lead_image").evaluate(
        """(select, id) => {
            if (!select.querySelector(`option[value="${id}"]`)) { select.add(new Option("", id)); }
            select.value = String(id);
            select.dispatchEvent(new Event("change", {bubbles: true}));
        }""",
        photo.pk,
    )
    expect(page.locator(".workflow [data-no-lead-photo]").first).to_be_hidden()
    page.get_by_role("button", name="Xuất bản", exact=True).click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    expect(dialog.locator("[data-no-lead-photo]")).to_be_hidden()
    dialog.get_by_role("button", name="Đồng ý, xuất bản").click()
    expect(page.locator(".workflow .state")).to_contain_text("đang hiện")
    assert Article.objects.get(pk=article.pk).lead_image == photo
