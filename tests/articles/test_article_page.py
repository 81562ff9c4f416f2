import json
import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from articles.models import Article, RelatedArticle, Tag
from sections.models import Section


def jsonld_blocks(content):
    return [
        json.loads(block)
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', content)
    ]


def test_article_page_has_sharing_metadata_and_json_ld(client, make_article, author):
    article = make_article(title="Đà Nẵng mở đường dây nóng", sapo="Sapo ngắn gọn.")
    content = client.get(article.get_absolute_url()).content.decode()
    assert '<meta property="og:type" content="article">' in content
    assert '<meta property="og:title" content="Đà Nẵng mở đường dây nóng">' in content
    assert '<meta property="og:description" content="Sapo ngắn gọn.">' in content
    assert f'<link rel="canonical" href="http://testserver{article.get_absolute_url()}">' in content
    # The widest JPEG rendition, in the photo's own folder (photos.renditions.folder_for).
    rendition = r"/media/renditions/\d{4}/\d{2}/[0-9a-f]{32}/800\.jpg"
    assert re.search(f'og:image" content="http://testserver{rendition}"', content)
    assert 'name="twitter:card" content="summary_large_image"' in content
    news, crumbs = jsonld_blocks(content)
    assert news["@type"] == "NewsArticle"
    assert news["headline"] == "Đà Nẵng mở đường dây nóng"
    assert news["author"] == [
        {"@type": "Person", "name": "Hải Nhi", "url": "http://testserver/tac-gia/hai-nhi/"}
    ]
    assert news["datePublished"] == article.publish_at.isoformat()
    assert news["image"][0].startswith("http://testserver/media/renditions/")
    assert news["publisher"]["logo"]["url"].endswith("newsroom/logo.png")
    assert [item["name"] for item in crumbs["itemListElement"]] == ["Trang chủ", "Thời sự"]


def test_json_ld_cannot_be_broken_out_of(client, make_article):
    article = make_article(title="</script><script>alert(1)</script>")
    content = client.get(article.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in content
    assert jsonld_blocks(content)[0]["headline"] == "</script><script>alert(1)</script>"


def test_update_time_shows_only_when_changed_after_publishing(client, make_article):
    published = datetime(2026, 11, 5, 2, 30, tzinfo=UTC)
    with time_machine.travel(published, tick=False) as traveller:
        article = make_article(publish_at=published)
        backdated = make_article(title="Bài nhập lại", publish_at=published - timedelta(days=3))
        assert "Cập nhật:" not in client.get(article.get_absolute_url()).content.decode()
        assert "Cập nhật:" not in client.get(backdated.get_absolute_url()).content.decode()
        traveller.shift(timedelta(hours=2))
        article.sapo = "Sapo đã sửa."
        article.save()
        content = client.get(article.get_absolute_url()).content.decode()
    assert (
        'Cập nhật: <time datetime="2026-11-05T11:30:00+07:00">Thứ Năm, 05/11/2026 11:30 (GMT+7)'
        in content
    )
    assert jsonld_blocks(content)[0]["dateModified"] == "2026-11-05T04:30:00+00:00"


def test_same_section_list_shows_the_newest_others(client, make_article, section):
    other = Section.objects.create(name="Thế giới")
    now = timezone.now()
    article = make_article(title="Bài đang đọc")
    for number in range(7):
        make_article(title=f"Cùng mục {number}", publish_at=now - timedelta(hours=number + 1))
    make_article(title="Khác mục", section=other)
    block = (
        client.get(article.get_absolute_url())
        .content.decode()
        .split('id="cung-chuyen-muc"')[1]
        .split("</section>")[0]
    )
    assert [f"Cùng mục {n}<" in block for n in range(7)] == [True] * 5 + [False] * 2
    assert "Khác mục" not in block and "Bài đang đọc<" not in block


def test_related_list_puts_editor_picks_first_then_most_shared_tags(client, make_article, section):
    other = Section.objects.create(name="Thế giới")
    tags = [Tag.objects.create(name=name) for name in ["Đà Nẵng", "Du lịch", "Giao thông"]]
    article = make_article(title="Bài gốc")
    article.tags.add(*tags)
    one_tag = make_article(title="Chung một thẻ", section=other)
    one_tag.tags.add(tags[0])
    two_tags = make_article(title="Chung hai thẻ", section=other)
    two_tags.tags.add(tags[0], tags[1])
    pick_b = make_article(title="Biên tập chọn B", section=other)
    pick_a = make_article(title="Biên tập chọn A", section=other)
    RelatedArticle.objects.create(article=article, related=pick_b, position=1)
    RelatedArticle.objects.create(article=article, related=pick_a, position=0)
    unrelated = make_article(title="Không liên quan", section=other)
    assert unrelated
    block = client.get(article.get_absolute_url()).content.decode().split('id="tin-lien-quan"')[1]
    block = block.split("</section>")[0]
    order = ["Biên tập chọn A", "Biên tập chọn B", "Chung hai thẻ", "Chung một thẻ"]
    positions = [block.index(title) for title in order]
    assert positions == sorted(positions)
    assert "Không liên quan" not in block and "Bài gốc<" not in block


def test_article_cannot_be_related_to_itself(make_article):
    from django.db import IntegrityError, transaction

    article = make_article()
    with pytest.raises(IntegrityError), transaction.atomic():
        RelatedArticle.objects.create(article=article, related=article)


def test_article_page_has_share_links_and_section_feed(client, make_article):
    article = make_article()
    content = client.get(article.get_absolute_url()).content.decode()
    assert "facebook.com/sharer/sharer.php?u=http%3A%2F%2Ftestserver%2F" in content
    assert 'href="/rss/thoi-su/"' in content


def test_body_images_load_lazily(make_article):
    article = make_article(body='<figure class="image"><img src="/a.jpg" alt="x"></figure>')
    assert 'loading="lazy"' in Article.objects.get(pk=article.pk).body
