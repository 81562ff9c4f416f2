from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from articles.models import Article, Author, Image
from sections.models import Section


@pytest.fixture
def demo(db):
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_demo_has_the_newsroom_the_issue_describes(demo, client):
    now = timezone.now()
    live = Article.objects.live()
    assert Section.objects.count() >= 6
    assert live.count() >= 60
    assert Article.objects.filter(status=Article.Status.DRAFT).count() >= 3
    scheduled = Article.objects.filter(status=Article.Status.PUBLISHED, publish_at__gt=now)
    assert scheduled.count() == 1
    assert now + timedelta(hours=12) < scheduled.get().publish_at < now + timedelta(days=2)
    oldest = live.order_by("publish_at").first().publish_at
    newest = live.order_by("-publish_at").first().publish_at
    assert now - timedelta(days=30) <= oldest
    assert newest <= now - timedelta(minutes=55)
    assert Author.objects.filter(name="Hải Nhi", articles__isnull=False).exists()
    # One load of the demo (about ten seconds of photo work) serves the checks below.
    check_every_demo_article_is_complete()
    check_demo_pages_serve(client)
    check_load_demo_says_how_to_log_in(demo)


def check_every_demo_article_is_complete():
    for article in Article.objects.select_related("lead_image").prefetch_related("bylines"):
        assert article.sapo
        assert article.lead_image and article.lead_caption and article.lead_image.credit
        assert article.lead_image.alt_text
        assert article.lead_image.renditions["webp"] and article.lead_image.renditions["jpeg"]
        assert (article.lead_image.width, article.lead_image.height) == (1200, 675)
        assert article.lead_image.file.storage.exists(article.lead_image.file.name)
        assert '<figure class="image">' in article.body and "<figcaption>" in article.body
        assert article.bylines.exists()


def check_demo_pages_serve(client):
    article = Article.objects.live().first()
    assert client.get("/").status_code == 200
    assert client.get(article.get_absolute_url()).status_code == 200
    assert client.get(article.section.get_absolute_url()).status_code == 200


def test_load_demo_twice_changes_nothing(demo):
    counts = (
        Section.objects.count(),
        Author.objects.count(),
        Article.objects.count(),
        Image.objects.count(),
        get_user_model().objects.count(),
    )
    slugs = set(Article.objects.values_list("slug", flat=True))
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert (
        Section.objects.count(),
        Author.objects.count(),
        Article.objects.count(),
        Image.objects.count(),
        get_user_model().objects.count(),
    ) == counts
    assert set(Article.objects.values_list("slug", flat=True)) == slugs
    assert "thêm mới 0 bài" in out.getvalue()


def check_load_demo_says_how_to_log_in(demo):
    assert "http://127.0.0.1:8000/admin/" in demo
    assert "admin" in demo
    user = get_user_model().objects.get(username="admin")
    assert user.is_superuser and user.check_password("newsroom-demo")
