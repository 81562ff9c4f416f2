"""Previews that do not leak: they name only the public address, offer no sharing, are never
indexed or cached, and a link made for someone without an account can be revoked."""

from datetime import timedelta

import pytest
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles import previews, workflow
from articles.models import Article, PreviewGrant
from tests.conftest import NOW

Status = Article.Status


@pytest.fixture
def draft(make_article, reporter):
    return make_article(
        title="Dự thảo luật đất đai sửa đổi",
        status=Status.SUBMITTED,
        publish_at=None,
        created_by=reporter,
    )


def grant_url(article):
    return reverse("admin:articles_article_grant_preview", args=[article.pk])


def revoke_url(grant):
    return reverse("admin:articles_article_revoke_preview", args=[grant.article_id, grant.pk])


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def opens(link, article):
    """Whether someone holding `link`, with no account, reads `article` there."""
    response = Client().get(link)
    return response.status_code == 200 and article.title in response.content.decode()


def preview_page(kind, article, editor):
    """The preview of `article` as staff open it, or as someone holding a link."""
    if kind == "staff":
        return logged_in(editor).get(reverse("articles:preview", args=[article.pk]))
    grant = previews.grant_preview(article, by=editor)
    return Client().get(previews.grant_path(grant))


# What a preview page says about itself -------------------------------------------------------


@pytest.mark.parametrize("kind", ["staff", "link"])
def test_a_preview_names_the_public_address_never_its_own(kind, draft, editor):
    response = preview_page(kind, draft, editor)
    assert response.status_code == 200
    content = response.content.decode()
    public = f"http://testserver{draft.get_absolute_url()}"
    assert f'<link rel="canonical" href="{public}">' in content
    assert f'<meta property="og:url" content="{public}">' in content
    assert f'"mainEntityOfPage": "{public}"' in content
    assert "/xem-truoc/" not in content


@pytest.mark.parametrize("kind", ["staff", "link"])
def test_a_preview_has_no_share_buttons(kind, draft, editor):
    content = preview_page(kind, draft, editor).content.decode()
    assert "Dự thảo luật đất đai sửa đổi" in content
    assert "Chia sẻ bài viết" not in content
    assert "facebook.com/sharer" not in content
    assert "twitter.com/intent" not in content


@pytest.mark.parametrize("kind", ["staff", "link"])
def test_a_preview_is_marked_noindex_and_never_cached(kind, draft, editor):
    response = preview_page(kind, draft, editor)
    assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in response["Cache-Control"]


def test_the_public_article_page_keeps_its_share_buttons_and_stays_indexable(client, make_article):
    article = make_article(title="Thông xe cầu Rạch Miễu 2")
    content = client.get(article.get_absolute_url()).content.decode()
    public = f"http://testserver{article.get_absolute_url()}"
    assert "Chia sẻ bài viết" in content
    assert f'<link rel="canonical" href="{public}">' in content
    assert f'<meta property="og:url" content="{public}">' in content
    assert 'name="robots"' not in content


def test_a_preview_never_leaves_its_head_or_share_buttons_to_the_public_page(
    client, make_article, editor
):
    # The page's fragments are cached: the preview's must not be served to readers, nor theirs
    # to the preview.
    article = make_article(title="Bài đang hiện")
    staff = logged_in(editor)
    assert "noindex" in staff.get(reverse("articles:preview", args=[article.pk])).content.decode()
    public = client.get(article.get_absolute_url()).content.decode()
    assert 'name="robots"' not in public and "Chia sẻ bài viết" in public
    preview = staff.get(reverse("articles:preview", args=[article.pk])).content.decode()
    assert "noindex" in preview and "Chia sẻ bài viết" not in preview


# Links as revocable grants ---------------------------------------------------------------------


def test_editor_makes_a_link_in_the_admin_that_opens_the_draft_until_it_expires(
    clock, draft, editor
):
    staff = logged_in(editor)
    response = staff.post(grant_url(draft), {"days": "7"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"{change_url(draft)}#xem-truoc")
    grant = PreviewGrant.objects.get()
    assert (grant.article, grant.created_by) == (draft, editor)
    assert grant.expires_at == NOW + timedelta(days=7)
    assert len(grant.token) >= 43
    link = f"http://testserver{previews.grant_path(grant)}"

    page = staff.get(change_url(draft)).content.decode()
    assert link in page  # in the message that it was made, and in the list to copy again
    assert "còn hiệu lực" in page and ">Thu hồi</button>" in page

    assert opens(link, draft)
    clock.shift(timedelta(days=7, seconds=-1))
    assert opens(link, draft)
    clock.shift(timedelta(seconds=1))
    assert Client().get(link).status_code == 404
    page = staff.get(change_url(draft)).content.decode()
    assert "hết hạn" in page and link not in page


def test_a_link_lasts_three_days_unless_the_editor_chooses(clock, draft, editor):
    grant = previews.grant_preview(draft, by=editor)
    assert grant.expires_at == NOW + timedelta(days=3)
    page = logged_in(editor).get(change_url(draft)).content.decode()
    assert '<option value="3" selected>' in page


@pytest.mark.parametrize("days", ["31", "365", "0", "-1", "2", "abc", "", "1e3", "3 "])
def test_a_lifetime_outside_the_choices_is_refused_and_makes_nothing(draft, editor, days):
    staff = logged_in(editor)
    response = staff.post(grant_url(draft), {"days": days}, follow=True)
    assert response.status_code == 200
    assert "Hãy chọn thời hạn của liên kết trong danh sách." in response.content.decode()
    assert not PreviewGrant.objects.exists()


def test_no_link_outlives_thirty_days_whoever_asks(draft, editor):
    for lifetime in (timedelta(days=30, seconds=1), timedelta(0), timedelta(days=-1)):
        with pytest.raises(ValidationError):
            previews.grant_preview(draft, by=editor, lifetime=lifetime)
    assert not PreviewGrant.objects.exists()


def test_a_revoked_link_answers_404_at_once(draft, editor):
    grant = previews.grant_preview(draft, by=editor)
    link = previews.grant_path(grant)
    assert opens(link, draft)
    staff = logged_in(editor)
    assert staff.post(revoke_url(grant)).status_code == 302
    response = Client().get(link)
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()
    grant.refresh_from_db()
    assert grant.revoked_by == editor and grant.revoked_at is not None
    page = staff.get(change_url(draft)).content.decode()
    assert "đã thu hồi" in page and grant.token not in page


def test_revoking_one_link_leaves_the_others_open(draft, editor):
    first = previews.grant_preview(draft, by=editor)
    second = previews.grant_preview(draft, by=editor)
    logged_in(editor).post(revoke_url(first))
    assert Client().get(previews.grant_path(first)).status_code == 404
    assert opens(previews.grant_path(second), draft)


def test_a_link_cannot_be_revoked_through_another_articles_address(draft, editor, make_article):
    other = make_article(title="Bài khác", status=Status.DRAFT, publish_at=None)
    grant = previews.grant_preview(draft, by=editor)
    crafted = reverse("admin:articles_article_revoke_preview", args=[other.pk, grant.pk])
    assert logged_in(editor).post(crafted).status_code == 404
    assert opens(previews.grant_path(grant), draft)


def test_unpublishing_revokes_the_articles_links(make_article, editor):
    article = make_article(title="Bài sẽ bị gỡ")
    other = make_article(title="Bài vẫn hiện")
    grant = previews.grant_preview(article, by=editor)
    kept = previews.grant_preview(other, by=editor)
    assert opens(previews.grant_path(grant), article)
    workflow.unpublish(article, by=editor, note="Sai số liệu.")
    assert Client().get(previews.grant_path(grant)).status_code == 404
    assert opens(previews.grant_path(kept), other)
    grant.refresh_from_db()
    assert grant.revoked_by == editor


def test_a_link_closes_when_the_articles_unpublish_time_passes(clock, make_article, editor):
    takedown = NOW + timedelta(hours=2)
    article = make_article(title="Bài tự gỡ", unpublish_at=takedown)
    grant = previews.grant_preview(article, by=editor, lifetime=timedelta(days=7))
    assert opens(previews.grant_path(grant), article)
    clock.move_to(takedown + timedelta(seconds=1))
    assert Client().get(previews.grant_path(grant)).status_code == 404
    admin_page = logged_in(editor).get(change_url(article)).content.decode()
    assert "đã đóng: bài đã tự gỡ" in admin_page
    assert previews.grant_path(grant) not in admin_page


@pytest.mark.parametrize(
    "token",
    [
        "a" * 43,  # well formed, unknown
        "a" * 65,
        "a" * 5000,
        "%00",
        "a%00b",
        "%3Cscript%3E",
        "%27%20OR%201=1--",
        "%C3%A2",
        "..",
    ],
)
def test_unknown_garbage_and_overlong_tokens_answer_404(client, draft, editor, token):
    previews.grant_preview(draft, by=editor)
    assert client.get(f"/xem-truoc/k/{token}/").status_code == 404


def test_signed_links_made_before_grants_no_longer_open_anything(client, draft):
    old = signing.dumps(draft.pk, salt="articles.preview", compress=True)
    assert client.get(f"/xem-truoc/k/{old}/").status_code == 404


def test_reporter_cannot_make_or_revoke_links_by_crafted_post(draft, reporter, editor):
    grant = previews.grant_preview(draft, by=editor)
    own = logged_in(reporter)
    assert own.post(grant_url(draft), {"days": "3"}).status_code == 403
    assert own.post(revoke_url(grant)).status_code == 403
    assert PreviewGrant.objects.get() == grant
    assert opens(previews.grant_path(grant), draft)
    with pytest.raises(PermissionDenied):
        previews.grant_preview(draft, by=reporter)


def test_reporter_sees_the_links_of_their_article_but_not_the_links_themselves(
    draft, reporter, editor
):
    grant = previews.grant_preview(draft, by=editor)
    page = logged_in(reporter).get(change_url(draft)).content.decode()
    assert "bientap" in page and "còn hiệu lực" in page
    assert grant.token not in page
    assert "Tạo liên kết xem trước" not in page and ">Thu hồi</button>" not in page


def test_making_and_revoking_need_the_csrf_token(draft, editor):
    grant = previews.grant_preview(draft, by=editor)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(editor)
    assert strict.post(grant_url(draft), {"days": "3"}).status_code == 403
    assert strict.post(revoke_url(grant)).status_code == 403
    assert PreviewGrant.objects.get() == grant
    grant.refresh_from_db()
    assert grant.revoked_at is None


def test_making_and_revoking_only_answer_posts(draft, editor):
    grant = previews.grant_preview(draft, by=editor)
    staff = logged_in(editor)
    assert staff.get(grant_url(draft), {"days": "3"}).status_code == 405
    assert staff.get(revoke_url(grant)).status_code == 405
    assert PreviewGrant.objects.filter(revoked_at__isnull=True).count() == 1


def test_a_link_page_never_enters_the_page_cache(settings, draft, editor):
    settings.PAGE_CACHE = True
    grant = previews.grant_preview(draft, by=editor)
    link = previews.grant_path(grant)
    for _ in range(2):
        response = Client().get(link)
        assert response.status_code == 200 and "X-Cache" not in response
    previews.revoke_grant(grant, by=editor)
    assert Client().get(link).status_code == 404


def test_the_admin_page_reads_the_links_in_one_query(draft, editor):
    staff = logged_in(editor)
    previews.grant_preview(draft, by=editor)
    staff.get(change_url(draft))  # warm what is read once per process

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert staff.get(change_url(draft)).status_code == 200
        return len(captured)

    with_one = queries()
    for _ in range(5):
        previews.revoke_grant(previews.grant_preview(draft, by=editor), by=editor)
    assert queries() == with_one


@pytest.mark.parametrize(
    "path",
    [
        "/admin/articles/article/999999/xem-truoc/tao/",
        "/admin/articles/article/99999999999999999999/xem-truoc/tao/",
        "/admin/articles/article/{article}/xem-truoc/999999/thu-hoi/",
        "/admin/articles/article/{article}/xem-truoc/99999999999999999999/thu-hoi/",
    ],
)
def test_unknown_articles_and_links_in_the_admin_answer_404(draft, editor, path):
    response = logged_in(editor).post(path.format(article=draft.pk), {"days": "3"})
    assert response.status_code == 404
    assert not PreviewGrant.objects.exists()
