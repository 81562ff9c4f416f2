from django.urls import reverse

from articles.models import Article
from photos.models import Image
from tests.conftest import image_bytes


def article_form(section, author, lead_image, **fields):
    """The POST the admin's article form sends, with one byline."""
    data = {
        "title": "Đà Nẵng: đường dây nóng tiếp nhận phản ánh về an ninh trật tự",
        "slug": "",
        "sapo": "Công an thành phố công bố đường dây nóng cho người dân.",
        "body": "<p>Đường dây nóng hoạt động 24/24 giờ.</p>",
        "lead_image": lead_image.pk if lead_image else "",
        "lead_image_caption": "",
        "section": section.pk,
        "status": Article.Status.DRAFT,
        "publish_at_0": "",
        "publish_at_1": "",
        "unpublish_at_0": "",
        "unpublish_at_1": "",
        "bylines-TOTAL_FORMS": "1",
        "bylines-INITIAL_FORMS": "0",
        "bylines-MIN_NUM_FORMS": "1",
        "bylines-MAX_NUM_FORMS": "1000",
        "bylines-0-author": author.pk,
        "bylines-0-position": "0",
        "related_links-TOTAL_FORMS": "0",
        "related_links-INITIAL_FORMS": "0",
        "related_links-MIN_NUM_FORMS": "0",
        "related_links-MAX_NUM_FORMS": "1000",
        "transitions-TOTAL_FORMS": "0",
        "transitions-INITIAL_FORMS": "0",
        **fields,
    }
    return data


def test_admin_article_list_shows_the_columns_an_editor_scans(superuser_client, make_article):
    make_article(title="Bài đang hiện")
    response = superuser_client.get(reverse("admin:articles_article_changelist"))
    assert response.status_code == 200
    content = response.content.decode()
    for text in ["Bài đang hiện", "Thời sự", "Hải Nhi", "Đã xuất bản", "state--published"]:
        assert text in content


def test_admin_article_list_filters_and_search_answer(
    superuser_client, make_article, section, author
):
    make_article(title="Cháy rừng ở Kon Tum")
    url = reverse("admin:articles_article_changelist")
    for query in [
        {"q": "Kon Tum"},
        {"status__exact": "published"},
        {"section__id__exact": section.pk},
        {"authors__id__exact": author.pk},
        {"is_featured__exact": "0"},
    ]:
        response = superuser_client.get(url, query)
        assert response.status_code == 200
        assert "Cháy rừng ở Kon Tum" in response.content.decode()


def test_admin_adds_article_with_lead_image_and_caption(
    superuser_client, section, author, make_image
):
    photo = make_image(caption="Chú thích gốc của ảnh.")
    data = article_form(section, author, photo, lead_image_caption="Chú thích riêng cho bài này.")
    response = superuser_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    article = Article.objects.get()
    assert article.slug == "da-nang-duong-day-nong-tiep-nhan-phan-anh-ve-an-ninh-trat-tu"
    assert article.lead_image == photo
    assert article.lead_caption == "Chú thích riêng cho bài này."
    assert article.byline == [author]
    assert article.created_by.username == "quantri"
    photo.refresh_from_db()
    assert photo.caption == "Chú thích gốc của ảnh."


def test_admin_changes_an_articles_caption_without_touching_the_photo(
    superuser_client, make_article, section, author
):
    article = make_article(status=Article.Status.DRAFT, publish_at=None)
    url = reverse("admin:articles_article_change", args=[article.pk])
    # The form names the chosen photo by its own caption, which the change leaves alone.
    chosen = f'<option value="{article.lead_image.pk}" selected>{article.lead_image.caption}<'
    assert chosen in superuser_client.get(url).content.decode()
    data = article_form(
        section,
        author,
        article.lead_image,
        title=article.title,
        slug=article.slug,
        lead_image_caption="Chú thích mới.",
        edited_version=article.version,
        **{
            "bylines-INITIAL_FORMS": "1",
            "bylines-0-id": article.bylines.get().pk,
            "bylines-0-article": article.pk,
        },
    )
    response = superuser_client.post(url, data)
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.lead_caption == "Chú thích mới."
    assert article.lead_image.caption == "Quang cảnh hội nghị tại Thái Nguyên."


def test_admin_uploads_a_photo_with_caption_and_credit(superuser_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("hien-truong.png", image_bytes(image_format="PNG"), "image/png")
    response = superuser_client.post(
        reverse("admin:photos_image_add"),
        {
            "file": upload,
            "caption": "Lực lượng cứu hộ.",
            "credit": "Ảnh: Minh Khang",
            "alt_text": "Lực lượng cứu hộ tại hiện trường",
        },
    )
    assert response.status_code == 302
    image = Image.objects.get()
    assert (image.width, image.height) == (800, 450)
    assert image.file.name.endswith(".png")
    assert "hien-truong" not in image.file.name


def test_admin_refuses_a_text_file_named_like_a_photo(superuser_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("anh.jpg", b"khong phai anh", "image/jpeg")
    response = superuser_client.post(
        reverse("admin:photos_image_add"),
        {"file": fake, "caption": "x", "credit": "y", "alt_text": "z"},
    )
    assert response.status_code == 200
    assert "ảnh" in str(response.context["adminform"].form.errors["file"])
    assert not Image.objects.exists()


def test_article_without_an_author_is_refused_with_a_clear_message(
    superuser_client, section, author, make_image
):
    data = article_form(section, author, make_image(), **{"bylines-TOTAL_FORMS": "0"})
    response = superuser_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 200
    assert not Article.objects.exists()
    assert "Bài viết cần ít nhất một tác giả." in response.content.decode()


def test_taken_slug_gets_a_vietnamese_error_and_keeps_what_was_typed(
    superuser_client, make_article, section, author, make_image
):
    make_article(title="Bài cũ", slug="duong-day-nong")
    data = article_form(section, author, make_image(), slug="Đường dây nóng")
    response = superuser_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 200
    content = response.content.decode()
    assert "đã thuộc về bài “Bài cũ”" in content
    assert "Đường dây nóng hoạt động 24/24 giờ." in content
    assert Article.objects.count() == 1


def test_typed_slug_is_normalised_to_ascii(superuser_client, section, author, make_image):
    data = article_form(section, author, make_image(), slug="Đường Dây Nóng")
    superuser_client.post(reverse("admin:articles_article_add"), data)
    assert Article.objects.get().slug == "duong-day-nong"


def test_bylines_keep_the_order_the_editor_gave(
    superuser_client, section, author, make_author, make_image
):
    second = make_author("Minh Khang")
    data = article_form(
        section,
        author,
        make_image(),
        **{
            "bylines-TOTAL_FORMS": "2",
            "bylines-0-author": second.pk,
            "bylines-0-position": "0",
            "bylines-1-author": author.pk,
            "bylines-1-position": "1",
        },
    )
    superuser_client.post(reverse("admin:articles_article_add"), data)
    assert [a.name for a in Article.objects.get().byline] == ["Minh Khang", "Hải Nhi"]


def test_admin_is_in_vietnamese(superuser_client):
    response = superuser_client.get(reverse("admin:articles_article_add"))
    content = response.content.decode()
    assert "Tiêu đề" in content
    assert "Ảnh đại diện" in content
    assert 'lang="vi"' in content


def test_anonymous_visitor_cannot_open_the_admin(client, db):
    response = client.get(reverse("admin:articles_article_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response.url


def test_editor_pins_related_articles_in_order(superuser_client, make_article, section, author):
    first, second = make_article(title="Bài chọn một"), make_article(title="Bài chọn hai")
    article = make_article(title="Bài chính", status=Article.Status.DRAFT, publish_at=None)
    data = article_form(
        section,
        author,
        article.lead_image,
        title=article.title,
        slug=article.slug,
        edited_version=article.version,
        **{
            "bylines-INITIAL_FORMS": "1",
            "bylines-0-id": article.bylines.get().pk,
            "bylines-0-article": article.pk,
            "related_links-TOTAL_FORMS": "2",
            "related_links-INITIAL_FORMS": "0",
            "related_links-0-related": second.pk,
            "related_links-0-position": "0",
            "related_links-1-related": first.pk,
            "related_links-1-position": "1",
        },
    )
    response = superuser_client.post(
        reverse("admin:articles_article_change", args=[article.pk]), data
    )
    assert response.status_code == 302
    picks = [link.related.title for link in article.related_links.all()]
    assert picks == ["Bài chọn hai", "Bài chọn một"]
