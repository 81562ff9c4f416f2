"""Pages the page cache misses are built from fragments kept from earlier requests: every change
a reader could see still shows at once, whichever page kept the fragment."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles import workflow
from articles.models import Article, Revision


@pytest.fixture
def article(make_article, section, author):
    return make_article(title="Bài đang đọc", section=section, authors=[author])


def page(client, article):
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_renaming_an_author_in_the_admin_shows_on_built_pages(
    client, article, author, superuser_client, django_capture_on_commit_callbacks
):
    assert author.name in page(client, article)
    with django_capture_on_commit_callbacks(execute=True):
        response = superuser_client.post(
            reverse("admin:articles_author_change", args=[author.pk]),
            {"name": "Bút danh mới", "slug": author.slug, "bio": "", "user": ""},
        )
    assert response.status_code == 302
    html = page(client, article)
    assert "Bút danh mới" in html
    assert author.name not in html


def test_renaming_a_section_in_the_admin_shows_on_built_pages(
    client, article, section, superuser_client, django_capture_on_commit_callbacks
):
    page(client, article)
    with django_capture_on_commit_callbacks(execute=True):
        response = superuser_client.post(
            reverse("admin:sections_section_change", args=[section.pk]),
            {"name": "Chuyên mục đổi tên", "slug": section.slug, "parent": "", "position": 0,
             "description": ""},
        )  # fmt: skip
    assert response.status_code == 302
    assert page(client, article).count("Chuyên mục đổi tên") >= 2  # the menu and the breadcrumb


def test_publishing_another_article_shows_beside_built_pages(
    client, article, make_article, editor, django_capture_on_commit_callbacks
):
    assert "Tin mới cùng mục" not in page(client, article)
    fresh = make_article(title="Tin mới cùng mục", status=Article.Status.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.publish(fresh, by=editor)
    assert "Tin mới cùng mục" in page(client, article)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.unpublish(fresh, by=editor)
    assert "Tin mới cùng mục" not in page(client, article)


def test_a_correction_shows_on_a_built_page(
    client, article, editor, django_capture_on_commit_callbacks
):
    page(client, article)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.correct(article, by=editor, note="Sửa tên nhân vật ở đoạn hai.")
    assert "Sửa tên nhân vật ở đoạn hai." in page(client, article)


def test_a_preview_never_lends_its_fragments_to_readers(client, make_article, editor):
    draft = make_article(title="Bài chờ duyệt", status=Article.Status.SUBMITTED)
    staff = client.__class__()
    staff.force_login(editor)
    preview = staff.get(reverse("articles:preview", args=[draft.pk])).content.decode()
    assert "Bài chờ duyệt" in preview
    assert client.get(draft.get_absolute_url()).status_code == 404


# Every step readers can see, on a page kept before it ------------------------------------------

WATCHED = "Bài đang theo dõi"
OLD_TITLE = "Tiêu đề trước khi sửa"
CORRECTION = "Sửa tên nhân vật ở đoạn hai."


def featured_block(html):
    return html.split('id="tin-noi-bat"')[1].split("</section>")[0]


# For each step that changes what readers see of an article: the article's fields before it,
# the step (`people`: editor, superuser), where a reader looks (the section page, the home
# page's "Tin nổi bật", the article page) for which words, and whether they are there before.
READER_VISIBLE_STEPS = {
    "publish": (
        {"status": Article.Status.SUBMITTED},
        lambda a, people: workflow.publish(a, by=people["editor"]),
        ("section", WATCHED, False),
    ),
    "unpublish": (
        {},
        lambda a, people: workflow.unpublish(a, by=people["editor"]),
        ("section", WATCHED, True),
    ),
    "delete": (
        {},
        lambda a, people: workflow.delete_article(a, by=people["superuser"]),
        ("section", WATCHED, True),
    ),
    "feature": (
        {},
        lambda a, people: workflow.set_featured(a, by=people["editor"], featured=True),
        ("featured", WATCHED, False),
    ),
    "unfeature": (
        {"is_featured": True},
        lambda a, people: workflow.set_featured(a, by=people["editor"], featured=False),
        ("featured", WATCHED, True),
    ),
    "correct": (
        {},
        lambda a, people: workflow.correct(a, by=people["editor"], note=CORRECTION),
        ("article", CORRECTION, False),
    ),
    "restore": (
        {},
        lambda a, people: workflow.restore_revision(a, a.revisions.get(), by=people["editor"]),
        ("section", OLD_TITLE, False),
    ),
}


@pytest.mark.parametrize("kept", ["fragments", "whole-pages"])
@pytest.mark.parametrize("name", list(READER_VISIBLE_STEPS))
def test_each_step_readers_can_see_shows_at_once_on_a_page_kept_before_it(
    client,
    settings,
    make_article,
    section,
    editor,
    superuser,
    django_capture_on_commit_callbacks,
    name,
    kept,
):
    settings.PAGE_CACHE = kept == "whole-pages"
    fields, step, (where, words, there_before) = READER_VISIBLE_STEPS[name]
    # Older than the five newest, which fill "Tin nổi bật" when nothing is picked.
    article = make_article(title=WATCHED, publish_at=timezone.now() - timedelta(days=2), **fields)
    for number in range(5):
        make_article(title=f"Tin mới {number}")
    Revision.objects.create(article=article, title=OLD_TITLE, sapo="x", body="<p>y</p>")
    url = {"section": section, "featured": "/", "article": article}[where]
    url = url if isinstance(url, str) else url.get_absolute_url()

    def reader_sees():
        html = client.get(url).content.decode()
        return words in (featured_block(html) if where == "featured" else html)

    assert reader_sees() is there_before
    if kept == "whole-pages":
        assert client.get(url)["X-Cache"] == "HIT"
    with django_capture_on_commit_callbacks(execute=True):
        step(article, {"editor": editor, "superuser": superuser})
    assert reader_sees() is not there_before
