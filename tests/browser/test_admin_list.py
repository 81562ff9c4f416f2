"""The article list and the admin's home in a browser, at the desktop size the newsroom works at."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from articles import workflow
from articles.models import Article
from tests.browser.admin_steps import log_in

Status = Article.Status
DESKTOP = {"width": 1366, "height": 900}
# Demo-like headlines: most take two lines of the list's title column.
TITLE = (
    "Hà Nội thí điểm phân luồng giờ cao điểm tại 12 nút giao thường xuyên ùn tắc ở phía tây "
    "thành phố"
)


@pytest.fixture
def desk(transactional_db, make_article, make_image, make_author, reporter, editor):
    """Thirty articles in every state, with long titles and two bylines each."""
    photo = make_image()
    authors = [make_author("Thu Hà"), make_author("Minh Khang")]
    now = timezone.now()
    states = [
        {"status": Status.DRAFT, "publish_at": None},
        {"status": Status.SUBMITTED, "publish_at": None},
        {"publish_at": now + timedelta(hours=5)},
        {"status": Status.UNPUBLISHED},
        {},
        {},
    ]
    for n in range(30):
        make_article(
            title=f"{TITLE} ({n})",
            lead_image=photo,
            authors=authors,
            created_by=reporter,
            **states[n % len(states)],
        )
    returned = Article.objects.filter(status=Status.SUBMITTED).first()
    workflow.return_to_reporter(
        returned, by=editor, note="Thiếu ý kiến của Sở Giao thông vận tải; bổ sung số liệu."
    )
    return returned


def fully_visible_rows(page):
    return page.evaluate(
        """() => [...document.querySelectorAll('#result_list tbody tr')].filter((row) => {
            const box = row.getBoundingClientRect();
            return box.top >= 0 && box.bottom <= window.innerHeight;
        }).length"""
    )


def test_the_list_fits_15_rows_on_a_1366_by_900_screen(page, live_server, editor, desk):
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server, "bientap", "mat-khau-dai-1")
    page.goto(f"{live_server.url}/admin/articles/article/")
    page.wait_for_load_state("networkidle")
    assert fully_visible_rows(page) >= 15
    # Nothing is cut off on the right: the last column is on the screen.
    table = page.locator("#result_list").bounding_box()
    assert table["x"] + table["width"] <= DESKTOP["width"]
    expect(page.locator("#result_list thead th").last).to_be_in_viewport()
    # Each title whole, on one or two lines.
    heights = page.locator("#result_list .field-headline a").evaluate_all(
        "(links) => links.map((link) => link.getClientRects().length)"
    )
    assert heights and max(heights) <= 2
    row = page.locator("#result_list tbody tr", has_text="(4)")
    expect(row.locator(".field-filed")).to_contain_text("Thu Hà, Minh Khang")
    expect(row.locator(".state")).to_have_text("Đã xuất bản")
    expect(row.locator("img.article-thumb")).to_be_visible()


def test_the_state_menu_lists_scheduled_articles_apart(page, live_server, editor, desk):
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server, "bientap", "mat-khau-dai-1")
    page.goto(f"{live_server.url}/admin/articles/article/")
    page.get_by_label("Trạng thái").select_option(label="Hẹn giờ")
    page.wait_for_url(lambda url: url.endswith("/admin/articles/article/?trang_thai=scheduled"))
    badges = page.locator("#result_list .state")
    expect(badges).to_have_count(5)
    expect(badges).to_have_text(["Hẹn giờ"] * 5)
    going_live = timezone.localtime() + timedelta(hours=5)
    expect(page.locator("#result_list .state-detail").first).to_contain_text(
        going_live.strftime("%d/%m/%Y")
    )
    page.get_by_role("link", name="Bỏ lọc").click()
    expect(page.locator("#result_list tbody tr")).to_have_count(30)


def test_a_returned_article_is_announced_to_its_reporter(page, live_server, reporter, desk):
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server, "phongvien", "mat-khau-dai-1")
    box = page.locator(".returned-articles")
    expect(box).to_contain_text("Bài bị trả lại, cần bạn sửa")
    expect(box).to_contain_text("bientap trả lại lúc")
    expect(box).to_contain_text("Thiếu ý kiến của Sở Giao thông vận tải; bổ sung số liệu.")

    # In the list too, with the note as text on the row.
    page.goto(f"{live_server.url}/admin/articles/article/")
    row = page.locator("#result_list tbody tr", has=page.locator(".state--returned"))
    expect(row.locator(".state-note")).to_be_visible()
    expect(row.locator(".state-note")).to_contain_text("Thiếu ý kiến của Sở Giao thông")

    page.goto(f"{live_server.url}/admin/")
    box.get_by_role("link", name=desk.title).click()
    page.wait_for_url(f"**/admin/articles/article/{desk.pk}/change/")
    expect(page.locator(".workflow")).to_contain_text("Thiếu ý kiến của Sở Giao thông vận tải")
