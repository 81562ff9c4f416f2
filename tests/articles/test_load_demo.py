import re
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from articles.management.commands import load_demo
from articles.models import Article, Author
from photos.models import Image
from sections.models import Section


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True  # as `make run` loads it: the README's log-ins
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


@pytest.fixture
def two_entries(monkeypatch):
    """The demo cut to two articles: the log-ins are what these tests look at."""
    first = load_demo.demo_entries()[0]
    monkeypatch.setattr(load_demo, "demo_entries", lambda: [first, {**first, "title": "Bài 2"}])


def run_load_demo(*options):
    out = StringIO()
    call_command("load_demo", *options, stdout=out)
    return out.getvalue()


def printed_passwords(out):
    return dict(re.findall(r"tài khoản “([^”]+)”, mật khẩu “([^”]+)”", out))


def assert_no_published_password():
    users = get_user_model().objects.in_bulk(
        [username for username, *_ in load_demo.DEMO_USERS], field_name="username"
    )
    assert len(users) == len(load_demo.DEMO_USERS)
    for username, published, *_ in load_demo.DEMO_USERS:
        assert not users[username].check_password(published), username


def test_load_demo_with_debug_off_gives_random_passwords_printed_once(db, settings, two_entries):
    settings.DEBUG = False
    out = run_load_demo()

    assert_no_published_password()
    passwords = printed_passwords(out)
    assert sorted(passwords) == sorted(username for username, *_ in load_demo.DEMO_USERS)
    assert len(set(passwords.values())) == len(passwords)
    for username, password in passwords.items():
        assert len(password) >= 16
        assert get_user_model().objects.get(username=username).check_password(password)
    assert "newsroom-demo" not in out

    again = run_load_demo()
    assert printed_passwords(again) == {}  # shown once: the second run keeps and hides them
    assert "giữ mật khẩu đang có" in again
    for username, password in passwords.items():
        assert get_user_model().objects.get(username=username).check_password(password)


def test_load_demo_with_debug_off_replaces_passwords_a_development_run_published(
    db, settings, two_entries
):
    settings.DEBUG = True
    run_load_demo()
    admin = get_user_model().objects.get(username="admin")
    assert admin.check_password("newsroom-demo")
    admin.set_password("mat-khau-rieng-cua-toa-soan")  # changed by its owner: left alone
    admin.save()

    settings.DEBUG = False
    out = run_load_demo()

    assert_no_published_password()
    passwords = printed_passwords(out)
    assert sorted(passwords) == ["bientap", "phongvien"]
    assert (
        get_user_model().objects.get(username="admin").check_password("mat-khau-rieng-cua-toa-soan")
    )
    assert "“admin” giữ mật khẩu đang có" in out


def test_random_passwords_can_be_asked_for_with_debug_on(db, settings, two_entries):
    settings.DEBUG = True
    out = run_load_demo("--random-passwords")
    assert_no_published_password()
    assert len(printed_passwords(out)) == len(load_demo.DEMO_USERS)


def test_the_login_address_follows_the_port_served(db, settings, two_entries):
    settings.DEBUG = True
    out = run_load_demo("--port", "8011")
    assert "http://127.0.0.1:8011/admin/" in out
    assert ":8000/" not in out


# A fresh demo's reading history (popularity's load_demo_views, run by `make demo`) -------------


@pytest.fixture
def small_demo(db, settings, monkeypatch):
    """The demo cut to its first fifteen articles (one scheduled), with its views."""
    settings.DEBUG = True
    entries = load_demo.demo_entries()[:15]
    monkeypatch.setattr(load_demo, "demo_entries", lambda: entries)
    run_load_demo()
    out = StringIO()
    call_command("load_demo_views", stdout=out)
    return out.getvalue()


def test_a_fresh_demo_has_views_so_xem_nhieu_nhat_shows_at_once(small_demo):
    from popularity import rankings

    live = Article.objects.live()
    assert "Lượt xem trình diễn:" in small_demo
    assert len(rankings.most_viewed(since=timedelta(hours=24))) == 5
    assert len(rankings.most_viewed(since=timedelta(days=7))) == 5
    for section in Section.objects.filter(articles__in=live).distinct():
        assert rankings.most_viewed(since=timedelta(days=7), section=section)


def test_demo_views_agree_as_the_flusher_writes_them(small_demo):
    from popularity.counting import HOURLY_KEPT
    from popularity.models import ViewBucket, hour_of

    now = timezone.now()
    live = Article.objects.live()
    buckets = ViewBucket.objects.all()
    assert not buckets.exclude(article__in=live).exists()  # no draft nor scheduled article
    for article in live:
        own = buckets.filter(article=article)
        daily = sum(own.filter(granularity="d").values_list("views", flat=True))
        assert article.view_count == daily > 0
        hourly = own.filter(granularity="h")
        assert not hourly.filter(period_start__lt=hour_of(article.publish_at)).exists()
        assert not hourly.filter(period_start__lt=hour_of(now) - HOURLY_KEPT).exists()
        assert not hourly.filter(period_start__gt=now).exists()
    # A spread, not an even sprinkle: some articles draw many more readers than most.
    counts = sorted(live.values_list("view_count", flat=True))
    assert counts[-1] >= 2.5 * counts[len(counts) // 2]


def test_demo_views_run_again_add_nothing(small_demo):
    totals = list(Article.objects.order_by("pk").values_list("view_count", flat=True))
    out = StringIO()
    call_command("load_demo_views", stdout=out)
    assert "không thêm" in out.getvalue()
    assert list(Article.objects.order_by("pk").values_list("view_count", flat=True)) == totals


def test_demo_views_are_refused_on_a_real_site(db, settings):
    from django.core.management.base import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("load_demo_views", stdout=StringIO())
