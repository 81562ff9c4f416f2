"""Who may change a photo of the library (articles.admin.images.may_change_photo): editors any
photo; a reporter only one they uploaded, and only while no article beyond draft or returned
uses it. Checked on the server for each role, whatever the page shows; nobody's list is empty."""

import functools

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.urls import reverse

from articles.models import Article
from photos import library
from photos.models import Image
from photos.rules import may_change_photo
from tests.articles.photos import media_files
from tests.conftest import image_bytes

Status = Article.Status
CAPTION = "Chú thích gốc."


def photo_url(view, photo=None):
    return reverse(f"admin:photos_image_{view}", args=[photo.pk] if photo else [])


@functools.cache
def checked_photo():
    """Checked, cleaned and rendered once for the module; each photo stored gets its own files."""
    return library.prepare_upload(ContentFile(image_bytes(), name="anh.jpg"))


def library_photo(uploaded_by, caption=CAPTION):
    return library.store(
        checked_photo(),
        by=uploaded_by,
        caption=caption,
        credit="Ảnh: Minh Khang",
        alt_text="Hội nghị",
    )


@pytest.fixture
def staff_without_role(django_user_model):
    return django_user_model.objects.create_user("nhanvien", password="x", is_staff=True)


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("quantri", "qt@example.com", "x")


@pytest.fixture
def person(request):
    return request.getfixturevalue(request.param)


@pytest.fixture(params=[Status.DRAFT, Status.PUBLISHED])
def used_photo(request, reporter, make_article):
    """A photo the reporter uploaded, the lead photo of a draft or of a published article."""
    photo = library_photo(reporter)
    make_article(status=request.param, lead_image=photo, created_by=reporter)
    return photo


# Who may change the photo, by its article's state: (draft, published).
MAY_CHANGE = {
    "reporter": (True, False),  # uploaded it
    "other_reporter": (False, False),
    "editor": (True, True),
    "superuser": (True, True),
    "staff_without_role": (False, False),
}
ROLES = list(MAY_CHANGE)


def allowed(person_name, photo):
    used_by_draft = photo.lead_of.get().status == Status.DRAFT
    return MAY_CHANGE[person_name][0 if used_by_draft else 1]


@pytest.mark.parametrize("person", ROLES, indirect=True)
def test_the_change_page_is_a_form_only_for_who_may_change_the_photo(
    client, person, used_photo, request
):
    client.force_login(person)
    response = client.get(photo_url("change", used_photo))
    name = request.node.callspec.params["person"]
    if name == "staff_without_role":
        assert response.status_code == 403
        return
    assert response.status_code == 200
    editable = 'name="caption"' in response.content.decode()
    assert editable == allowed(name, used_photo)
    assert CAPTION in response.content.decode()


@pytest.mark.parametrize("person", ROLES, indirect=True)
def test_a_crafted_post_changes_the_photo_only_for_who_may(client, person, used_photo, request):
    client.force_login(person)
    response = client.post(
        photo_url("change", used_photo),
        {
            "caption": "Chú thích bị đổi.",
            "credit": "Ảnh: ai đó",
            "alt_text": "Hội nghị",
            "file": ContentFile(image_bytes(colour=(0, 0, 0)), name="khac.jpg"),
        },
    )
    photo = Image.objects.get(pk=used_photo.pk)
    if allowed(request.node.callspec.params["person"], used_photo):
        assert response.status_code == 302
        assert photo.caption == "Chú thích bị đổi." and photo.file.name != used_photo.file.name
    else:
        assert response.status_code == 403
        assert photo.caption == CAPTION and photo.file.name == used_photo.file.name


# Deleting: reporters have no "delete photo" permission at all; a photo in use is protected.
MAY_DELETE = {
    "reporter": False,
    "other_reporter": False,
    "editor": True,
    "superuser": True,
    "staff_without_role": False,
}


@pytest.mark.parametrize("person", ROLES, indirect=True)
def test_only_editors_and_superusers_reach_the_delete_page(client, person, used_photo, request):
    client.force_login(person)
    may_delete = MAY_DELETE[request.node.callspec.params["person"]]
    assert client.get(photo_url("delete", used_photo)).status_code == (200 if may_delete else 403)
    response = client.post(photo_url("delete", used_photo), {"post": "yes"})
    # Even those who may delete keep a photo that an article shows: Django lists the article.
    assert response.status_code == (200 if may_delete else 403)
    assert Image.objects.filter(pk=used_photo.pk).exists()


@pytest.mark.parametrize("person", ROLES, indirect=True)
def test_an_unused_photo_is_deleted_only_by_editors_and_superusers(
    client, person, reporter, request
):
    photo = library_photo(reporter)
    client.force_login(person)
    response = client.post(photo_url("delete", photo), {"post": "yes"})
    may_delete = MAY_DELETE[request.node.callspec.params["person"]]
    assert response.status_code == (302 if may_delete else 403)
    assert Image.objects.filter(pk=photo.pk).exists() != may_delete


@pytest.mark.parametrize("person", ROLES, indirect=True)
def test_everyone_with_a_role_lists_every_photo(client, person, used_photo, request):
    other = library_photo(None, caption="Ảnh của kho ảnh chung.")
    client.force_login(person)
    response = client.get(photo_url("changelist"))
    if request.node.callspec.params["person"] == "staff_without_role":
        assert response.status_code == 403
        return
    assert response.status_code == 200
    listed = {photo.pk for photo in response.context["cl"].result_list}
    assert listed == {used_photo.pk, other.pk}


def test_the_photo_list_costs_the_same_queries_for_many_photos(
    client, reporter, other_reporter, editor, django_assert_max_num_queries
):
    client.force_login(reporter)
    library_photo(reporter)
    with django_assert_max_num_queries(50) as few:
        client.get(photo_url("changelist"))
    for number in range(8):
        library_photo([reporter, other_reporter, editor, None][number % 4])
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(photo_url("changelist"))
    assert len(response.context["cl"].result_list) == 9


@pytest.mark.parametrize(
    ("status", "may"),
    [
        (Status.DRAFT, True),
        (Status.RETURNED, True),
        (Status.SUBMITTED, False),
        (Status.PUBLISHED, False),
        (Status.UNPUBLISHED, False),
    ],
)
def test_a_reporter_changes_their_photo_only_while_its_articles_are_drafts_or_returned(
    reporter, make_article, status, may
):
    photo = library_photo(reporter)
    assert may_change_photo(reporter, photo)  # used by no article yet
    make_article(status=Status.DRAFT, lead_image=photo, created_by=reporter)
    make_article(status=status, lead_image=photo, slug="bai-thu-hai", created_by=reporter)
    assert may_change_photo(reporter, photo) is may


def test_a_reporter_may_not_change_a_photo_nobody_is_recorded_to_have_uploaded(reporter, editor):
    photo = library_photo(None)  # a demo photo, or one from before uploads were recorded
    assert not may_change_photo(reporter, photo)
    assert may_change_photo(editor, photo)


def test_a_photo_goes_read_only_for_its_reporter_once_their_article_is_submitted(
    client, reporter, make_article
):
    photo = library_photo(reporter)
    article = make_article(status=Status.DRAFT, lead_image=photo, created_by=reporter)
    client.force_login(reporter)
    assert 'name="caption"' in client.get(photo_url("change", photo)).content.decode()
    Article.objects.filter(pk=article.pk).update(status=Status.SUBMITTED)
    response = client.post(
        photo_url("change", photo),
        {"caption": "Sửa sau khi gửi duyệt.", "credit": "", "alt_text": "Hội nghị"},
    )
    assert response.status_code == 403
    assert Image.objects.get(pk=photo.pk).caption == CAPTION


def test_a_reporter_who_uploads_a_photo_is_recorded_and_may_correct_it(client, reporter):
    client.force_login(reporter)
    response = client.post(
        photo_url("add"),
        {
            "file": ContentFile(image_bytes(), name="anh.jpg"),
            "caption": CAPTION,
            "credit": "Ảnh: Hải Nhi",
            "alt_text": "Hội nghị",
        },
    )
    assert response.status_code == 302
    photo = Image.objects.get()
    assert photo.uploaded_by == reporter
    response = client.post(
        photo_url("change", photo),
        {"caption": "Chú thích đã sửa.", "credit": "Ảnh: Hải Nhi", "alt_text": "Hội nghị"},
    )
    assert response.status_code == 302
    assert Image.objects.get().caption == "Chú thích đã sửa."


# The library checks the same rules for whoever calls it, not only behind the admin's pages.


def test_the_library_stores_no_photo_for_staff_without_a_role(staff_without_role, media_root):
    with pytest.raises(PermissionDenied):
        library.store(ContentFile(image_bytes(), name="anh.jpg"), by=staff_without_role)
    assert not Image.objects.exists()
    assert media_files(media_root) == []


@pytest.mark.parametrize("person", ROLES, indirect=True)
def test_the_library_replaces_a_photos_file_only_for_who_may_change_it(
    person, used_photo, media_root, request
):
    files_before = media_files(media_root)
    photo = Image.objects.get(pk=used_photo.pk)
    new_file = ContentFile(image_bytes(colour=(0, 0, 0)), name="khac.jpg")
    if allowed(request.node.callspec.params["person"], used_photo):
        library.replace_file(photo, new_file, by=person)
        assert Image.objects.get(pk=photo.pk).file.name != used_photo.file.name
        return
    with pytest.raises(PermissionDenied):
        library.replace_file(photo, new_file, by=person)
    assert Image.objects.get(pk=photo.pk).file.name == used_photo.file.name
    assert media_files(media_root) == files_before
