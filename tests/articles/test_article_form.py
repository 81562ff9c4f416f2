"""The article form puts the work first: a wide title and sapo with their search-result hints,
the bylines near the top with the writer's own filled in, and the lead photo chosen from a
picker of thumbnails."""

import json
import re

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.admin.forms import SAPO_SEARCH_LENGTH, TITLE_SEARCH_LENGTH
from articles.models import Article
from photos.widgets import RECENT_PHOTOS, SEARCH_RESULTS
from tests.articles.test_admin import article_form

ADD_URL = reverse("admin:articles_article_add")
PHOTOS_URL = reverse("admin:articles_article_photos")


def logged_in(client, user):
    client.force_login(user)
    return client


def page_of(response):
    assert response.status_code == 200
    return response.content.decode()


# Title and sapo -------------------------------------------------------------------------------


def test_title_and_sapo_carry_their_counters_and_search_hints(client, reporter):
    page = page_of(logged_in(client, reporter).get(ADD_URL))
    title = re.search(r"<input [^>]*name=\"title\"[^>]*>", page).group()
    assert 'class="vTextField article-title"' in title
    assert f'data-counter-limit="{TITLE_SEARCH_LENGTH}"' in title
    assert 'data-counter-text="{count}/{limit} ký tự"' in title
    assert 'maxlength="255"' in title
    sapo = re.search(r"<textarea [^>]*name=\"sapo\"[^>]*>", page).group()
    assert f'data-counter-limit="{SAPO_SEARCH_LENGTH}"' in sapo
    assert 'maxlength="1000"' in sapo
    assert "Nên gọn trong 70 ký tự để hiện trọn trong kết quả tìm kiếm của Google." in page
    assert "Nên gọn trong 160 ký tự" in page
    assert "newsroom/admin/article_form.js" in page
    assert "newsroom/admin/article_form.css" in page


def test_a_title_past_the_search_hint_is_saved_all_the_same(client, editor, section, author):
    title = "Đà Nẵng " + "đường dây nóng " * 10  # about 160 characters: a hint, not a limit
    data = article_form(section, author, None, title=title.strip())
    response = logged_in(client, editor).post(ADD_URL, data)
    assert response.status_code == 302
    assert Article.objects.get().title == title.strip()


def test_the_form_puts_title_and_sapo_first_and_the_address_with_the_state(client, editor):
    page = page_of(logged_in(client, editor).get(ADD_URL))
    order = [page.index(f'name="{name}"') for name in ("title", "sapo", "body", "lead_image")]
    assert order == sorted(order)
    assert page.index('name="lead_image"') < page.index('name="slug"')


# Bylines --------------------------------------------------------------------------------------


def test_a_new_article_starts_with_the_writers_own_byline(client, reporter, make_author):
    make_author("Người khác")
    own = make_author("Hải Nhi", user=reporter)
    page = page_of(logged_in(client, reporter).get(ADD_URL))
    assert f'<option value="{own.pk}" selected>Hải Nhi</option>' in page
    assert "Người khác" not in page


def test_a_writer_without_an_author_starts_with_an_empty_byline(client, editor, author):
    page = page_of(logged_in(client, editor).get(ADD_URL))
    assert 'name="bylines-0-author"' in page
    assert f'<option value="{author.pk}" selected>' not in page


def test_the_prefilled_byline_is_saved_when_left_as_it_was(client, reporter, section, make_author):
    own = make_author("Hải Nhi", user=reporter)
    data = article_form(section, own, None)
    assert logged_in(client, reporter).post(ADD_URL, data).status_code == 302
    assert Article.objects.get().byline == [own]


def test_an_existing_article_keeps_its_own_bylines(client, reporter, draft, make_author):
    own = make_author("Bút danh riêng", user=reporter)
    url = reverse("admin:articles_article_change", args=[draft.pk])
    page = page_of(logged_in(client, reporter).get(url))
    assert f'<option value="{draft.bylines.get().author_id}" selected>Hải Nhi</option>' in page
    assert f'<option value="{own.pk}" selected>' not in page


# The lead photo picker ------------------------------------------------------------------------


def test_the_picker_shows_the_newest_photos_with_captions_and_the_chosen_one(
    client, editor, make_article, make_image
):
    article = make_article(
        status=Article.Status.DRAFT,
        publish_at=None,
        lead_image=make_image(caption="Ảnh cũ đã chọn"),
    )
    newest = [make_image(caption=f"Ảnh mới số {number}") for number in range(RECENT_PHOTOS + 2)]
    url = reverse("admin:articles_article_change", args=[article.pk])
    page = page_of(logged_in(client, editor).get(url))
    grid = page[page.index("data-grid") : page.index("data-card-template")]
    assert grid.count('class="photo-picker__card"') == RECENT_PHOTOS
    assert "Ảnh mới số 13" in grid and "Ảnh mới số 0" not in grid
    assert "Ảnh cũ đã chọn" not in grid
    # The field is still a select holding the chosen photo, named by its caption.
    chosen = article.lead_image
    assert f'<option value="{chosen.pk}" selected>Ảnh cũ đã chọn</option>' in page
    assert "data-chosen-caption>Ảnh cũ đã chọn<" in page
    # Thumbnails are the smallest stored rendition, not the original file.
    smallest = newest[-1].renditions["webp"][0][2]
    assert f'src="/media/{smallest}"' in grid
    assert newest[-1].file.url not in grid


def test_the_picker_keeps_the_add_link_and_drops_the_others(client, reporter):
    page = page_of(logged_in(client, reporter).get(ADD_URL))
    assert 'id="add_id_lead_image"' in page
    for link in ("change_id_lead_image", "delete_id_lead_image", "view_id_lead_image"):
        assert link not in page
    # The field's label leads to the search box; the select itself is hidden.
    assert '<label for="id_lead_image_search">' in page
    assert re.search(r'<select name="lead_image"[^>]*id="id_lead_image"[^>]*hidden>', page)


def queries_of(client, url, **params):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params).status_code == 200
    return len(captured)


def test_the_form_costs_the_same_queries_however_many_photos_the_library_holds(
    client, editor, make_image, draft
):
    url = reverse("admin:articles_article_change", args=[draft.pk])
    logged_in(client, editor)
    queries_of(client, url)  # Django's own caches (content types...) fill on the first page
    few = queries_of(client, url)
    for _ in range(RECENT_PHOTOS + 3):
        make_image()
    # The chosen photo, now older than the newest, is read on its own: one query more.
    assert queries_of(client, url) == few + 1
    for _ in range(RECENT_PHOTOS + 3):
        make_image()
    assert queries_of(client, url) == few + 1


@pytest.mark.parametrize("posted", [":", "99999999999999999999999", "-1", "0"])
def test_a_wrong_photo_id_is_a_form_error_and_the_picker_shows_no_choice(
    client, editor, draft, posted
):
    url = reverse("admin:articles_article_change", args=[draft.pk])
    data = article_form(
        draft.section,
        draft.bylines.get().author,
        None,
        title=draft.title,
        slug=draft.slug,
        edited_version=draft.version,
        **{"bylines-INITIAL_FORMS": "1", "bylines-0-id": draft.bylines.get().pk},
    )
    data["lead_image"] = posted
    page = page_of(logged_in(client, editor).post(url, data))
    assert "errornote" in page
    assert "data-chosen hidden" in page


# The picker's search ---------------------------------------------------------------------------


def test_the_search_finds_photos_by_caption_newest_first_as_cards(client, reporter, make_image):
    older = make_image(caption="Cầu Rồng phun lửa", credit="Ảnh: Minh Khang")
    newer = make_image(caption="Cầu Rồng về đêm")
    make_image(caption="Chợ nổi Cái Răng")
    answer = logged_in(client, reporter).get(PHOTOS_URL, {"q": "Cầu Rồng"})
    assert answer.status_code == 200
    assert answer["Cache-Control"].startswith("max-age=0")
    results = json.loads(answer.content)["results"]
    assert [card["id"] for card in results] == [newer.pk, older.pk]
    card = results[1]
    assert card["label"] == "Cầu Rồng phun lửa"
    assert card["credit"] == "Ảnh: Minh Khang"
    assert card["thumb"] == f"/media/{older.renditions['webp'][0][2]}"
    assert (card["thumb_width"], card["size"]) == (320, "800×450")


def test_the_search_answers_one_photo_by_id_for_the_add_popup(client, reporter, make_image):
    photo = make_image(caption="Ảnh vừa tải lên")
    make_image(caption="Ảnh khác")
    logged_in(client, reporter)
    results = json.loads(client.get(PHOTOS_URL, {"id": photo.pk}).content)["results"]
    assert [card["label"] for card in results] == ["Ảnh vừa tải lên"]
    for garbage in ["", "x", "0", "99999999999999999999999", "1 OR 1=1"]:
        assert json.loads(client.get(PHOTOS_URL, {"id": garbage}).content)["results"] == []


def test_the_search_lists_at_most_a_page_of_the_newest(client, editor, make_image):
    logged_in(client, editor)
    none_found = queries_of(client, PHOTOS_URL, q="miền Trung")
    for number in range(SEARCH_RESULTS + 2):
        make_image(caption=f"Lũ miền Trung {number}")
    assert queries_of(client, PHOTOS_URL, q="miền Trung") == none_found
    results = json.loads(client.get(PHOTOS_URL, {"q": "miền Trung"}).content)["results"]
    assert len(results) == SEARCH_RESULTS
    assert results[0]["label"] == f"Lũ miền Trung {SEARCH_RESULTS + 1}"


@pytest.mark.parametrize("term", ["\x00", "%", "_", "'", "a" * 5000, "<script>"])
def test_the_search_takes_any_term_without_failing(client, editor, make_image, term):
    make_image(caption="Ảnh <script>")
    answer = logged_in(client, editor).get(PHOTOS_URL, {"q": term})
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/json"


def test_the_search_is_only_for_staff_who_may_list_photos(client, make_user, make_image):
    make_image()
    assert client.get(PHOTOS_URL).status_code == 302  # to the login page
    logged_in(client, make_user("bandoc", is_staff=False))
    assert client.get(PHOTOS_URL).status_code == 302
    logged_in(client, make_user("khong-vai-tro"))  # staff, with no newsroom role
    assert client.get(PHOTOS_URL).status_code == 403
    user = make_user("chi-xem-anh")
    user.user_permissions.add(Permission.objects.get(codename="view_image"))
    assert logged_in(client, user).get(PHOTOS_URL).status_code == 200


# "Xem trên trang web" ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "status", [Article.Status.DRAFT, Article.Status.SUBMITTED, Article.Status.UNPUBLISHED]
)
def test_view_on_site_opens_the_preview_of_an_article_readers_cannot_see(
    client, editor, make_article, status
):
    article = make_article(status=status, publish_at=None)
    url = reverse("admin:articles_article_change", args=[article.pk])
    page = page_of(logged_in(client, editor).get(url))
    preview = reverse("articles:preview", args=[article.pk])
    assert f'href="{preview}" class="viewsitelink"' in page
    assert client.get(preview).status_code == 200


def test_view_on_site_of_a_scheduled_article_is_its_preview(client, editor, make_article, clock):
    from datetime import timedelta

    from django.utils import timezone

    article = make_article(publish_at=timezone.now() + timedelta(hours=2))
    url = reverse("admin:articles_article_change", args=[article.pk])
    page = page_of(logged_in(client, editor).get(url))
    assert f'href="{reverse("articles:preview", args=[article.pk])}" class="viewsitelink"' in page


def test_view_on_site_of_a_live_article_leads_to_its_public_page(client, editor, make_article):
    article = make_article()
    url = reverse("admin:articles_article_change", args=[article.pk])
    page = page_of(logged_in(client, editor).get(url))
    link = re.search(r'href="([^"]+)" class="viewsitelink"', page).group(1)
    assert "xem-truoc" not in link
    answer = client.get(link)
    assert answer.status_code == 302
    assert answer["Location"].endswith(article.get_absolute_url())
