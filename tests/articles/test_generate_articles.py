from io import StringIO

from django.core.management import call_command
from django.db.models import F, Sum

from articles.management.commands.generate_articles import NICHE_SECTION
from articles.models import Article
from popularity.models import ViewBucket


def test_generate_articles_makes_complete_live_articles_with_views(db, client):
    call_command("generate_articles", count=250, batch=100, stdout=StringIO())
    assert Article.objects.count() == 250
    assert Article.objects.live().count() == 250
    assert Article.objects.filter(bylines__isnull=True).count() == 0
    assert len(set(Article.objects.values_list("slug", flat=True))) == 250
    days = ViewBucket.objects.filter(granularity="d").aggregate(total=Sum("views"))["total"]
    assert days == Article.objects.aggregate(total=Sum("view_count"))["total"] > 0
    newest = Article.objects.live().newest_first().first()
    assert newest.title in client.get(newest.get_absolute_url()).content.decode()
    word = newest.search_title.split()[0]
    assert Article.objects.live().search(word).exists()
    call_command("generate_articles", count=10, batch=100, stdout=StringIO())
    assert Article.objects.count() == 260


def test_generated_bylines_and_tags_never_name_one_row_twice(db):
    from articles.management.commands.generate_articles import Command

    authors, tags = Command.authors(), Command.tags()
    assert len(authors) == len({author.pk for author in authors}) > 50
    assert len(tags) == len({tag.pk for tag in tags}) > 50


def test_generated_sections_hold_a_niche_one_and_second_filings(db):
    call_command("generate_articles", count=3000, batch=1000, stdout=StringIO())
    niche = Article.objects.filter(section__slug=NICHE_SECTION).count()
    biggest = max(
        Article.objects.filter(section__slug=slug).count()
        for slug in Article.objects.values_list("section__slug", flat=True).distinct()
    )
    assert niche < biggest / 20
    filed = Article.extra_sections.through.objects
    assert 30 < filed.count() < 120
    assert not filed.filter(section=F("article__section")).exists()
