from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Article, Author
from sections.models import Section


def test_reader_goes_home_section_article_author_and_searches_without_accents(
    page, live_server, make_article, author, transactional_db
):
    now = timezone.now()
    world = Section.objects.create(name="Thế giới", position=5)
    police = Section.objects.create(name="Pháp luật", position=9)
    colleague = Author.objects.create(name="Minh Khang", bio="Phóng viên ảnh.")
    article = make_article(
        title="Phát huy phong trào toàn dân bảo vệ an ninh Tổ quốc",
        sapo="Đoàn công tác kiểm tra việc thực hiện chương trình phối hợp tại Thái Nguyên.",
        body="<p>Đến nay toàn tỉnh có 28 mô hình tự quản.</p>",
        section=police,
        authors=[author, colleague],
        lead_image_caption="Thiếu tướng phát biểu tại hội nghị.",
        publish_at=now - timedelta(minutes=30),
    )
    make_article(
        title="Đà Nẵng mở đường dây nóng", section=police, publish_at=now - timedelta(hours=2)
    )
    make_article(title="Tin thế giới hôm nay", section=world)
    make_article(title="Bản nháp chưa duyệt", section=police, status=Article.Status.DRAFT)

    page.goto(live_server.url)
    expect(page).to_have_title("Newsroom — Tin tức mới nhất trong ngày")
    expect(page.get_by_role("heading", name="Tin nổi bật")).to_be_visible()
    expect(page.get_by_text("Bản nháp chưa duyệt")).to_have_count(0)

    # Keyboard first: the skip link leads to the content.
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Chuyển đến nội dung chính")).to_be_focused()

    page.get_by_role("navigation", name="Chuyên mục").get_by_role("link", name="Pháp luật").click()
    expect(page).to_have_url(f"{live_server.url}/phap-luat/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Pháp luật")
    expect(page.locator(".layout__main").get_by_text("Tin thế giới hôm nay")).to_have_count(0)

    page.get_by_role("link", name=article.title).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(article.title)
    expect(page.locator(".article__sapo")).to_have_text(article.sapo)
    expect(page.locator(".article__lead figcaption")).to_contain_text(
        "Thiếu tướng phát biểu tại hội nghị."
    )
    expect(page.locator(".article__lead figcaption")).to_contain_text("Ảnh: Minh Khang")
    lead = page.locator(".article__lead img")
    expect(lead).to_have_attribute("alt", "Đại biểu dự hội nghị")
    assert lead.evaluate("img => img.complete && img.naturalWidth > 0")
    expect(page.locator(".article__meta time").first).to_contain_text("(GMT+7)")
    expect(page.get_by_role("heading", name="Tin cùng chuyên mục")).to_be_visible()

    page.locator(".byline").get_by_role("link", name="Minh Khang").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Minh Khang")
    expect(page.get_by_text("Phóng viên ảnh.")).to_be_visible()
    expect(page.get_by_role("link", name=article.title)).to_be_visible()

    search = page.get_by_role("search").first.get_by_label("Tìm kiếm bài viết")
    search.fill("an ninh to quoc")
    search.press("Enter")
    expect(page.locator(".search-summary")).to_have_text("1 kết quả cho “an ninh to quoc”")
    expect(page.get_by_role("link", name=article.title)).to_be_visible()

    page.get_by_role("search").first.get_by_label("Tìm kiếm bài viết").fill("da nang")
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name="Đà Nẵng mở đường dây nóng")).to_be_visible()
