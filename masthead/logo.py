"""What a logo upload must be: a photo as the library takes them (`photos.cleaning.clean_photo`:
a real JPEG, PNG, WebP or GIF, written again without its metadata), small enough for the top of
every page, and still."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image as PillowImage

from photos.cleaning import clean_photo

LOGO_MAX_BYTES = 500 * 1024
LOGO_MAX_WIDTH = 1200
LOGO_MAX_HEIGHT = 400


def clean_logo(upload):
    """The logo to store for `upload`, with its `width` and `height` in pixels; raises
    ValidationError, in Vietnamese, when the file cannot be the site's logo."""
    size = getattr(upload, "size", None)
    if size is not None and size > LOGO_MAX_BYTES:
        raise ValidationError(
            _("Tệp logo quá nặng (%(size)s KB). Logo phải nhẹ hơn %(limit)s KB.")
            % {"size": round(size / 1024), "limit": LOGO_MAX_BYTES // 1024},
            code="logo_too_heavy",
        )
    logo = clean_photo(upload)
    with PillowImage.open(logo) as image:
        logo.width, logo.height = image.size
        frames = getattr(image, "n_frames", 1)
    logo.seek(0)
    if frames > 1:
        raise ValidationError(_("Logo không được là ảnh động."), code="logo_animated")
    if logo.width > LOGO_MAX_WIDTH or logo.height > LOGO_MAX_HEIGHT:
        raise ValidationError(
            _(
                "Logo quá lớn (%(width)s×%(height)s điểm ảnh). Logo rộng tối đa %(max_width)s và "
                "cao tối đa %(max_height)s điểm ảnh: hãy thu nhỏ rồi tải lên lại."
            )
            % {
                "width": logo.width,
                "height": logo.height,
                "max_width": LOGO_MAX_WIDTH,
                "max_height": LOGO_MAX_HEIGHT,
            },
            code="logo_too_large",
        )
    return logo
