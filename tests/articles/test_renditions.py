from io import StringIO

from django.core.management import call_command
from PIL import Image as PillowImage

from articles.models import Image


def test_renditions_are_made_once_at_several_widths_in_webp_and_jpeg(make_image):
    image = make_image()  # 800x450
    image.make_renditions()
    image.refresh_from_db()
    assert [w for w, _h, _n in image.renditions["webp"]] == [320, 640, 800]
    assert [w for w, _h, _n in image.renditions["jpeg"]] == [320, 640, 800]
    width, height, name = image.renditions["webp"][0]
    assert height == 180
    with image.file.storage.open(name) as stored, PillowImage.open(stored) as picture:
        assert picture.format == "WEBP" and picture.size == (320, 180)


def test_picture_markup_offers_webp_with_a_jpeg_fallback(client, make_article):
    article = make_article()
    article.lead_image.make_renditions()
    content = client.get(article.get_absolute_url()).content.decode()
    assert '<source type="image/webp" srcset="/media/renditions/' in content
    assert 'srcset="/media/renditions/' in content and " 320w" in content
    assert 'width="800" height="450"' in content


def test_command_makes_missing_renditions(make_image):
    image = make_image()
    out = StringIO()
    call_command("make_renditions", stdout=out)
    assert Image.objects.get(pk=image.pk).renditions["jpeg"]
    assert "1 ảnh" in out.getvalue()
    call_command("make_renditions", stdout=out)
    assert "0 ảnh" in out.getvalue()
