"""One way to write a time: the Vietnamese format module and the `vi_datetime` filter, in the
site's time zone on reader pages and in the admin alike."""

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
import time_machine
from django import forms
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse

from articles import workflow
from articles.models import Article

# 02:00 UTC is 09:00 in Hà Nội.
MOMENT = datetime(2026, 11, 5, 2, 0, 15, tzinfo=UTC)


def render(source, **context):
    return Template("{% load vi_dates vi_numbers %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("style", "written"),
    [
        ("", "05/11/2026 09:00"),
        (':"seconds"', "05/11/2026 09:00:15"),
        (':"long"', "Thứ Năm, 05/11/2026 09:00 (GMT+7)"),
        (':"time"', "09:00:15"),
    ],
)
def test_a_moment_is_written_in_the_newsroom_time_zone(style, written):
    assert render("{{ moment|vi_datetime" + style + " }}", moment=MOMENT) == written


def test_no_moment_writes_nothing():
    assert render("[{{ moment|vi_datetime }}]", moment=None) == "[]"


def test_a_misspelt_style_is_refused():
    with pytest.raises(ValueError, match="short, seconds, time or long"):
        render('{{ moment|vi_datetime:"dài" }}', moment=MOMENT)


@pytest.mark.parametrize(
    ("count", "written"), [(0, "0"), (999, "999"), (12345, "12.345"), (1_000_000, "1.000.000")]
)
def test_counts_group_thousands_with_dots(count, written):
    assert render("{{ count|vi_number }}", count=count) == written


def test_a_typed_date_is_read_day_first():
    """Django's own input formats read 05/11/2026 as the 11th of May."""
    moment = forms.DateTimeField().clean("05/11/2026 09:30")
    assert (moment.year, moment.month, moment.day, moment.hour) == (2026, 11, 5, 9)
    assert forms.DateField().clean("05/11/2026").month == 11


def test_reader_pages_write_times_as_before(client, make_article):
    article = make_article(title="Bài có giờ đăng", publish_at=MOMENT)
    card = client.get(reverse("articles:home")).content.decode()
    assert '<time datetime="2026-11-05T09:00:15+07:00">05/11/2026 09:00</time>' in card
    page = client.get(article.get_absolute_url()).content.decode()
    assert (
        '<time datetime="2026-11-05T09:00:15+07:00">Thứ Năm, 05/11/2026 09:00 (GMT+7)</time>'
        in page
    )


@pytest.fixture
def stepped_article(make_article, reporter, editor):
    """A draft saved, submitted and published at 02:00 UTC (09:00 in Hà Nội)."""
    article = make_article(
        title="Bài qua quy trình", status=Article.Status.DRAFT, publish_at=None, created_by=reporter
    )
    with time_machine.travel(MOMENT, tick=False):
        workflow.record_revision(article, by=reporter)
        workflow.submit(article, by=reporter)
        workflow.publish(article, by=editor)
    return article


def test_the_editorial_history_shows_local_time(superuser_client, stepped_article):
    url = reverse("admin:articles_article_change", args=[stepped_article.pk])
    page = superuser_client.get(url).content.decode()
    assert "Xuất bản (05/11/2026 09:00)" in page
    assert "Gửi duyệt (05/11/2026 09:00)" in page
    assert "đang hiện với bạn đọc từ 05/11/2026 09:00:15" in page
    assert "02:00" not in page


def test_the_history_shows_local_time(superuser_client, stepped_article):
    url = reverse("admin:articles_article_history", args=[stepped_article.pk])
    page = superuser_client.get(url).content.decode()
    assert "05/11/2026 09:00:15" in page
    assert "02:00" not in page


def test_a_deleted_article_keeps_its_history_in_local_time(
    superuser_client, stepped_article, django_user_model
):
    superuser = django_user_model.objects.get(username="quantri")
    record = workflow.delete_article(stepped_article, by=superuser)
    url = reverse("admin:articles_deletedarticle_change", args=[record.pk])
    page = superuser_client.get(url).content.decode()
    assert "<li>05/11/2026 09:00 · phongvien · submit (draft → submitted) </li>" in page
    assert "2026-11-05T02:00" not in page


# Where a date pattern may still be written: the format module itself, the ISO "c" of
# <time datetime> and of feeds, and file names or logs that no person reads as a date.
HAND_WRITTEN = re.compile(r"""%d/%m|%H:%M %d|\|date:["'](?!c["'])|d/m/Y""")


def test_no_page_or_module_writes_its_own_date_pattern():
    root = Path(settings.BASE_DIR)
    allowed = root / "newsroom" / "formats"
    offenders = []
    for folder in ["templates", "articles", "photos", "popularity", "sections", "staff"]:
        for path in (root / folder).rglob("*"):
            if path.suffix not in {".html", ".py", ".xml", ".txt"} or allowed in path.parents:
                continue
            for number, line in enumerate(path.read_text().splitlines(), start=1):
                if HAND_WRITTEN.search(line):
                    offenders.append(f"{path.relative_to(root)}:{number}: {line.strip()}")
    assert offenders == []
