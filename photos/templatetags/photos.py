"""{% picture %} and the addresses of a library photo's sizes, for pages and sharing cards."""

from django import template
from django.core.files.storage import default_storage

register = template.Library()


def rendition_srcset(image, kind):
    return ", ".join(
        f"{default_storage.url(name)} {width}w"
        for width, _height, name in image.renditions.get(kind, [])
    )


def largest_rendition_url(image, kind="jpeg"):
    """The widest stored JPEG (for sharing cards and JSON-LD), else the original file."""
    sizes = image.renditions.get(kind) if image else None
    if sizes:
        return default_storage.url(sizes[-1][2])
    return image.file.url if image else ""


@register.filter
def share_image_url(image):
    """Path of the photo that sharing cards show."""
    return largest_rendition_url(image)


@register.inclusion_tag("includes/picture.html")
def picture(image, sizes="100vw", eager=False):
    """A responsive <picture>: WebP and JPEG at several widths, original size set, lazy below
    the fold (pass eager=True for the first, largest image of a page)."""
    return {
        "image": image,
        "webp_srcset": rendition_srcset(image, "webp"),
        "jpeg_srcset": rendition_srcset(image, "jpeg"),
        "fallback": largest_rendition_url(image),
        "sizes": sizes,
        "eager": eager,
    }
