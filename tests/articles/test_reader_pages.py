"""What readers' pages are made of: Zalo beside the other share links, cards and leads made for
articles without a lead photo, and "Tin mới" near the top of the home page."""

from datetime import timedelta
from urllib.parse import quote

from django.utils import timezone


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_an_article_can_be_shared_on_zalo_with_a_plain_link(client, make_article):
    article = make_article()
    content = page(client, article.get_absolute_url())
    share = content.split('<nav class="share"')[1].split("</nav>")[0]
    address = quote(f"http://testserver{article.get_absolute_url()}", safe="")
    assert f'href="https://sp.zalo.me/share_inline?url={address}"' in share
    assert [name in share for name in ("Facebook", "Zalo", ">X<", "Email")] == [True] * 4
    # A link only: no script, frame or style from Zalo (or any other site) on the page.
    assert "zalo" not in content.replace(share, "").lower()
    assert "<iframe" not in content
    assert 'src="http' not in content


def test_a_preview_offers_no_share_links(client, make_article, editor):
    from articles.models import Article

    draft = make_article(status=Article.Status.DRAFT, publish_at=None)
    client.force_login(editor)
    content = page(client, f"/xem-truoc/{draft.pk}/")
    assert "sp.zalo.me" not in content and 'class="share"' not in content


def card_of(content, title):
    """The card (<article class="card...">...</article>) that shows `title`."""
    start = content.rindex('<article class="card', 0, content.index(f">{title}<"))
    return content[start : content.index("</article>", start)]


def test_a_card_without_a_photo_is_a_text_card_with_no_empty_thumbnail(client, make_article):
    make_article(title="Có ảnh", publish_at=timezone.now() - timedelta(hours=2))
    make_article(title="Không ảnh", lead_image=None, sapo="Tóm tắt thay cho ảnh.")
    content = page(client, "/thoi-su/?page=1")
    text_card = card_of(content, "Không ảnh")
    assert "card--text" in text_card and "card__image" not in text_card
    photo_card = card_of(content, "Có ảnh")
    assert "card--text" not in photo_card and "card__image" in photo_card


def test_a_lead_without_a_photo_gets_the_text_led_treatment(client, make_article, section):
    make_article(title="Tin dẫn không ảnh", lead_image=None, is_featured=True)
    for number in range(3):
        make_article(title=f"Tin phụ {number}", publish_at=timezone.now() - timedelta(days=1))
    for url in ("/", section.get_absolute_url()):
        lead = card_of(page(client, url), "Tin dẫn không ảnh")
        assert "card--lead card--text" in lead
        # The section names the story where the photo would have been, and the sapo follows.
        assert 'class="card__section"' in lead and 'class="card__sapo"' in lead


def test_an_article_without_a_lead_photo_is_laid_out_for_it(client, make_article):
    article = make_article(lead_image=None)
    content = page(client, article.get_absolute_url())
    assert 'class="article layout__main article--text"' in content
    assert 'class="article__lead"' not in content


def test_sidebar_cards_without_a_photo_have_no_thumbnail_column(client, make_article):
    article = make_article(title="Bài đang đọc")
    make_article(title="Cùng mục không ảnh", lead_image=None)
    block = page(client, article.get_absolute_url()).split('id="cung-chuyen-muc"')[1]
    card = card_of(block, "Cùng mục không ảnh")
    assert "card--compact card--text" in card and "card__image" not in card


def test_the_latest_come_right_after_the_picks_on_the_home_page(client, make_article, make_section):
    now = timezone.now()
    for number in range(9):
        section = make_section(f"Chuyên mục {number}")
        make_article(
            title=f"Tin {number}", section=section, publish_at=now - timedelta(hours=number)
        )
    content = page(client, "/")
    featured, latest = content.index('id="tin-noi-bat"'), content.index('id="tin-moi"')
    first_block = content.index('class="section-block"')
    assert featured < latest < first_block
    # Each section's block: its newest with a photo, then headlines.
    block = content.split('id="khoi-chuyen-muc-0"')[1].split("</section>")[0]
    assert "card__image" in block
