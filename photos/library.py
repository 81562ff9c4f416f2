"""How a photo enters the library, and how a stored photo gets a new file: `store()` and
`replace_file()`, which the admin, the loaders and the shell all call. `Image.save()` writes no
file, and refuses one that is not stored yet.

A photo is checked and cleaned first (`photos.cleaning.clean_photo`: upright, without its
metadata), its renditions are made in memory, and only then is anything written: the file, its
renditions, then the row. It is all or nothing: when a step fails, the row is not written and
the files already written are removed again. The body editor's upload, which django-ckeditor
stores as a plain file, is cleaned by the same `clean_upload()`.
"""

import logging
from contextlib import contextmanager
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from newsroom.pagecache import content_changed_on_commit
from photos import renditions
from photos.cleaning import CleanedPhoto, clean_photo
from photos.models import Image
from photos.rules import may_change_photo

logger = logging.getLogger(__name__)


def clean_upload(upload):
    """The photo to store for `upload`, checked and cleaned (`photos.cleaning.clean_photo`); an
    upload cleaned already (a CleanedPhoto) is taken as it is. Raises ValidationError, in
    Vietnamese, when the file cannot be used. Nothing is written."""
    if isinstance(upload, CleanedPhoto):
        return upload
    return clean_photo(upload)


def prepare_upload(upload):
    """`clean_upload()`, and the photo's renditions made in memory (kept on it as `rendered`),
    so that a photo the site cannot show is refused before anything of it is stored. The
    admin's form calls this while validating; `store()` then reuses what it made."""
    photo = clean_upload(upload)
    if photo.rendered is None:
        try:
            photo.rendered = renditions.render_renditions(photo)
        except Exception as error:
            logger.warning("Renditions failed for an uploaded photo", exc_info=True)
            message = _(
                "Không tạo được các cỡ ảnh cho trang đọc từ tệp này, nên ảnh chưa được lưu. Hãy "
                "lưu ảnh lại dạng JPEG rồi tải lên lần nữa; nếu vẫn lỗi, hãy báo bộ phận kỹ thuật."
            )
            raise ValidationError(message, code="renditions") from error
    return photo


def store(upload, *, by, caption="", credit="", alt_text="", image=None):
    """Add a photo to the library and return it: the upload checked and cleaned, its size
    read, the file and its renditions written, then the row. `by` is the person uploading it
    (recorded as `uploaded_by`, and who needs the "add photo" permission), or None for the
    site's own commands (load_demo, generate_articles).

    `image`, instead of the words: an Image not saved yet whose caption, credit and alt text
    are set already (the admin's form builds it).

    On any failure, no row and no file remain. (Inside a larger transaction that is rolled
    back afterwards, the files stay: storage takes no part in transactions.)
    """
    if image is None:
        image = Image(caption=caption, credit=credit, alt_text=alt_text)
    elif image.pk is not None:
        raise ValueError("store() adds a new photo; replace_file() gives a stored one a new file.")
    elif caption or credit or alt_text:
        raise TypeError("Give the caption, credit and alt text on `image` or as arguments.")
    if by is not None and not by.has_perm("photos.add_image"):
        raise PermissionDenied(_("Bạn không có quyền thêm ảnh vào thư viện."))
    photo = prepare_upload(upload)
    image.uploaded_by = by
    with _removed_on_failure() as written, transaction.atomic():
        _write_files(image, photo, written)
        image.save()
    return image


def replace_file(image, upload, *, by):
    """Give a stored photo a new file (one chosen on its change form), saving with it any other
    change made to `image`. The new file is checked, cleaned and written with its renditions
    beside the old ones; once the change is committed, the old file and its renditions are
    removed and cached pages are told to go. `by` needs to be allowed to change this photo
    (`photos.rules.may_change_photo`); None for the site's own commands.

    On any failure the stored photo stays as it was, and nothing of the new file remains.
    """
    if image.pk is None:
        raise ValueError("replace_file() changes a stored photo; store() adds a new one.")
    if by is not None and not may_change_photo(by, image):
        raise PermissionDenied(_("Bạn không được thay tệp của ảnh này."))
    photo = prepare_upload(upload)
    with _removed_on_failure() as written, transaction.atomic():
        before = Image.objects.select_for_update().values("file", "renditions").get(pk=image.pk)
        _write_files(image, photo, written)
        image.save()
        old = {before["file"], *renditions.names_in(before["renditions"])} - set(written)
        transaction.on_commit(partial(renditions.delete_files, _storage(), old))
        content_changed_on_commit()
    return image


def make_renditions(image):
    """Make the renditions of a stored photo again from its file (the make_renditions command:
    a photo stored before renditions existed, or new sizes) and name them on its row. They go
    to the photo's own folder beside any files there (a page may still name those); the files
    the row named before are removed once the new names are saved. When one cannot be
    written, those this call wrote are removed again and the row and its files stay as they
    were."""
    storage = _storage()
    rendered = renditions.render_renditions(image.file)
    before = renditions.names_in(image.renditions)
    made = renditions.save_renditions(
        rendered, folder=renditions.folder_for(image.file.name), storage=storage
    )
    try:
        with transaction.atomic():
            Image.objects.filter(pk=image.pk).update(renditions=made)
            old = before - renditions.names_in(made)
            transaction.on_commit(partial(renditions.delete_files, storage, old))
    except BaseException:
        renditions.delete_files(storage, renditions.names_in(made))
        raise
    image.renditions = made


def _storage():
    return Image._meta.get_field("file").storage


def _write_files(image, photo, written):
    """Write the cleaned photo and its renditions, and name them on `image` (not saved yet).
    Every name written is added to `written`, for `_removed_on_failure()`."""
    # The field names the file (photos.cleaning.lead_image_path) and reads its size.
    image.file.save(photo.name, photo, save=False)
    written.append(image.file.name)
    image.renditions = renditions.save_renditions(
        photo.rendered, folder=renditions.folder_for(image.file.name), storage=_storage()
    )
    written.extend(renditions.names_in(image.renditions))


@contextmanager
def _removed_on_failure():
    """A list to add the names of written files to; should the block fail, they are removed."""
    written = []
    try:
        yield written
    except BaseException:
        renditions.delete_files(_storage(), written)
        raise
