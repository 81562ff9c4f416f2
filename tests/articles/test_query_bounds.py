"""Every public page makes a fixed, small number of SQL queries, whatever it lists."""

import pytest
from django.urls import reverse

from articles.models import RelatedArticle
from masthead import identity

# Page -> the most queries it may make, with 3 articles or with 45 (more than a page), and with
# "Xem nhiều nhất" computed afresh (its ranking is cached for half a minute between requests).
BUDGETS = {
    "home": 9,
    "section": 8,
    "sub-section": 8,
    "author": 5,
    "tag": 5,
    # Pages that show the site's header or name read the masthead once on a cold cache.
    "article": 13,  # with no view yet, "Tin mới" stands in for "Xem nhiều nhất" (one query)
    "search": 9,  # PostgreSQL looks up rare words in a transaction of its own (4 queries)
    "feed": 3,
    "section-feed": 5,
    "sitemap-index": 8,
    "sitemap-articles": 2,
    "sitemap-sections": 1,
    "sitemap-authors": 2,
    "sitemap-tags": 2,
    "sitemap-news": 3,
    "robots": 0,
}


@pytest.fixture(params=[3, 45], ids=["few", "many"])
def site(request, make_article, make_section, make_author, make_tag, section, author):
    child = make_section("Bóng đá", parent=section)
    other = make_section("Thế giới")
    second = make_author("Thu Hà")
    tags = [make_tag(f"Chủ đề {n}") for n in range(4)]
    articles = []
    for number in range(request.param):
        article = make_article(
            title=f"Tin số {number} về an ninh",
            section=[section, child, other][number % 3],
            authors=[author, second],
            is_featured=number % 4 == 0,
        )
        article.tags.add(*tags[: 1 + number % 4])
        article.extra_sections.add(other)
        articles.append(article)
    last = articles[-1]
    for position, pick in enumerate(articles[:3]):
        if pick != last:
            RelatedArticle.objects.create(article=last, related=pick, position=position)
    # The masthead (masthead/identity.py) as a worker first reads it: one query, then cached.
    identity.forget()
    return {
        "count": request.param,
        "section": section,
        "child": child,
        "author": author,
        "tag": tags[0],
        "last": last,
    }


def urls(site):
    return {
        "home": reverse("articles:home"),
        "section": site["section"].get_absolute_url(),
        "sub-section": site["child"].get_absolute_url(),
        "author": site["author"].get_absolute_url(),
        "tag": site["tag"].get_absolute_url(),
        "article": site["last"].get_absolute_url(),
        "search": "/tim-kiem/?q=an+ninh",
        "feed": "/rss/",
        "section-feed": f"/rss/{site['section'].slug}/",
        "sitemap-index": "/sitemap.xml",
        "sitemap-articles": "/sitemap-bai-viet.xml",
        "sitemap-sections": "/sitemap-chuyen-muc.xml",
        "sitemap-authors": "/sitemap-tac-gia.xml",
        "sitemap-tags": "/sitemap-chu-de.xml",
        "sitemap-news": "/sitemap-news.xml",
        "robots": "/robots.txt",
    }


def shows(site):
    """Words each page must show: a page that lists nothing would meet any budget."""
    listed = "Tin số "
    return {
        "home": listed,
        "section": listed,
        "sub-section": listed,
        "author": listed,
        "tag": listed,
        "article": site["last"].title,
        "search": listed,
        "feed": listed,
        "section-feed": listed,
        "sitemap-index": "/sitemap-bai-viet.xml",
        "sitemap-articles": site["last"].get_absolute_url(),
        "sitemap-sections": site["child"].get_absolute_url(),
        "sitemap-authors": site["author"].get_absolute_url(),
        "sitemap-tags": site["tag"].get_absolute_url(),
        "sitemap-news": site["last"].title,
        "robots": "/sitemap.xml",
    }


@pytest.mark.parametrize("page", BUDGETS)
def test_public_page_query_count_is_fixed(client, site, page, django_assert_max_num_queries):
    with django_assert_max_num_queries(BUDGETS[page]):
        response = client.get(urls(site)[page])
    assert response.status_code == 200
    assert shows(site)[page] in response.content.decode()


def test_second_page_of_a_section_costs_the_same(client, site, django_assert_max_num_queries):
    with django_assert_max_num_queries(BUDGETS["section"]):
        response = client.get(site["section"].get_absolute_url(), {"page": 2})
    assert response.status_code == (200 if site["count"] > 20 else 404)


def test_an_article_page_built_before_costs_one_query(client, site, django_assert_num_queries):
    # The page cache is off in tests: this is a page cache miss, with the page's fragments (its
    # body, its sidebars, the menu) kept from the first request; the article row is still read.
    url = urls(site)["article"]
    first = client.get(url)
    with django_assert_num_queries(1):
        again = client.get(url)
    assert again.content == first.content


def test_the_404_page_lists_the_latest_in_a_fixed_number_of_queries(
    client, site, django_assert_max_num_queries
):
    # The menu and the latest stories; once kept as fragments, a scan of made-up addresses
    # costs no query at all.
    with django_assert_max_num_queries(3):
        response = client.get("/khong/co/trang-nay/")
    assert response.status_code == 404
    assert "Tin số " in response.content.decode()
    with django_assert_max_num_queries(0):
        assert client.get("/lai/khong/co/").status_code == 404
