"""The responsive sizes of a library photo ("renditions"): made in memory, written all or none."""

import io
import os

from django.core.files.base import ContentFile
from PIL import Image as PillowImage
from PIL import ImageOps

RENDITION_WIDTHS = (320, 640, 960, 1280)
RENDITION_FORMATS = {
    "webp": ("WEBP", {"quality": 78, "method": 4}),
    "jpeg": ("JPEG", {"quality": 82, "progressive": True, "optimize": True}),
}
RENDITION_EXTENSIONS = {"webp": "webp", "jpeg": "jpg"}


def render_renditions(image_file):
    """The photo at each width in RENDITION_WIDTHS (no wider than the original), as WebP and as
    JPEG, encoded in memory: [(kind, width, height, bytes), ...]. Nothing is written, so that
    a photo the site cannot show is refused before anything of it is stored."""
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
            rendered = []
            for width in widths:
                height = round(original.height * width / original.width)
                resized = original.resize((width, height), PillowImage.Resampling.LANCZOS)
                for kind, (pillow_format, options) in RENDITION_FORMATS.items():
                    buffer = io.BytesIO()
                    resized.save(buffer, pillow_format, **options)
                    rendered.append((kind, width, height, buffer.getvalue()))
    finally:
        image_file.close()
    return rendered


def folder_for(file_name):
    """Where the renditions of the photo stored as `file_name` go: its own path under
    renditions/, without the extension (images/2026/11/3fa9.jpg -> renditions/2026/11/3fa9).
    Each file has a folder of its own, so the renditions of a new file never overwrite those
    that a page cached before the change still names."""
    path = os.path.splitext(file_name)[0]
    return f"renditions/{path.removeprefix('images/')}"


def names_in(renditions):
    """The file names an `Image.renditions` value holds."""
    return {name for sizes in renditions.values() for _width, _height, name in sizes}


def save_renditions(rendered, *, folder, storage):
    """Write renditions made by `render_renditions()` into `folder` of `storage`, all or none:
    when one cannot be written, those this call wrote are removed again. Returns
    {"webp": [[width, height, name], ...], "jpeg": [...]}, the value `Image.renditions` keeps
    so that pages need no file-system look-up.

    A file already there is never overwritten (storage picks a free name beside it): a row and
    cached pages may still name it, until whoever called this has saved the new names and
    removes the old files."""
    renditions = {kind: [] for kind in RENDITION_FORMATS}
    written = []
    try:
        for kind, width, height, content in rendered:
            name = storage.save(
                f"{folder}/{width}.{RENDITION_EXTENSIONS[kind]}", ContentFile(content)
            )
            written.append(name)
            renditions[kind].append([width, height, name])
    except BaseException:
        delete_files(storage, written)
        raise
    return renditions


def delete_files(storage, names):
    """Remove these files where they exist (cleaning up after a failed save)."""
    for name in names:
        if name and storage.exists(name):
            storage.delete(name)
