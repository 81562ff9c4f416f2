"""Drafts, scheduled, submitted, unpublished and expired articles appear on no public surface."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article, RelatedArticle

HIDDEN_STATES = {
    "draft": {"status": Article.Status.DRAFT, "publish_at": None},
    "submitted": {"status": Article.Status.SUBMITTED},
    "unpublished": {"status": Article.Status.UNPUBLISHED},
    "scheduled": {"publish_at": timezone.now() + timedelta(days=1)},
    "expired": {"unpublish_at": timezone.now() - timedelta(minutes=1)},
}
SECRET = "Bài mật không được lộ"


@pytest.fixture(params=HIDDEN_STATES, ids=list(HIDDEN_STATES))
def hidden_world(request, make_article, make_tag, section, author):
    """A live article and a hidden one that shares its section, author, tag and a pick."""
    tag = make_tag("An ninh trật tự")
    visible = make_article(title="Bài đang hiện", is_featured=True)
    hidden = make_article(
        title=SECRET,
        sapo="Sapo an ninh trật tự của bài mật.",
        is_featured=True,
        **HIDDEN_STATES[request.param],
    )
    for article in (visible, hidden):
        article.tags.add(tag)
    RelatedArticle.objects.create(article=visible, related=hidden, position=0)
    return {"visible": visible, "hidden": hidden, "tag": tag}


def test_hidden_article_page_is_404(client, hidden_world):
    response = client.get(hidden_world["hidden"].get_absolute_url())
    assert response.status_code == 404
    assert SECRET not in response.content.decode()


def test_hidden_article_is_on_no_public_page_list_feed_sitemap_or_search(
    client, hidden_world, section, author
):
    urls = [
        "/",
        section.get_absolute_url(),
        author.get_absolute_url(),
        hidden_world["tag"].get_absolute_url(),
        hidden_world["visible"].get_absolute_url(),  # its related and same-section lists
        "/tim-kiem/?q=bai+mat",
        "/tim-kiem/?q=an+ninh+trat+tu",
        "/rss/",
        f"/rss/{section.slug}/",
        "/sitemap-bai-viet.xml",
        "/sitemap-news.xml",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        content = response.content.decode()
        assert SECRET not in content, url
        assert hidden_world["hidden"].slug not in content, url


def test_listing_sitemaps_skip_authors_and_tags_with_only_hidden_articles(
    client, make_article, make_author, make_tag, section, hidden_world
):
    loner = make_author("Chỉ Viết Nháp")
    draft = make_article(title="Nháp", status=Article.Status.DRAFT, authors=[loner])
    only_hidden = make_tag("Chỉ có bài ẩn")
    draft.tags.add(only_hidden)
    assert loner.slug not in client.get("/sitemap-tac-gia.xml").content.decode()
    assert only_hidden.slug not in client.get("/sitemap-chu-de.xml").content.decode()
