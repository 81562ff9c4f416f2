from importlib import import_module
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from PIL import Image as PillowImage

from articles.models import Article
from photos import library, renditions
from photos.models import Image
from tests.articles.photos import disk_full_at, media_files, opened, phone_photo


def photo_without_renditions(make_image):
    """A photo as stored before renditions existed: its row names none, and none are on disk."""
    image = make_image()
    renditions.delete_files(image.file.storage, renditions.names_in(image.renditions))
    Image.objects.filter(pk=image.pk).update(renditions={})
    image.refresh_from_db()
    return image


def test_renditions_are_made_at_several_widths_in_webp_and_jpeg(make_image):
    image = make_image()  # 800x450
    image.refresh_from_db()
    assert [w for w, _h, _n in image.renditions["webp"]] == [320, 640, 800]
    assert [w for w, _h, _n in image.renditions["jpeg"]] == [320, 640, 800]
    width, height, name = image.renditions["webp"][0]
    assert height == 180
    with image.file.storage.open(name) as stored, PillowImage.open(stored) as picture:
        assert picture.format == "WEBP" and picture.size == (320, 180)


def test_picture_markup_offers_webp_with_a_jpeg_fallback(client, make_article):
    article = make_article()
    content = client.get(article.get_absolute_url()).content.decode()
    assert '<source type="image/webp" srcset="/media/renditions/' in content
    assert 'srcset="/media/renditions/' in content and " 320w" in content
    assert 'width="800" height="450"' in content


def test_command_makes_missing_renditions(make_image):
    image = photo_without_renditions(make_image)
    out = StringIO()
    call_command("make_renditions", stdout=out)
    assert Image.objects.get(pk=image.pk).renditions["jpeg"]
    assert "1 ảnh" in out.getvalue()
    call_command("make_renditions", stdout=out)
    assert "0 ảnh" in out.getvalue()


def test_renditions_are_written_all_or_none(make_image, monkeypatch, media_root):
    image = photo_without_renditions(make_image)
    before = media_files(media_root)
    disk_full_at(monkeypatch, 4)
    with pytest.raises(OSError):
        library.make_renditions(image)
    assert media_files(media_root) == before
    assert Image.objects.get(pk=image.pk).renditions == {}


def test_making_renditions_again_replaces_them_once_the_row_names_the_new_ones(
    make_image, media_root, django_capture_on_commit_callbacks
):
    image = make_image()
    first = image.renditions
    with django_capture_on_commit_callbacks(execute=True):
        library.make_renditions(image)
    assert image.renditions == Image.objects.get(pk=image.pk).renditions
    assert renditions.names_in(image.renditions).isdisjoint(renditions.names_in(first))
    names = [image.file.name, *renditions.names_in(image.renditions)]
    assert media_files(media_root) == sorted(media_root / name for name in names)


def test_making_renditions_again_that_fails_leaves_the_photo_whole(
    make_image, monkeypatch, media_root
):
    # The files the row names are never touched before the row names others: pages go on
    # showing the photo.
    image = make_image()
    first = image.renditions
    files = media_files(media_root)
    disk_full_at(monkeypatch, 4)
    with pytest.raises(OSError):
        library.make_renditions(image)
    assert Image.objects.get(pk=image.pk).renditions == first
    assert media_files(media_root) == files


def test_making_renditions_again_removes_those_the_photo_no_longer_names(
    make_image, media_root, django_capture_on_commit_callbacks
):
    # Renditions kept in a folder of an older layout, named on the row.
    image = make_image()
    storage = image.file.storage
    moved = {
        kind: [[w, h, storage.save(f"renditions/{image.pk}/{w}.{kind}", storage.open(n))]]
        for kind, ((w, h, n), *_rest) in image.renditions.items()
    }
    renditions.delete_files(storage, renditions.names_in(image.renditions))
    Image.objects.filter(pk=image.pk).update(renditions=moved)
    image.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        library.make_renditions(image)
    names = [image.file.name, *renditions.names_in(image.renditions)]
    assert media_files(media_root) == sorted(media_root / name for name in names)
    assert Image.objects.get(pk=image.pk).renditions == image.renditions


def test_renditions_of_a_photo_taken_on_its_side_stand_upright(db, media_root):
    image = library.store(
        ContentFile(phone_photo(size=(1600, 900)), name="a.jpg"), by=None, alt_text="Ảnh"
    )
    assert [(w, h) for w, h, _n in image.renditions["jpeg"]] == [
        (320, 569),
        (640, 1138),
        (900, 1600),
    ]
    for _width, _height, name in image.renditions["webp"]:
        assert "exif" not in opened(media_root / name).info


@pytest.mark.parametrize(
    ("command", "options"), [("load_demo", {}), ("generate_articles", {"count": 3})]
)
def test_photos_keep_their_size_so_pages_never_open_the_files(
    db, client, media_root, monkeypatch, command, options
):
    call_command(command, **options, stdout=StringIO())
    assert not Image.objects.filter(width__isnull=True).exists()

    def refuse(storage, name, mode="rb"):
        raise AssertionError(f"a page opened {name}")

    monkeypatch.setattr(FileSystemStorage, "_open", refuse)
    article = Article.objects.live().newest_first().first()
    assert article.lead_image.width > 0
    assert client.get(article.get_absolute_url()).status_code == 200


AT_0009 = ("articles", "0009_photo_dimensions")


def test_migration_stores_the_size_of_photos_saved_without_it(make_image, media_root):
    store_dimensions = import_module("articles.migrations.0009_photo_dimensions").store_dimensions
    photo, lost = make_image(), make_image()
    Image.objects.filter(pk__in=[photo.pk, lost.pk]).update(width=None, height=None)
    FileSystemStorage(location=media_root).delete(lost.file.name)

    # The migration's own view of the models, as it ran: photos lived in the articles app then.
    store_dimensions(MigrationLoader(connection).project_state(AT_0009).apps, schema_editor=None)

    sizes = dict(Image.objects.values_list("pk", "width"))
    assert sizes[photo.pk] == photo.width > 0
    assert sizes[lost.pk] is None  # unreadable: left as it was, the others still done
