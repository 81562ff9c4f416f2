"""Lead photos (the Image library): what is stored of an upload, whatever the path in, and that a
refused or failed upload leaves nothing behind."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError
from django.urls import reverse
from PIL import Image as PillowImage

from articles.models import Author
from photos import library, renditions
from photos.admin import ImageAdminForm
from photos.cleaning import clean_photo, validate_image_file
from photos.models import Image
from tests.articles.photos import (
    animated_gif,
    assert_upright_without_metadata,
    disk_full_at,
    frames_of,
    media_files,
    opened,
    phone_photo,
    png_declaring,
    truncated_jpeg,
)
from tests.conftest import image_bytes


@pytest.fixture
def admin_client(client, db):
    user = get_user_model().objects.create_superuser("bientap", "bt@example.com", "mat-khau-dai-1")
    client.force_login(user)
    return client


def upload_in_admin(client, content, name="anh.jpg", **fields):
    fields = {
        "caption": "Lực lượng cứu hộ tại hiện trường.",
        "credit": "Ảnh: Minh Khang",
        "alt_text": "Lực lượng cứu hộ",
        **fields,
    }
    return client.post(
        reverse("admin:photos_image_add"), {"file": SimpleUploadedFile(name, content), **fields}
    )


def form_errors(response):
    return " ".join(response.context["adminform"].form.errors.get("file", []))


@pytest.mark.parametrize("image_format", ["JPEG", "PNG", "WEBP"])
def test_lead_photo_is_stored_upright_without_location_or_camera_data(image_format, db):
    image = library.store(
        ContentFile(phone_photo(image_format=image_format), name="dien-thoai.jpg"),
        by=None,
        alt_text="Hồ Gươm",
    )
    assert (image.width, image.height) == (450, 800)
    with image.file.open("rb") as stored:
        assert_upright_without_metadata(opened(stored.read()), (450, 800), image_format)


def test_photo_uploaded_in_the_admin_is_stored_upright_without_location(admin_client, media_root):
    response = upload_in_admin(admin_client, phone_photo(), name="IMG_2024 Hồ Gươm.jpg")
    assert response.status_code == 302
    image = Image.objects.get()
    assert (image.width, image.height) == (450, 800)
    stored = media_root / image.file.name
    assert "IMG" not in stored.name and "Gươm" not in stored.name
    assert_upright_without_metadata(opened(stored), (450, 800), "JPEG")
    width, height, name = image.renditions["jpeg"][-1]
    assert (width, height) == (450, 800)
    assert_upright_without_metadata(opened(media_root / name), (450, 800), "JPEG")


def test_a_jpeg_keeps_its_own_compression_when_stored_again(db):
    buffer = io.BytesIO()
    PillowImage.effect_noise((640, 480), 40).convert("RGB").save(buffer, "JPEG", quality=93)
    stored = clean_photo(SimpleUploadedFile("anh.jpg", buffer.getvalue()))
    original = opened(buffer.getvalue())
    again = opened(stored.read())
    assert again.format == "JPEG"
    assert again.quantization == original.quantization
    assert 0.8 < stored.size / len(buffer.getvalue()) < 1.2


def test_an_animated_gif_keeps_its_frames_and_timing_but_not_its_comment(db):
    image = library.store(
        ContentFile(animated_gif(), name="dong.gif"), by=None, alt_text="Ảnh động"
    )
    assert image.file.name.endswith(".gif")
    with image.file.open("rb") as stored:
        animation = opened(stored.read())
    assert animation.n_frames == 3
    assert "comment" not in animation.info
    assert frames_of(animation) == [(100, (255, 0, 0)), (200, (0, 255, 0)), (300, (0, 0, 255))]


def test_a_png_named_like_a_jpeg_is_stored_as_the_png_it_is(db):
    image = library.store(
        ContentFile(image_bytes(image_format="PNG"), name="anh.jpg"), by=None, alt_text="Ảnh"
    )
    assert image.file.name.endswith(".png")
    with image.file.open("rb") as stored:
        assert opened(stored.read()).format == "PNG"


def test_a_decompression_bomb_is_refused_before_any_pixel_is_decoded(db):
    bomb = SimpleUploadedFile("bom.png", png_declaring(30_000, 30_000))
    assert bomb.size < 100
    with pytest.raises(ValidationError) as refused:
        validate_image_file(bomb)
    assert refused.value.code == "too_many_pixels"
    assert "Ảnh có quá nhiều điểm ảnh" in refused.value.messages[0]


def test_a_photo_over_pillows_warning_limit_is_refused_too(db, monkeypatch, settings):
    # Pillow only warns between MAX_IMAGE_PIXELS and twice that number.
    settings.IMAGE_MAX_PIXELS = 10_000_000
    monkeypatch.setattr(PillowImage, "MAX_IMAGE_PIXELS", 4_000)
    with pytest.raises(ValidationError) as refused:
        validate_image_file(SimpleUploadedFile("anh.png", png_declaring(100, 50)))
    assert refused.value.code == "too_many_pixels"


def test_a_photo_over_our_own_pixel_limit_is_refused_with_its_size(db, settings):
    settings.IMAGE_MAX_PIXELS = 100_000
    with pytest.raises(ValidationError) as refused:
        validate_image_file(SimpleUploadedFile("anh.png", png_declaring(500, 400)))
    assert "500×400" in refused.value.messages[0]


def test_an_animation_counts_the_pixels_of_all_its_frames(db, settings):
    settings.IMAGE_MAX_PIXELS = 60 * 40 * 2
    with pytest.raises(ValidationError) as refused:
        validate_image_file(SimpleUploadedFile("dong.gif", animated_gif()))
    assert "Ảnh động" in refused.value.messages[0]


def test_admin_refuses_a_large_photo_with_a_vietnamese_message_and_keeps_the_caption(
    admin_client, settings, media_root
):
    settings.IMAGE_MAX_PIXELS = 100_000
    response = upload_in_admin(admin_client, png_declaring(500, 400), name="lon.png")
    assert response.status_code == 200
    assert "Ảnh có quá nhiều điểm ảnh (500×400" in form_errors(response)
    assert "Lực lượng cứu hộ tại hiện trường." in response.content.decode()
    assert not Image.objects.exists()
    assert media_files(media_root) == []


def test_photo_form_names_a_decompression_bomb_for_what_it_is(db):
    # Django's own image field would call it "not a valid image" (see ImageAdminForm).
    form = ImageAdminForm(
        {"caption": "x", "credit": "y", "alt_text": "z"},
        {"file": SimpleUploadedFile("bom.png", png_declaring(30_000, 30_000))},
    )
    assert not form.is_valid()
    assert "Ảnh có quá nhiều điểm ảnh" in " ".join(form.errors["file"])


def test_admin_refuses_a_photo_cut_short_and_stores_nothing(admin_client, media_root):
    response = upload_in_admin(admin_client, truncated_jpeg())
    assert response.status_code == 200
    assert "không phải là ảnh hợp lệ" in form_errors(response)
    assert not Image.objects.exists()
    assert media_files(media_root) == []


def test_photo_whose_renditions_fail_is_refused_on_the_form_and_nothing_is_stored(
    admin_client, media_root, monkeypatch
):
    def fail(image_file):
        raise OSError("disk full")

    monkeypatch.setattr(renditions, "render_renditions", fail)
    response = upload_in_admin(admin_client, image_bytes())
    assert response.status_code == 200
    assert "Không tạo được các cỡ ảnh" in form_errors(response)
    content = response.content.decode()
    assert "Lực lượng cứu hộ tại hiện trường." in content and "Ảnh: Minh Khang" in content
    assert not Image.objects.exists()
    assert media_files(media_root) == []


def test_admin_makes_the_renditions_of_an_upload_only_once(admin_client, monkeypatch):
    calls = []
    render = renditions.render_renditions
    monkeypatch.setattr(renditions, "render_renditions", lambda f: calls.append(f) or render(f))
    assert upload_in_admin(admin_client, image_bytes()).status_code == 302
    assert len(calls) == 1
    assert Image.objects.get().renditions["webp"]


# All or nothing: whichever step of storing a photo fails, no row and no file remain.


def test_a_broken_file_stored_from_the_shell_leaves_no_row_and_no_file(db, media_root):
    with pytest.raises(ValidationError) as refused:
        library.store(ContentFile(b"<svg onload=alert(1)>", name="a.jpg"), by=None, alt_text="x")
    assert refused.value.code == "not_an_image"
    assert not Image.objects.exists()
    assert media_files(media_root) == []


def test_a_photo_saved_without_the_library_is_refused_rather_than_stored_raw(db, media_root):
    with pytest.raises(ValueError, match=r"photos\.library\.store\(\)"):
        Image.objects.create(file=ContentFile(phone_photo(), name="a.jpg"), alt_text="Ảnh")
    assert not Image.objects.exists()
    assert media_files(media_root) == []


def test_a_new_file_saved_onto_a_stored_photo_is_refused_and_the_photo_kept(db, media_root):
    photo = photo_stored_as_load_demo_does()
    stored_name, files_before = photo.file.name, media_files(media_root)
    photo.file = ContentFile(phone_photo(), name="a.jpg")
    with pytest.raises(ValueError, match=r"replace_file\(\)"):
        photo.save()
    assert Image.objects.get(pk=photo.pk).file.name == stored_name
    assert media_files(media_root) == files_before


def test_photo_whose_renditions_cannot_be_made_leaves_no_row_and_no_file(
    db, media_root, monkeypatch
):
    def fail(image_file):
        raise OSError("cannot encode")

    monkeypatch.setattr(renditions, "render_renditions", fail)
    with pytest.raises(ValidationError) as refused:
        library.store(ContentFile(image_bytes(), name="a.jpg"), by=None, alt_text="Ảnh")
    assert refused.value.code == "renditions"
    assert not Image.objects.exists()
    assert media_files(media_root) == []


@pytest.mark.parametrize("failing_write", [1, 2, 7], ids=["photo", "a rendition", "the last"])
def test_a_file_that_cannot_be_written_leaves_no_row_and_no_file(
    db, media_root, monkeypatch, failing_write
):
    # The photo is written first, then its six renditions (320, 640 and 800 wide, two formats).
    written = disk_full_at(monkeypatch, failing_write)
    with pytest.raises(OSError):
        library.store(ContentFile(image_bytes(), name="a.jpg"), by=None, alt_text="Ảnh")
    assert len(written) == failing_write
    assert not Image.objects.exists()
    assert media_files(media_root) == []


def test_a_row_that_cannot_be_written_takes_its_files_with_it(db, media_root, monkeypatch):
    def fail(*args, **kwargs):
        raise DatabaseError("connection lost")

    monkeypatch.setattr(Image, "_do_insert", fail)
    with pytest.raises(DatabaseError):
        library.store(ContentFile(image_bytes(), name="a.jpg"), by=None, alt_text="Ảnh")
    assert not Image.objects.exists()
    assert media_files(media_root) == []


def test_a_stored_photo_has_its_size_and_renditions_in_the_row_written_once(db, media_root):
    image = library.store(ContentFile(image_bytes(), name="a.jpg"), by=None, alt_text="Ảnh")
    stored = Image.objects.get(pk=image.pk)
    assert (stored.width, stored.height) == (800, 450)
    assert stored.renditions == image.renditions
    names = [image.file.name, *renditions.names_in(image.renditions)]
    assert sorted(media_root / name for name in names) == media_files(media_root)


def test_captions_credits_and_alt_text_are_stored_as_plain_text(db):
    image = library.store(
        ContentFile(image_bytes(), name="a.jpg"),
        by=None,
        caption='<b>Hội nghị</b> <script>alert(1)</script>tại Huế &amp; Đà Nẵng<img onerror="x()">',
        credit="<a href='https://evil.example'>Ảnh: Hải Nhi</a>",
        alt_text="Đại biểu <i>dự</i> hội nghị",
    )
    image.refresh_from_db()
    assert image.caption == "Hội nghị tại Huế & Đà Nẵng"
    assert image.credit == "Ảnh: Hải Nhi"
    assert image.alt_text == "Đại biểu dự hội nghị"


def test_a_caption_with_a_less_than_sign_keeps_it(db):
    image = library.store(
        ContentFile(image_bytes(), name="a.jpg"),
        by=None,
        caption="Lương dưới <10 triệu: 3 < 5",
        alt_text="Bảng lương",
    )
    assert image.caption == "Lương dưới <10 triệu: 3 < 5"


def test_photo_form_stores_the_cleaned_photo_and_makes_renditions_once(db, monkeypatch):
    calls = []
    render = renditions.render_renditions
    monkeypatch.setattr(renditions, "render_renditions", lambda f: calls.append(f) or render(f))
    form = ImageAdminForm(
        {"caption": "<i>Hồ</i> Gươm", "credit": "Ảnh: Minh Khang", "alt_text": "Hồ Gươm"},
        {"file": SimpleUploadedFile("IMG_1.jpg", phone_photo())},
    )
    assert form.is_valid(), form.errors
    image = library.store(form.cleaned_data["file"], by=None, image=form.save(commit=False))
    assert len(calls) == 1
    assert image.renditions["webp"] and image.renditions["jpeg"]
    assert (image.width, image.height) == (450, 800) and image.caption == "Hồ Gươm"
    with image.file.open("rb") as stored:
        assert_upright_without_metadata(opened(stored.read()), (450, 800), "JPEG")


@pytest.mark.parametrize("image_format", ["BMP", "TIFF", "ICO"])
def test_other_image_formats_are_not_taken(db, image_format):
    buffer = io.BytesIO()
    PillowImage.new("RGB", (64, 64), "red").save(buffer, image_format)
    with pytest.raises(ValidationError) as refused:
        validate_image_file(SimpleUploadedFile("anh.jpg", buffer.getvalue()))
    assert "JPEG, PNG, WebP hoặc GIF" in refused.value.messages[0]


def test_an_authors_portrait_is_stored_upright_without_location(db):
    author = Author.objects.create(
        name="Hải Nhi", photo=library.clean_upload(ContentFile(phone_photo(), name="cd.jpg"))
    )
    with author.photo.open("rb") as stored:
        assert_upright_without_metadata(opened(stored.read()), (450, 800), "JPEG")


def test_a_portrait_uploaded_in_the_admin_is_stored_upright_without_location(
    admin_client, media_root
):
    response = admin_client.post(
        reverse("admin:articles_author_add"),
        {
            "name": "Minh Khang",
            "slug": "",
            "bio": "Phóng viên ảnh.",
            "photo": SimpleUploadedFile("IMG_7 Minh Khang.jpg", phone_photo()),
        },
    )
    assert response.status_code == 302
    author = Author.objects.get(name="Minh Khang")
    assert "IMG" not in author.photo.name
    assert_upright_without_metadata(opened(media_root / author.photo.name), (450, 800), "JPEG")


def test_admin_refuses_a_portrait_that_is_no_photo_and_stores_nothing(admin_client, media_root):
    response = admin_client.post(
        reverse("admin:articles_author_add"),
        {"name": "Minh Khang", "slug": "", "photo": SimpleUploadedFile("a.jpg", b"<svg>")},
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["photo"]
    assert "không phải là ảnh hợp lệ" in " ".join(errors)
    assert not Author.objects.exists()
    assert media_files(media_root) == []


def test_a_portrait_saved_without_cleaning_is_refused_rather_than_stored_raw(db, media_root):
    with pytest.raises(ValueError, match=r"photos\.library\.clean_upload\(\)"):
        Author.objects.create(name="Hải Nhi", photo=ContentFile(phone_photo(), name="cd.jpg"))
    assert not Author.objects.exists()
    assert media_files(media_root) == []


# Correcting a stored photo's words: the photo was checked on its way in, and is not read again.


def photo_stored_as_load_demo_does(caption="Chú thích gốc."):
    """A photo stored as `manage.py load_demo` stores the demo's: by `photos.library.store`."""
    return library.store(
        ContentFile(image_bytes(), name="hoi-nghi.jpg"),
        by=None,
        caption=caption,
        credit="Ảnh: Minh Khang",
        alt_text="Hội nghị",
    )


def photo_uploaded_in_the_admin(client):
    assert upload_in_admin(client, phone_photo(), caption="Chú thích gốc.").status_code == 302
    return Image.objects.get()


def change_in_admin(client, photo, **fields):
    fields = {
        "caption": photo.caption,
        "credit": photo.credit,
        "alt_text": photo.alt_text,
        **fields,
    }
    return client.post(reverse("admin:photos_image_change", args=[photo.pk]), fields)


@pytest.fixture(params=["load_demo", "admin"])
def stored_photo(request, db):
    if request.param == "load_demo":
        return photo_stored_as_load_demo_does()
    return photo_uploaded_in_the_admin(request.getfixturevalue("superuser_client"))


def test_editor_corrects_only_the_caption_of_a_stored_photo(
    client, editor, stored_photo, media_root
):
    files_before = media_files(media_root)
    client.force_login(editor)
    response = change_in_admin(client, stored_photo, caption="Chú thích đã sửa.")
    assert response.status_code == 302
    photo = Image.objects.get(pk=stored_photo.pk)
    assert photo.caption == "Chú thích đã sửa."
    assert photo.file.name == stored_photo.file.name
    assert (photo.width, photo.height) == (stored_photo.width, stored_photo.height)
    assert photo.renditions == stored_photo.renditions
    assert media_files(media_root) == files_before


def test_a_caption_is_saved_without_reading_the_stored_file(
    admin_client, stored_photo, monkeypatch
):
    # Neither the check nor the size is read again: a file the storage cannot reach just now
    # (a network disk, a restore in progress) does not stop an editor from fixing a caption.
    def unreachable(*args, **kwargs):
        raise OSError("storage unreachable")

    monkeypatch.setattr(FileSystemStorage, "_open", unreachable)
    response = change_in_admin(admin_client, stored_photo, caption="Chú thích đã sửa.")
    assert response.status_code == 302
    assert Image.objects.get(pk=stored_photo.pk).caption == "Chú thích đã sửa."


def test_a_stored_photo_passes_full_clean_as_it_is_and_as_loaded_again(db, monkeypatch):
    photo = photo_stored_as_load_demo_does()
    photo.caption = "Chú thích đã sửa."
    photo.full_clean()  # the same object, as store() left it
    photo.save()
    loaded = Image.objects.get(pk=photo.pk)
    monkeypatch.setattr(FileSystemStorage, "_open", lambda *args, **kwargs: 1 / 0)
    loaded.full_clean()
    assert loaded.caption == "Chú thích đã sửa."


def test_a_new_file_chosen_for_a_stored_photo_is_still_checked(
    admin_client, stored_photo, media_root
):
    files_before = media_files(media_root)
    response = admin_client.post(
        reverse("admin:photos_image_change", args=[stored_photo.pk]),
        {
            "file": SimpleUploadedFile("anh.jpg", b"<svg onload=alert(1)>"),
            "caption": "Chú thích mới.",
            "credit": stored_photo.credit,
            "alt_text": stored_photo.alt_text,
        },
    )
    assert response.status_code == 200
    assert "không phải là ảnh hợp lệ" in form_errors(response)
    photo = Image.objects.get(pk=stored_photo.pk)
    assert photo.caption == "Chú thích gốc." and photo.file.name == stored_photo.file.name
    assert media_files(media_root) == files_before


def test_a_new_file_given_to_a_stored_photo_outside_the_admin_is_still_checked(db):
    photo = photo_stored_as_load_demo_does()
    photo.file = ContentFile(b"<svg onload=alert(1)>", name="a.jpg")
    with pytest.raises(ValidationError) as refused:
        photo.full_clean()
    assert "không phải là ảnh hợp lệ" in " ".join(refused.value.message_dict["file"])


def test_a_new_photo_replaces_the_stored_one_with_its_renditions(
    admin_client, stored_photo, media_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:photos_image_change", args=[stored_photo.pk]),
            {
                "file": SimpleUploadedFile(
                    "m.png", image_bytes(size=(640, 480), image_format="PNG")
                ),
                "caption": stored_photo.caption,
                "credit": stored_photo.credit,
                "alt_text": stored_photo.alt_text,
            },
        )
    assert response.status_code == 302
    photo = Image.objects.get(pk=stored_photo.pk)
    assert photo.file.name != stored_photo.file.name and photo.file.name.endswith(".png")
    assert (photo.width, photo.height) == (640, 480)
    assert photo.renditions["jpeg"][-1][:2] == [640, 480]
    # The old file and its renditions are gone; the new ones are all there is.
    names = [photo.file.name, *renditions.names_in(photo.renditions)]
    assert media_files(media_root) == sorted(media_root / name for name in names)


@pytest.mark.parametrize("failing_write", [1, 4], ids=["photo", "a rendition"])
def test_a_new_file_that_cannot_be_stored_leaves_the_photo_as_it_was(
    stored_photo, media_root, monkeypatch, failing_write
):
    files_before = media_files(media_root)
    written = disk_full_at(monkeypatch, failing_write)
    photo = Image.objects.get(pk=stored_photo.pk)
    photo.caption = "Chú thích mới."
    with pytest.raises(OSError):
        library.replace_file(
            photo, ContentFile(image_bytes(size=(640, 480)), name="m.jpg"), by=None
        )
    assert len(written) == failing_write
    kept = Image.objects.get(pk=stored_photo.pk)
    assert (kept.file.name, kept.caption) == (stored_photo.file.name, "Chú thích gốc.")
    assert kept.renditions == stored_photo.renditions
    assert media_files(media_root) == files_before
