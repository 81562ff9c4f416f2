from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Article
from tests.browser.admin_steps import log_in, open_article, retype_article, write_article


def test_reporter_submits_editor_schedules_readers_see_it_at_its_time(
    new_page,
    page,
    live_server,
    reporter,
    editor,
    photo,
    transactional_db,
    make_image,
    make_section,
    make_author,
):
    make_section("Pháp luật")
    make_author("Hải Nhi", user=reporter)
    make_image(caption="Hội nghị tổng kết phong trào")
    title = "Thái Nguyên nhân rộng mô hình tự quản về an ninh trật tự"

    # The reporter writes the article and submits it.
    log_in(page, live_server, "phongvien", "mat-khau-dai-1")
    write_article(
        page,
        live_server,
        title=title,
        sapo="Toàn tỉnh có thêm 28 mô hình quần chúng tham gia bảo vệ an ninh trật tự.",
        body="Các mô hình tự quản phát huy hiệu quả ở cơ sở.",
        photo=photo,
        alt="Tổ tự quản tuần tra",
        caption="Tổ tự quản tuần tra ban đêm.",
        section="Pháp luật",
        lead="Hội nghị tổng kết",
        author="Hải Nhi",
    )
    page.locator("#result_list").get_by_role("link", name=title).click()
    expect(page.get_by_role("button", name="Lên lịch xuất bản")).to_have_count(0)
    page.get_by_role("button", name="Gửi duyệt").click()
    expect(page.locator(".workflow .state")).to_contain_text("Chờ duyệt")
    article = Article.objects.get(title=title)
    assert article.status == Article.Status.SUBMITTED and article.created_by == reporter

    # The editor finds it in the review queue and schedules it a minute ahead.
    editor_page = new_page()
    log_in(editor_page, live_server, "bientap", "mat-khau-dai-1")
    editor_page.get_by_role("link", name="Hàng chờ duyệt").click()
    editor_page.locator("#result_list").get_by_role("link", name=title).click()
    go_live = timezone.localtime() + timedelta(minutes=1)
    editor_page.fill("#wf-publish-at", go_live.strftime("%Y-%m-%dT%H:%M:%S"))
    editor_page.get_by_role("button", name="Lên lịch xuất bản").click()
    expect(editor_page.locator(".messagelist")).to_contain_text("Đã lên lịch")
    expect(editor_page.locator(".workflow .state")).to_contain_text("hẹn giờ")

    # Readers: nothing before that second, the article after it, with no job run between.
    reader = new_page()
    article.refresh_from_db()
    url = f"{live_server.url}{article.get_absolute_url()}"
    assert reader.goto(url).status == 404
    with time_machine.travel(go_live.replace(microsecond=0) + timedelta(seconds=1)):
        assert reader.goto(url).status == 200
        expect(reader.get_by_role("heading", level=1)).to_have_text(title)
        expect(reader.locator(".article__body figcaption")).to_have_text(
            "Tổ tự quản tuần tra ban đêm."
        )
        reader.goto(live_server.url)
        expect(reader.get_by_role("link", name=title).first).to_be_visible()


# Nothing typed is lost: each step's button saves what was typed first ---------------------------

TYPED = {
    "title": "Tiêu đề sửa ngay trước khi bấm nút",
    "sapo": "Sapo sửa ngay trước khi bấm nút.",
    "body": "Nội dung sửa ngay trước khi bấm nút.",
}


def assert_typed_text_saved(article):
    article.refresh_from_db()
    assert (article.title, article.sapo) == (TYPED["title"], TYPED["sapo"])
    assert TYPED["body"] in article.body
    return article


def test_reporter_types_then_submits_and_finds_the_text_saved(
    page, live_server, reporter, make_article, transactional_db
):
    article = make_article(status=Article.Status.DRAFT, publish_at=None, created_by=reporter)
    log_in(page, live_server, "phongvien", "mat-khau-dai-1")
    open_article(page, live_server, article)
    retype_article(page, **TYPED)
    page.get_by_role("button", name="Gửi duyệt", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("Đã lưu bài. Gửi duyệt")
    expect(page.locator(".workflow .state")).to_contain_text("Chờ duyệt")
    assert assert_typed_text_saved(article).status == Article.Status.SUBMITTED


def fill_schedule(page):
    go_live = timezone.localtime() + timedelta(hours=2)
    page.fill("#wf-publish-at", go_live.strftime("%Y-%m-%dT%H:%M:%S"))


EDITOR_STEPS = [
    # button, state before, what else is typed, state after, what the page then says
    ("Xuất bản", Article.Status.SUBMITTED, None, Article.Status.PUBLISHED, "đang hiện"),
    (
        "Lên lịch xuất bản",
        Article.Status.SUBMITTED,
        fill_schedule,
        Article.Status.PUBLISHED,
        "hẹn giờ",
    ),
    (
        "Trả lại phóng viên",
        Article.Status.SUBMITTED,
        lambda page: page.fill("#wf-return-note", "Cần thêm nguồn tin."),
        Article.Status.RETURNED,
        "Bị trả lại",
    ),
    (
        "Gỡ bài",
        Article.Status.PUBLISHED,
        lambda page: page.fill("#wf-unpublish-note", "Thông tin chưa kiểm chứng."),
        Article.Status.UNPUBLISHED,
        "Đã gỡ",
    ),
]


@pytest.mark.parametrize(
    ("button", "before", "also", "after", "state"), EDITOR_STEPS, ids=lambda v: str(v)[:12]
)
def test_editor_types_then_takes_a_step_and_finds_the_text_saved(
    page, live_server, editor, make_article, transactional_db, button, before, also, after, state
):
    article = make_article(status=before)
    log_in(page, live_server, "bientap", "mat-khau-dai-1")
    open_article(page, live_server, article)
    retype_article(page, **TYPED)
    if also:
        also(page)
    page.get_by_role("button", name=button, exact=True).click()
    if button == "Xuất bản":  # publishing asks first, showing the public address
        page.get_by_role("dialog").get_by_role("button", name="Đồng ý, xuất bản").click()
    expect(page.locator(".messagelist")).to_contain_text("Đã lưu bài.")
    expect(page.locator(".workflow .state")).to_contain_text(state)
    assert assert_typed_text_saved(article).status == after


def test_pressing_enter_in_the_title_saves_and_takes_no_step(
    page, live_server, editor, make_article, transactional_db
):
    article = make_article(status=Article.Status.SUBMITTED)
    log_in(page, live_server, "bientap", "mat-khau-dai-1")
    open_article(page, live_server, article)
    retype_article(page, **TYPED)
    page.locator("#id_title").press("Enter")
    page.wait_for_url(f"{live_server.url}/admin/articles/article/")
    assert_typed_text_saved(article)
    assert article.status == Article.Status.SUBMITTED and not article.transitions.exists()
