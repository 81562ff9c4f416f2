from datetime import timedelta

from django.utils import timezone

from articles.models import Article


def blocks(content):
    return content.split('id="tin-noi-bat"')[1].split("</section>")[0]


def test_featured_block_shows_editor_picks_newest_first(client, make_article):
    now = timezone.now()
    make_article(title="Nổi bật cũ", is_featured=True, publish_at=now - timedelta(days=3))
    make_article(title="Nổi bật mới", is_featured=True, publish_at=now - timedelta(hours=2))
    make_article(title="Tin thường mới nhất", publish_at=now - timedelta(minutes=1))
    featured = blocks(client.get("/").content.decode())
    assert featured.index("Nổi bật mới") < featured.index("Nổi bật cũ")
    # Too few picks: the newest fill the block after them.
    assert featured.index("Nổi bật cũ") < featured.index("Tin thường mới nhất")


def test_featured_block_fills_with_the_latest_when_nothing_is_picked(client, make_article):
    for number in range(7):
        make_article(title=f"Tin {number}", publish_at=timezone.now() - timedelta(hours=number))
    content = client.get("/").content.decode()
    featured = blocks(content)
    assert [f"Tin {n}<" in featured for n in range(7)] == [True] * 5 + [False] * 2
    latest = content.split('id="tin-moi"')[1].split("</section>")[0]
    assert "Tin 5<" in latest and "Tin 6<" in latest and "Tin 0<" not in latest


def test_a_featured_draft_is_not_on_the_home_page(client, make_article):
    make_article(title="Nháp nổi bật", is_featured=True, status=Article.Status.DRAFT)
    assert "Nháp nổi bật" not in client.get("/").content.decode()


def test_each_menu_section_has_a_block_with_its_sub_sections_articles(
    client, make_article, make_section, section
):
    football = make_section("Bóng đá", parent=make_section("Thể thao"))
    make_section("Chuyên mục trống")
    make_article(title="Tin thời sự")
    make_article(title="Tin bóng đá", section=football)
    content = client.get("/").content.decode()
    sport = content.split('id="khoi-the-thao"')[1].split("</section>")[0]
    assert "Tin bóng đá" in sport
    news = content.split('id="khoi-thoi-su"')[1].split("</section>")[0]
    assert "Tin thời sự" in news and "Tin bóng đá" not in news
    assert 'id="khoi-chuyen-muc-trong"' not in content


def test_section_block_shows_its_four_newest(client, make_article, section):
    for number in range(6):
        make_article(title=f"Thời sự {number}", publish_at=timezone.now() - timedelta(hours=number))
    block = client.get("/").content.decode().split('id="khoi-thoi-su"')[1].split("</section>")[0]
    assert [f"Thời sự {n}<" in block for n in range(6)] == [True] * 4 + [False] * 2


def test_home_has_one_h1_and_a_labelled_search_form(client, make_article):
    make_article()
    content = client.get("/").content.decode()
    assert content.count("<h1") == 1
    assert '<label for="o-tim-kiem"' in content
    assert 'role="search"' in content
    assert 'rel="alternate" type="application/rss+xml"' in content
