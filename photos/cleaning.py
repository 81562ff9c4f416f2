"""Checks, cleaning and names for uploaded photos: the library's and the body editor's uploads.

An upload is accepted only when Pillow reads it as a JPEG, PNG, WebP or GIF within the size and
pixel limits; a "decompression bomb" (a small file declaring a huge picture) is refused before a
pixel is decoded. What is stored is never the uploaded bytes themselves: `clean_photo()` turns the
photo upright as its EXIF orientation says and writes it again in its own format, without its
metadata (EXIF with the GPS location and camera details, XMP, comments), keeping only the colour
profile.
"""

import io
import os
import uuid
import warnings
from contextlib import contextmanager

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import ExifTags, ImageSequence, JpegImagePlugin
from PIL import Image as PillowImage

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
ALLOWED_EXTENSIONS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp", "GIF": ".gif"}
# How each EXIF orientation is undone (as PIL.ImageOps.exif_transpose does for a single frame).
UPRIGHT = {
    2: PillowImage.Transpose.FLIP_LEFT_RIGHT,
    3: PillowImage.Transpose.ROTATE_180,
    4: PillowImage.Transpose.FLIP_TOP_BOTTOM,
    5: PillowImage.Transpose.TRANSPOSE,
    6: PillowImage.Transpose.ROTATE_270,
    7: PillowImage.Transpose.TRANSVERSE,
    8: PillowImage.Transpose.ROTATE_90,
}
# What a stored frame keeps of what Pillow read: how it is drawn and animated, nothing about
# where, when or with what it was taken.
FRAME_INFO_KEPT = {"transparency", "duration", "disposal", "blend", "background"}
# Re-encoding settings when the original's own cannot be kept.
JPEG_QUALITY = 90
WEBP_QUALITY = 90


def _too_many_pixels(width=None, height=None, frames=1):
    limit = f"{settings.IMAGE_MAX_PIXELS / 1_000_000:g}"
    if width is None:
        message = _(
            "Ảnh có quá nhiều điểm ảnh (hơn %(limit)s triệu), có thể là tệp cố ý gây quá tải. "
            "Hãy thu nhỏ ảnh rồi tải lên lại."
        ) % {"limit": limit}
    elif frames > 1:
        message = _(
            "Ảnh động có quá nhiều điểm ảnh (%(frames)s khung hình %(width)s×%(height)s, giới "
            "hạn %(limit)s triệu điểm ảnh cho cả ảnh). Hãy bớt khung hình hoặc thu nhỏ ảnh."
        ) % {"frames": frames, "width": width, "height": height, "limit": limit}
    else:
        message = _(
            "Ảnh có quá nhiều điểm ảnh (%(width)s×%(height)s, giới hạn %(limit)s triệu điểm "
            "ảnh). Hãy thu nhỏ ảnh rồi tải lên lại."
        ) % {"width": width, "height": height, "limit": limit}
    return ValidationError(message, code="too_many_pixels")


def _not_an_image():
    # Not code="invalid": a model form would show its file field's own "invalid" message instead.
    return ValidationError(
        _("Tệp tải lên không phải là ảnh hợp lệ (JPEG, PNG, WebP hoặc GIF)."), code="not_an_image"
    )


@contextmanager
def _opened(file):
    """The upload opened by Pillow, once its pixel count (all frames of an animation together)
    is known to be acceptable. Nothing has been decoded yet.

    Only the readers of the four formats we take look at the file (Pillow knows dozens, each a
    parser an attacker may aim at). Pillow refuses a picture of more than twice
    Image.MAX_IMAGE_PIXELS and only warns above that number: both are refused here as too many
    pixels, as is anything above our own, lower, IMAGE_MAX_PIXELS.
    """
    position = file.tell() if hasattr(file, "tell") else None
    try:
        file.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("error", PillowImage.DecompressionBombWarning)
            try:
                image = PillowImage.open(file, formats=sorted(ALLOWED_FORMATS))
            except (PillowImage.DecompressionBombError, PillowImage.DecompressionBombWarning):
                raise _too_many_pixels() from None
            except Exception as error:  # Pillow raises many kinds of error for broken files.
                raise _not_an_image() from error
        with image:
            width, height = image.size
            try:
                frames = getattr(image, "n_frames", 1)
            except Exception as error:
                raise _not_an_image() from error
            if width * height * frames > settings.IMAGE_MAX_PIXELS:
                raise _too_many_pixels(width, height, frames)
            yield image
    finally:
        if position is not None:
            file.seek(position)


def validate_image_file(file):
    """Accept only real JPEG, PNG, WebP or GIF images of a sane size, whatever the file name says.

    Pillow reads the file's own bytes; a renamed text file, a broken image or a decompression
    bomb is refused with a message that says why.

    A photo already stored (a model's file field, left as it was) passes without being read:
    it was checked and cleaned on its way in, and reading it again would open the stored file
    on every save of a caption (and fail where Django has closed it after reading its size).
    """
    if getattr(file, "_committed", False):  # a FieldFile naming a file in storage
        return
    size = getattr(file, "size", None)
    if size is not None and size > settings.IMAGE_MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("Ảnh quá lớn (%(size)s MB). Giới hạn là %(limit)s MB.")
            % {
                "size": round(size / 1024 / 1024, 1),
                "limit": settings.IMAGE_MAX_UPLOAD_BYTES // 1024 // 1024,
            },
            code="too_large",
        )
    with _opened(file) as image:
        try:
            image.verify()
        except Exception as error:
            raise _not_an_image() from error


class CleanedPhoto(ContentFile):
    """A photo as `clean_photo()` wrote it: upright, in its own format, without metadata.

    `rendered` holds its renditions once made in memory (`photos.library.prepare_upload`), so
    that the photo is rendered once between the form that checks it and the library that
    stores it."""

    rendered = None


def clean_photo(file):
    """The photo to store for an upload: checked as `validate_image_file()` does, every pixel
    decoded (a truncated file is refused here), turned upright as its EXIF orientation says, and
    encoded again in its own format with none of its metadata but the colour profile. A JPEG
    keeps its own compression tables (its quality); an animated GIF or WebP keeps its frames.

    Returns a CleanedPhoto named after its real format ("photo.png" for a PNG called "x.jpg");
    raises ValidationError, in Vietnamese, when the file cannot be used.
    """
    validate_image_file(file)
    with _opened(file) as image:
        image_format = image.format
        try:
            content = _encoded_upright(image)
        except Exception as error:
            raise _not_an_image() from error
    return CleanedPhoto(content, name=f"photo{ALLOWED_EXTENSIONS[image_format]}")


def _encoded_upright(image):
    upright = UPRIGHT.get(image.getexif().get(ExifTags.Base.Orientation, 1))
    icc_profile = image.info.get("icc_profile")
    frames, disposals = [], []
    for frame in ImageSequence.Iterator(image):
        frame.load()
        kept = {key: value for key, value in frame.info.items() if key in FRAME_INFO_KEPT}
        disposals.append(getattr(frame, "disposal_method", 0))  # GIF keeps it out of info
        frame = frame.transpose(upright) if upright is not None else frame.copy()
        frame.info = kept
        frames.append(frame)
    options = {"icc_profile": icc_profile} if icc_profile else {}
    if image.format == "JPEG":
        if getattr(image, "quantization", None):
            # As Pillow's quality="keep", which only works on the image as it was read.
            options |= {
                "qtables": image.quantization,
                "subsampling": JpegImagePlugin.get_sampling(image),
            }
        else:
            options["quality"] = JPEG_QUALITY
        options["optimize"] = True
    elif image.format == "WEBP":
        options["quality"] = WEBP_QUALITY
    if len(frames) > 1:
        options |= {
            "save_all": True,
            "append_images": frames[1:],
            "duration": [frame.info.get("duration", 0) for frame in frames],
        }
        if image.format == "GIF":
            options["disposal"] = disposals
        if "loop" in image.info:
            options["loop"] = image.info["loop"]
    buffer = io.BytesIO()
    frames[0].save(buffer, image.format, **options)
    return buffer.getvalue()


def random_upload_name(filename, request=None):
    """A random file name that keeps a safe extension: nothing the uploader typed reaches disk."""
    extension = os.path.splitext(filename)[1].lower()
    if extension not in {".jpg", ".jpeg", ".png", ".webp", ".gif"}:
        extension = ".jpg"
    return f"{uuid.uuid4().hex}{extension}"


def lead_image_path(instance, filename):
    return f"images/{timezone.now():%Y/%m}/{random_upload_name(filename)}"
