import pytest

from articles.models import Article, Author, Tag
from newsroom.slugs import slugify_vi
from sections.models import Section


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Đà Nẵng: đường dây nóng", "da-nang-duong-day-nong"),
        ("ĐỒNG BẰNG SÔNG CỬU LONG", "dong-bang-song-cuu-long"),
        (
            "Phát huy hiệu quả Phong trào ‘Toàn dân bảo vệ an ninh Tổ quốc’",
            "phat-huy-hieu-qua-phong-trao-toan-dan-bao-ve-an-ninh-to-quoc",
        ),
        ("Giá vàng hôm nay 27/11: tăng 1,5%", "gia-vang-hom-nay-2711-tang-15"),
        ("  Hải   Nhi  ", "hai-nhi"),
        ("?!… — “”", ""),
    ],
)
def test_vietnamese_text_transliterates_to_ascii_slug(text, slug):
    assert slugify_vi(text) == slug


def test_long_slug_is_cut_at_a_word_boundary():
    slug = slugify_vi("Đường " * 60, max_length=50)
    assert len(slug) <= 50
    assert slug.endswith("duong")


def test_article_slug_comes_from_title(make_article):
    article = make_article(title="Đà Nẵng: đường dây nóng")
    assert article.slug == "da-nang-duong-day-nong"


def test_colliding_titles_get_numbered_slugs(make_article):
    slugs = [make_article(title="Đà Nẵng mưa lớn").slug for _ in range(3)]
    assert slugs == ["da-nang-mua-lon", "da-nang-mua-lon-2", "da-nang-mua-lon-3"]


def test_title_of_only_punctuation_still_gets_a_slug(make_article):
    first = make_article(title="?!…")
    second = make_article(title="“…”")
    assert first.slug == "bai-viet"
    assert second.slug == "bai-viet-2"


def test_saving_again_keeps_the_slug(make_article):
    article = make_article(title="Hội nghị an ninh")
    article.title = "Hội nghị an ninh (cập nhật)"
    article.save()
    article.refresh_from_db()
    assert article.slug == "hoi-nghi-an-ninh"


def test_collision_at_full_length_stays_within_the_field(make_article):
    title = ("Tiêu đề rất dài " * 20)[:250]
    first, second = make_article(title=title), make_article(title=title)
    max_length = Article._meta.get_field("slug").max_length
    assert len(second.slug) <= max_length
    assert first.slug != second.slug
    assert second.slug.endswith("-2")


def test_sections_authors_and_tags_get_vietnamese_slugs(db):
    assert Section.objects.create(name="Đời sống").slug == "doi-song"
    assert Author.objects.create(name="Đức Anh").slug == "duc-anh"
    assert Tag.objects.create(name="Đồng bằng sông Cửu Long").slug == "dong-bang-song-cuu-long"
    assert Tag.objects.create(name="!!!").slug == "the"


def test_reserved_first_segments_are_read_from_the_routed_addresses():
    from newsroom.slugs import taken_first_segments

    taken = taken_first_segments()
    # Every fixed first segment the site routes, the static and media folders too.
    assert {"admin", "ckeditor", "tim-kiem", "tac-gia", "chu-de", "xem-truoc", "luot-xem"} <= taken
    assert {"rss", "robots.txt", "sitemap.xml", "static", "media"} <= taken
    # Addresses made of converters reserve nothing: a section may be called anything else.
    assert not {"thoi-su", "the-thao", "sitemap-<section>.xml"} & taken


@pytest.mark.django_db
def test_a_newly_routed_address_is_reserved_for_sections_at_once(settings):
    from sections.models import Section

    settings.ROOT_URLCONF = "tests.urls_with_extra_page"
    assert Section.objects.create(name="Thời tiết").slug == "thoi-tiet-2"
    assert Section.objects.create(name="Thể thao").slug == "the-thao"
