import io
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image as PillowImage

from articles.models import Article, Author, Byline, Tag
from photos import library
from sections.models import Section

# Where `clock` stops time: Thursday 5 November 2026, 09:30 in Hà Nội (UTC+7), on a whole
# 30-second step of the authenticator apps' codes.
NOW = datetime(2026, 11, 5, 2, 30, tzinfo=UTC)
# Every account the fixtures make signs in with it.
PASSWORD = "mat-khau-dai-1"


def image_bytes(size=(800, 450), image_format="JPEG", colour=(180, 40, 40)):
    """A real image encoded by Pillow."""
    buffer = io.BytesIO()
    PillowImage.new("RGB", size, colour).save(buffer, image_format)
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def no_server_errors(request, monkeypatch):
    """Fail any test during which the site answered 5xx, unless the test is marked
    `server_error_expected` (it provokes one on purpose and checks the answer).

    The test client re-raises a view's exception, but a 5xx answered by the site itself (the
    error page after a caught exception, a live server driven by the browser, a client told not
    to raise) would pass unseen; this watches every answer Django's handlers give.
    """
    from django.core.handlers.base import BaseHandler

    answered = []
    get_response = BaseHandler.get_response

    def watched(self, http_request):
        response = get_response(self, http_request)
        if response.status_code >= 500:
            answered.append(
                f"{http_request.method} {http_request.get_full_path()}: {response.status_code}"
            )
        return response

    monkeypatch.setattr(BaseHandler, "get_response", watched)
    yield
    if answered and not request.node.get_closest_marker("server_error_expected"):
        pytest.fail("The site answered with a server error:\n" + "\n".join(answered))


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with empty caches (rankings, versions, template fragments)."""
    from django.core.cache import caches

    from newsroom import pagecache

    def clear():
        for cache in caches.all(initialized_only=True):
            cache.clear()
        pagecache._local_pages.clear()
        pagecache._outage["until"] = 0.0

    clear()
    yield
    clear()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def jpeg_upload():
    return SimpleUploadedFile("anh-hien-truong.jpg", image_bytes(), content_type="image/jpeg")


@pytest.fixture
def clock():
    """Time stands still at NOW until the test moves it: `clock.shift(timedelta(...))` or
    `clock.move_to(when)`. Scheduling, expiry, throttling and authenticator codes are tested
    this way instead of sleeping."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def make_section(db):
    def make(name, **fields):
        return Section.objects.create(name=name, **fields)

    return make


@pytest.fixture
def make_author(db):
    def make(name, **fields):
        return Author.objects.create(name=name, **fields)

    return make


@pytest.fixture
def make_tag(db):
    def make(name):
        return Tag.objects.create(name=name)

    return make


@pytest.fixture
def section(make_section):
    return make_section("Thời sự")


@pytest.fixture
def author(make_author):
    return make_author("Hải Nhi", bio="Phóng viên mảng an ninh trật tự.")


@pytest.fixture(scope="session")
def checked_photo():
    """The fixtures' photo (800×450), checked, cleaned and rendered once for the whole run
    (`photos.library.prepare_upload`); each image stored from it gets files of its own."""
    return library.prepare_upload(ContentFile(image_bytes(), name="anh.jpg"))


@pytest.fixture
def make_image(db, checked_photo):
    """Store a library photo as the admin and the loaders do (`photos.library.store`)."""

    def make(*, by=None, **fields):
        fields = {
            "caption": "Quang cảnh hội nghị tại Thái Nguyên.",
            "credit": "Ảnh: Minh Khang",
            "alt_text": "Đại biểu dự hội nghị",
            **fields,
        }
        return library.store(checked_photo, by=by, **fields)

    return make


@pytest.fixture
def make_article(db, section, author, make_image):
    """Make an article, live (published an hour ago) unless told otherwise."""

    def make(*, authors=None, **fields):
        fields = {
            "title": "Phát huy phong trào toàn dân bảo vệ an ninh Tổ quốc",
            "sapo": "Đoàn công tác kiểm tra việc thực hiện chương trình phối hợp tại tỉnh.",
            "body": "<p>Nội dung bài viết.</p>",
            "section": section,
            "status": Article.Status.PUBLISHED,
            "publish_at": timezone.now() - timedelta(hours=1),
            **fields,
        }
        if "lead_image" not in fields:
            fields["lead_image"] = make_image()
        article = Article.objects.create(**fields)
        for position, byline_author in enumerate(authors or [author]):
            Byline.objects.create(article=article, author=byline_author, position=position)
        return article

    return make


@pytest.fixture
def draft(make_article, reporter):
    """The reporter's own draft: never submitted, never published."""
    return make_article(
        title="Bài của phóng viên",
        status=Article.Status.DRAFT,
        publish_at=None,
        created_by=reporter,
    )


@pytest.fixture
def roles(db):
    from django.contrib.auth.models import Group, Permission

    from staff.roles import ensure_roles

    return ensure_roles(Group, Permission)


@pytest.fixture
def make_user(db, roles, django_user_model):
    """Make an account signing in with PASSWORD: staff in `role` (staff.roles.REPORTER or
    EDITOR), staff with no newsroom role (`role` None), or a reader (`is_staff=False`)."""

    def make(username, role=None, *, is_staff=True):
        user = django_user_model.objects.create_user(
            username, f"{username}@example.com", PASSWORD, is_staff=is_staff
        )
        if role is not None:
            user.groups.add(roles[role])
        return user

    return make


@pytest.fixture
def reporter(make_user):
    from staff.roles import REPORTER

    return make_user("phongvien", REPORTER)


@pytest.fixture
def other_reporter(make_user):
    from staff.roles import REPORTER

    return make_user("phongvien2", REPORTER)


@pytest.fixture
def editor(make_user):
    from staff.roles import EDITOR

    return make_user("bientap", EDITOR)


@pytest.fixture
def superuser(db, django_user_model):
    return django_user_model.objects.create_superuser("quantri", "qt@example.com", PASSWORD)


@pytest.fixture
def superuser_client(superuser):
    from django.test import Client

    client = Client()
    client.force_login(superuser)
    return client
