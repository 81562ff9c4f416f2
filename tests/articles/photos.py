"""Photo files for the upload tests, made with Pillow: as a phone takes them (turned by an EXIF
orientation tag, with a GPS position and camera details), animated, or hostile."""

import io
import struct
import zlib
from pathlib import Path

from django.core.files.storage import FileSystemStorage
from PIL import ExifTags, ImageSequence
from PIL import Image as PillowImage

BLUE, RED = (20, 20, 220), (200, 30, 30)
# Where the photo was taken: Hoàn Kiếm lake.
LATITUDE, LONGITUDE = (21.0, 1.0, 43.0), (105.0, 51.0, 9.0)


def phone_exif(orientation=6):
    exif = PillowImage.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "Canon"
    exif[ExifTags.Base.Model] = "EOS R6"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = LATITUDE
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = LONGITUDE
    return exif


def phone_photo(size=(800, 450), image_format="JPEG", orientation=6):
    """A photo stored on its side, as cameras do, with an EXIF orientation tag (6: turn it a
    quarter clockwise to view it) and GPS: its left half is blue, its right half red."""
    width, height = size
    image = PillowImage.new("RGB", size, RED)
    image.paste(BLUE, (0, 0, width // 2, height))
    buffer = io.BytesIO()
    image.save(buffer, image_format, exif=phone_exif(orientation))
    return buffer.getvalue()


def animated_gif(colours=((255, 0, 0), (0, 255, 0), (0, 0, 255)), durations=(100, 200, 300)):
    frames = [PillowImage.new("RGB", (60, 40), colour) for colour in colours]
    buffer = io.BytesIO()
    frames[0].save(
        buffer,
        "GIF",
        save_all=True,
        append_images=frames[1:],
        duration=list(durations),
        loop=0,
        comment=b"GPS 21.0286 N 105.8525 E",
    )
    return buffer.getvalue()


def png_declaring(width, height):
    """A PNG of a few dozen bytes whose header declares `width`×`height` pixels: a
    decompression bomb, were anyone to decode it."""
    buffer = io.BytesIO()
    PillowImage.new("L", (1, 1)).save(buffer, "PNG")
    data = bytearray(buffer.getvalue())
    # The IHDR chunk follows the 8-byte signature: length, type, width, height, ..., CRC.
    data[16:24] = struct.pack(">II", width, height)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    return bytes(data)


def truncated_jpeg(size=(800, 450)):
    """A JPEG cut short: Pillow opens and 'verifies' it, but cannot decode its pixels."""
    buffer = io.BytesIO()
    PillowImage.effect_noise(size, 60).convert("RGB").save(buffer, "JPEG", quality=95)
    return buffer.getvalue()[:2000]


def opened(path_or_bytes):
    """The stored photo, opened by Pillow and read."""
    source = path_or_bytes if isinstance(path_or_bytes, Path) else io.BytesIO(path_or_bytes)
    image = PillowImage.open(source)
    image.load()
    return image


def assert_upright_without_metadata(image, size, image_format):
    """Stored as a reader should see it and as nobody may trace it: turned upright (blue on
    top, red below), no orientation tag, no GPS, no camera, no EXIF at all; same format."""
    assert image.format == image_format
    assert image.size == size
    width, height = size
    assert _near(image.convert("RGB").getpixel((width // 2, height // 4)), BLUE)
    assert _near(image.convert("RGB").getpixel((width // 2, height * 3 // 4)), RED)
    exif = image.getexif()
    assert ExifTags.Base.Orientation not in exif
    assert not exif.get_ifd(ExifTags.IFD.GPSInfo)
    assert ExifTags.Base.Make not in exif
    assert "exif" not in image.info and "xmp" not in image.info and "comment" not in image.info


def frames_of(image):
    return [
        (frame.info.get("duration"), frame.convert("RGB").getpixel((5, 5)))
        for frame in ImageSequence.Iterator(image)
    ]


def media_files(media_root):
    root = Path(media_root)
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def _near(colour, expected, tolerance=12):
    return all(abs(a - b) <= tolerance for a, b in zip(colour, expected, strict=True))


def disk_full_at(monkeypatch, failing_write):
    """Make the storage's `failing_write`-th write (counting from 1) fail as a full disk does.
    Returns the list of names asked to be written, the failing one included."""
    save = FileSystemStorage.save
    asked = []

    def save_until_full(storage, name, content, max_length=None):
        asked.append(name)
        if len(asked) == failing_write:
            raise OSError("No space left on device")
        return save(storage, name, content, max_length=max_length)

    monkeypatch.setattr(FileSystemStorage, "save", save_until_full)
    return asked
