from articles.models import Article


def test_body_is_sanitized_on_save_whatever_the_path(make_article):
    article = make_article(
        body='<p onclick="steal()">Chào <script>alert(1)</script><a href="javascript:x()">link</a>'
        '<a href="https://example.vn/">nguồn</a></p><iframe src="https://evil"></iframe>'
        '<img src="data:image/png;base64,AAA" onerror="x()">'
    )
    article.refresh_from_db()
    assert "script" not in article.body
    assert "onclick" not in article.body
    assert "javascript:" not in article.body
    assert "iframe" not in article.body
    assert "data:" not in article.body
    assert "onerror" not in article.body
    assert 'href="https://example.vn/"' in article.body


def test_captioned_photo_survives_sanitizing(make_article):
    figure = (
        '<figure class="image"><img alt="Hội trường" height="563" src="/media/uploads/a.jpg" '
        'width="1000"><figcaption>Hội trường kín chỗ. <em>Ảnh: Hải Nhi</em></figcaption></figure>'
    )
    article = make_article(body=figure)
    assert 'class="image"' in article.body
    assert "<figcaption>Hội trường kín chỗ. <em>Ảnh: Hải Nhi</em></figcaption>" in article.body
    assert 'alt="Hội trường"' in article.body


def test_unknown_classes_and_styles_are_removed(make_article):
    article = make_article(
        body='<figure class="image evil" style="x"><img src="/a.jpg" alt=""></figure>'
    )
    assert 'class="image"' in article.body
    assert "evil" not in article.body
    assert "style" not in article.body


def test_plain_text_copy_keeps_words_apart_for_search(make_article):
    article = make_article(body="<p>Đà Nẵng</p><p>mưa&nbsp;lớn &amp; ngập</p>")
    assert article.body_text == "Đà Nẵng mưa lớn & ngập"
    assert Article.objects.filter(body_text__contains="Đà Nẵng mưa").exists()
