"""Checks and names for uploaded photos, shared by the Image model and the editor's uploader."""

import io
import os
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image as PillowImage
from PIL import ImageOps

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
ALLOWED_EXTENSIONS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp", "GIF": ".gif"}


def validate_image_file(file):
    """Accept only real JPEG, PNG, WebP or GIF images of a sane size, whatever the file name says.

    Pillow reads the file's own bytes; a renamed text file or a truncated image is refused.
    """
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
    position = file.tell() if hasattr(file, "tell") else None
    try:
        file.seek(0)
        with PillowImage.open(file) as image:
            image_format = image.format
            width, height = image.size
            if image_format not in ALLOWED_FORMATS:
                raise ValidationError(
                    _("Định dạng %(format)s không được hỗ trợ. Hãy dùng JPEG, PNG, WebP hoặc GIF.")
                    % {"format": image_format},
                    code="format",
                )
            if width * height > settings.IMAGE_MAX_PIXELS:
                raise ValidationError(
                    _("Ảnh có quá nhiều điểm ảnh (%(width)s×%(height)s).")
                    % {"width": width, "height": height},
                    code="too_many_pixels",
                )
            image.verify()
    except ValidationError:
        raise
    except Exception as error:  # Pillow raises many kinds of error for broken files.
        raise ValidationError(
            _("Tệp tải lên không phải là ảnh hợp lệ (JPEG, PNG, WebP hoặc GIF)."), code="invalid"
        ) from error
    finally:
        if position is not None:
            file.seek(position)


def random_upload_name(filename, request=None):
    """A random file name that keeps a safe extension: nothing the uploader typed reaches disk."""
    extension = os.path.splitext(filename)[1].lower()
    if extension not in {".jpg", ".jpeg", ".png", ".webp", ".gif"}:
        extension = ".jpg"
    return f"{uuid.uuid4().hex}{extension}"


def lead_image_path(instance, filename):
    return f"images/{timezone.now():%Y/%m}/{random_upload_name(filename)}"


RENDITION_WIDTHS = (320, 640, 960, 1280)
RENDITION_FORMATS = {
    "webp": ("WEBP", {"quality": 78, "method": 4}),
    "jpeg": ("JPEG", {"quality": 82, "progressive": True, "optimize": True}),
}


def make_renditions(image_file, *, folder, storage):
    """Write the photo at each width in RENDITION_WIDTHS (no wider than the original), as WebP
    and as JPEG, into `folder` of `storage`. Returns {"webp": [[width, height, name], ...],
    "jpeg": [...]}, the value `Image.renditions` keeps so that pages need no file-system look-up.
    """
    image_file.open("rb")
    try:
        with PillowImage.open(image_file) as original:
            original = ImageOps.exif_transpose(original)
            if original.mode not in ("RGB", "L"):
                # Flatten transparency onto white: JPEG has no alpha, news photos need none.
                background = PillowImage.new("RGB", original.size, "white")
                background.paste(original.convert("RGBA"), mask=original.convert("RGBA"))
                original = background
            original = original.convert("RGB")
            widths = [w for w in RENDITION_WIDTHS if w < original.width] or [original.width]
            if original.width <= RENDITION_WIDTHS[-1] and original.width not in widths:
                widths.append(original.width)
            renditions = {kind: [] for kind in RENDITION_FORMATS}
            for width in widths:
                height = round(original.height * width / original.width)
                resized = original.resize((width, height), PillowImage.Resampling.LANCZOS)
                for kind, (pillow_format, options) in RENDITION_FORMATS.items():
                    buffer = io.BytesIO()
                    resized.save(buffer, pillow_format, **options)
                    extension = "webp" if kind == "webp" else "jpg"
                    name = f"{folder}/{width}.{extension}"
                    if storage.exists(name):
                        storage.delete(name)
                    storage.save(name, ContentFile(buffer.getvalue()))
                    renditions[kind].append([width, height, name])
    finally:
        image_file.close()
    return renditions
