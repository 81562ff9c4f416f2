import re
import subprocess
import sys
import tomllib
from html.parser import HTMLParser
from importlib.metadata import version
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from packaging.requirements import Requirement

from articles.models import Article
from articles.richtext import sanitize_html

ROOT = Path(__file__).parents[2]


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


HOSTILE = {
    "javascript: link": '<a href="javascript:alert(1)">x</a>',
    "mixed case": '<a href="JaVaScRiPt:alert(1)">x</a>',
    "entity-encoded scheme": '<a href="&#106;avascript&#58;alert(1)">x</a>',
    "hex entities and &colon;": '<a href="&#x6A;avascript&colon;alert(1)">x</a>',
    "leading spaces": '<a href="  javascript:alert(1)">x</a>',
    "tab inside the scheme": '<a href="java\tscript:alert(1)">x</a>',
    "newline inside the scheme": '<a href="java\nscript:alert(1)">x</a>',
    "encoded tab inside the scheme": '<a href="java&#x09;script:alert(1)">x</a>',
    "&NewLine; inside the scheme": '<a href="java&NewLine;script:alert(1)">x</a>',
    "vbscript:": '<a href="vbscript:msgbox(1)">x</a>',
    "data: link": '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "data: image": '<img src="data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=" alt="x">',
    "javascript: image": '<img src="javascript:alert(1)" alt="x">',
    "img onerror": '<img src="/a.jpg" onerror="alert(1)" alt="x">',
    "p onclick": '<p onclick="alert(1)">x</p>',
    "figure onload": '<figure class="image" onload="alert(1)"><img src="/a.jpg"></figure>',
    "a onmouseover": '<a href="https://vnexpress.net" onmouseover="alert(1)">x</a>',
    "style expression": '<p style="width: expression(alert(1))">x</p>',
    "style url": '<p style="background:url(javascript:alert(1))">x</p>',
    "script": "<script>alert(1)</script>",
    "script in a paragraph": "<p>x<script src=https://evil.example/x.js></script></p>",
    "style element": "<style>body{background:url(javascript:alert(1))}</style>",
    "iframe": '<iframe src="https://www.youtube.com/embed/x" onload="alert(1)"></iframe>',
    "object": '<object data="javascript:alert(1)"></object>',
    "embed": '<embed src="https://evil.example/x.swf">',
    "svg": "<svg onload=alert(1)><script>alert(1)</script></svg>",
    "svg image": '<svg><image href="javascript:alert(1)"/></svg>',
    "math": "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style>",
    "form": '<form action="https://evil.example"><input name="otp"><button>Gửi</button></form>',
    "meta refresh": '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    "base": '<base href="https://evil.example/">',
    "comment": "<!-- <script>alert(1)</script> --><p>x</p>",
    "conditional comment": "<!--[if IE]><script>alert(1)</script><![endif]-->",
    "link element": '<link rel="stylesheet" href="https://evil.example/x.css">',
    "srcset": '<img src="/a.jpg" srcset="javascript:alert(1) 1x" alt="x">',
    "non-numeric size": '<img src="/a.jpg" width="javascript:alert(1)" height="1;x" alt="x">',
    "target and rel": '<a href="https://evil.example" target="_blank" rel="opener">x</a>',
}
FORBIDDEN = [
    "javascript", "vbscript", "data:", "onerror", "onclick", "onload", "onmouseover", "style",
    "expression", "<script", "<iframe", "<object", "<embed", "<svg", "<math", "<form", "<input",
    "<button", "<meta", "<base", "<link", "<!--", "srcset", "target", 'rel="opener"', "alert",
]  # fmt: skip


@pytest.mark.parametrize("hostile", HOSTILE.values(), ids=HOSTILE.keys())
def test_the_sanitizer_removes_what_could_run_or_mislead(hostile):
    cleaned = sanitize_html(hostile)
    for forbidden in FORBIDDEN:
        assert forbidden not in cleaned.lower(), (forbidden, cleaned)
    # What is removed is removed for good: cleaning again finds nothing more.
    assert sanitize_html(cleaned) == cleaned


# Markup typed inside an attribute value. It is text, and must stay text: nh3 0.2.22 to 0.3.6
# wrote its "<" and ">" unescaped, and our earlier lazy-loading rewrite (a regular expression
# looking for "<img") then wrote quotes inside the attribute, which let the handler out.
TAGS_IN_ATTRIBUTES = {
    "alt": '<img src="/a.jpg" alt="<img onerror=alert(1)>">',
    "alt with a source": '<img src="/a.jpg" alt="<img src=x onerror=alert(1)//">',
    "title on a link": '<a href="/x" title="<img src=x onerror=alert(1)>">xem</a>',
    "nested double quotes": '<img src="/a.jpg" alt=\'"><img src=x onerror=alert(1)>\'>',
    "nested single quotes": '<img src="/a.jpg" alt="\'><img src=x onerror=alert(1)>">',
    "upper-case tag": '<IMG SRC="/a.jpg" ALT="<img onerror=alert(1)>">',
    "upper-case tag inside": '<img src="/a.jpg" alt="<IMG SRC=x ONERROR=alert(1)>">',
    "unquoted": "<img src=/a.jpg alt=<img onerror=alert(1)>>",
    "table header": '<table><tr><th scope="<img src=x onerror=alert(1)>">Năm</th></tr></table>',
    "caption": '<figure class="image"><img src="/a.jpg" alt="<img src=x onerror=alert(1)>">'
    "<figcaption>Ảnh &lt;img src=x onerror=alert(1)&gt;</figcaption></figure>",
}


@pytest.mark.parametrize("hostile", TAGS_IN_ATTRIBUTES.values(), ids=TAGS_IN_ATTRIBUTES.keys())
def test_markup_typed_inside_an_attribute_stays_text(hostile):
    cleaned = sanitize_html(hostile)
    found = start_tags(cleaned)
    # As many photos as were typed, none made out of an attribute, and no handler anywhere.
    assert photos(found) == photos(start_tags(hostile))
    assert not [name for _tag, attributes, _raw in found for name in attributes if name[:2] == "on"]
    for tag, attributes, raw in found:
        # "<" and ">" inside a value are escaped: nothing that later reads the HTML as text (a
        # feed reader, a search extract, a rewrite) can take them for a tag.
        assert "<" not in raw[1:] and ">" not in raw[:-1], raw
        if tag == "img":
            assert (attributes["loading"], attributes["decoding"]) == ("lazy", "async")
    assert sanitize_html(cleaned) == cleaned


def test_alt_text_with_markup_reads_as_typed():
    cleaned = sanitize_html(TAGS_IN_ATTRIBUTES["alt"])
    assert cleaned == (
        '<img loading="lazy" decoding="async" src="/a.jpg" alt="&lt;img onerror=alert(1)&gt;">'
    )
    assert start_tags(cleaned)[0][1]["alt"] == "<img onerror=alert(1)>"


# What nh3 0.3.0 to 0.3.6 answered for these (checked in throwaway virtualenvs): "<" and ">"
# left unescaped inside the values, as the HTML standard allowed until 2025.
UNESCAPED_BY_OLD_NH3 = {
    TAGS_IN_ATTRIBUTES["alt"]: '<img src="/a.jpg" alt="<img onerror=alert(1)>">',
    TAGS_IN_ATTRIBUTES["title on a link"]: (
        '<a href="/x" title="<img src=x onerror=alert(1)>" rel="noopener noreferrer">xem</a>'
    ),
    TAGS_IN_ATTRIBUTES["upper-case tag"]: '<img src="/a.jpg" alt="<img onerror=alert(1)>">',
}


@pytest.mark.parametrize("hostile", UNESCAPED_BY_OLD_NH3)
def test_lazy_loading_is_never_written_inside_an_attribute(hostile, monkeypatch):
    from types import SimpleNamespace

    from articles import richtext

    monkeypatch.setattr(
        richtext, "nh3", SimpleNamespace(clean=lambda value, **rules: UNESCAPED_BY_OLD_NH3[value])
    )
    found = start_tags(sanitize_html(hostile))
    assert photos(found) == photos(start_tags(hostile))
    assert not [name for _tag, attributes, _raw in found for name in attributes if name[:2] == "on"]


def test_photos_on_later_lines_get_lazy_loading_in_the_right_place():
    body = (
        '<p>Mở đầu\nvà <img src="/a.jpg" alt="<img">\n</p>\n'
        '<figure class="image">\n<img src="/b.jpg"></figure>'
    )
    assert sanitize_html(body) == (
        '<p>Mở đầu\nvà <img loading="lazy" decoding="async" src="/a.jpg" alt="&lt;img">\n</p>\n'
        '<figure class="image">\n<img loading="lazy" decoding="async" src="/b.jpg"></figure>'
    )


def test_the_nh3_floor_escapes_markup_inside_attributes():
    """nh3 0.3.7 is the first that escapes "<" and ">" in attribute values; older ones cannot
    run our settings (allowed_classes needs 0.2.22) or write them unescaped (0.2.22 to 0.3.6)."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    (nh3,) = [
        Requirement(line)
        for line in pyproject["project"]["dependencies"]
        if Requirement(line).name == "nh3"
    ]
    assert not nh3.specifier.contains("0.3.6")
    assert nh3.specifier.contains("0.3.7")
    assert nh3.specifier.contains(version("nh3"))


def test_photos_get_lazy_loading_the_same_way_in_every_process():
    """Python's hash seed and Rust's hash maps change from one process to the next; the body
    an article stores must not (it would make a revision that changes nothing)."""
    script = "from articles.richtext import sanitize_html; print(sanitize_html(input()))"
    outputs = {
        subprocess.run(
            [sys.executable, "-c", script],
            input=EDITOR_BODY + "\n",
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONHASHSEED": str(seed), "PYTHONPATH": str(ROOT)},
        ).stdout
        for seed in range(6)
    }
    assert outputs == {sanitize_html(EDITOR_BODY) + "\n"}


EDITOR_BODY = (
    "<h2>Diễn biến</h2>"
    "<p>Theo <strong>Công an</strong> <em>TP Đà Nẵng</em>, <u>vụ việc</u> xảy ra lúc 9h "
    "(H<sub>2</sub>O, m<sup>2</sup>, <s>giá cũ</s>).<br>Xem "
    '<a href="https://congan.danang.gov.vn/tin/1">thông báo</a>, '
    '<a href="http://example.vn/">nguồn</a>, <a href="/thoi-su/">chuyên mục</a> hoặc '
    '<a href="mailto:toasoan@example.vn">viết cho toà soạn</a>.</p>'
    '<figure class="image image-center"><img alt="Hiện trường vụ cháy" height="563" '
    'src="/media/uploads/2025/01/02/a.jpg" width="1000"><figcaption>Hiện trường. '
    "<em>Ảnh: Hải Nhi</em></figcaption></figure>"
    '<p class="image-center"><img alt="Bản đồ" height="300" src="/media/uploads/b.png" '
    'width="400"></p>'
    "<h3>Thiệt hại</h3>"
    "<ul><li>Hai nhà kho</li><li>Một xe tải</li></ul>"
    "<ol><li>Báo cháy</li><li>Dập lửa</li></ol>"
    "<blockquote><p>Chúng tôi đến sau 7 phút.</p></blockquote>"
    '<table><caption>Số liệu</caption><thead><tr><th scope="col">Năm</th>'
    '<th scope="col">Số vụ</th></tr></thead><tbody><tr><td>2024</td><td>12</td></tr>'
    '<tr><td colspan="2">Nguồn: PCCC</td></tr></tbody></table>'
    "<h4>Ghi chú</h4><hr><p>Hết.</p>"
)


def test_what_the_editor_makes_survives_sanitizing_unchanged_in_meaning():
    cleaned = sanitize_html(EDITOR_BODY)
    # Only additions: rel on links, lazy loading on photos.
    expected = EDITOR_BODY.replace("<a href", '<a rel="noopener noreferrer" href').replace(
        "<img ", '<img loading="lazy" decoding="async" '
    )
    assert _normalised(cleaned) == _normalised(expected)
    assert 'class="image image-center"' in cleaned
    assert 'href="mailto:toasoan@example.vn"' in cleaned and 'href="/thoi-su/"' in cleaned


def test_sanitizing_always_gives_the_same_html_and_changes_nothing_the_second_time():
    cleaned = sanitize_html(EDITOR_BODY)
    assert {sanitize_html(EDITOR_BODY) for _ in range(50)} == {cleaned}
    assert sanitize_html(cleaned) == cleaned


def test_entities_are_stored_as_utf8_text():
    assert sanitize_html("<p>Ph&aacute;t huy &ndash; b&#7843;o v&#7879;</p>") == (
        "<p>Phát huy – bảo vệ</p>"
    )


def test_body_is_sanitized_when_saved_from_the_shell(make_article):
    article = make_article()
    article.body = '<p onclick="x()">Sửa <script>alert(1)</script></p>'
    article.save()
    article.refresh_from_db()
    assert article.body == "<p>Sửa </p>"
    article.body = '<p>Chỉ sửa nội dung<iframe src="https://evil.example"></iframe></p>'
    article.save(update_fields=["body"])
    article.refresh_from_db()
    assert article.body == "<p>Chỉ sửa nội dung</p>"
    assert "iframe" not in article.body_text


def test_body_is_sanitized_when_saved_in_the_admin(superuser_client, section, author):
    from tests.articles.test_admin import article_form

    hostile = '<p>Tin <img src="x" onerror="alert(1)"><a href="javascript:alert(1)">xem</a></p>'
    data = article_form(section, author, None, body=hostile, lead_image_caption="<b>Ảnh</b> mới")
    response = superuser_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.body == (
        '<p>Tin <img loading="lazy" decoding="async" src="x">'
        '<a rel="noopener noreferrer">xem</a></p>'
    )
    assert article.lead_image_caption == "Ảnh mới"


def test_lead_caption_of_an_article_is_stored_as_plain_text(make_article):
    article = make_article(lead_image_caption='Ảnh <a href="https://evil.example">đẹp</a> &amp; rõ')
    article.refresh_from_db()
    assert article.lead_image_caption == "Ảnh đẹp & rõ"


def test_title_and_sapo_are_escaped_wherever_readers_see_them(client, make_article):
    article = make_article(
        title="Giá xăng <b>giảm</b> & <script>alert(1)</script>",
        sapo='Sapo <img src=x onerror="alert(1)"> dưới 10 < 20',
    )
    content = client.get(article.get_absolute_url()).content.decode()
    assert "<b>giảm</b>" not in content and "<script>alert(1)" not in content
    assert "<img src=x" not in content
    assert "Giá xăng &lt;b&gt;giảm&lt;/b&gt; &amp; &lt;script&gt;" in content
    home = client.get("/").content.decode()
    assert "<script>alert(1)" not in home and "<b>giảm</b>" not in home


def test_demo_loader_stores_bodies_and_captions_as_the_sanitizer_leaves_them(db, monkeypatch):
    from articles.management.commands import load_demo

    entry = dict(load_demo.demo_entries()[0])
    entry["paragraphs"] = ["Đoạn một.", "Đoạn hai."]
    entry["lead_caption"] = "<b>Chú thích</b> <script>alert(1)</script>ảnh"
    entry["figure_caption"] = '<img src=x onerror="alert(1)">Chú thích hình'
    monkeypatch.setattr(load_demo, "demo_entries", lambda: [entry, {**entry, "title": "Bài 2"}])
    call_command("load_demo", stdout=StringIO())
    article = Article.objects.get(title=entry["title"])
    assert article.body == sanitize_html(article.body)
    # The loader escapes its texts: the markup in the caption shows as text, and runs nothing.
    assert "&lt;img src=x" in article.body
    assert [tag for tag, _attributes in tags_in(article.body) if tag == "img"] == ["img"]
    assert not [name for _tag, names in tags_in(article.body) for name in names if name[:2] == "on"]
    assert article.lead_image.caption == "Chú thích ảnh"


def test_generated_articles_pass_their_texts_through_the_sanitizer(db, monkeypatch):
    from articles.management.commands import generate_articles

    entries = generate_articles.demo_entries()[:2]
    entries[0] = {
        **entries[0],
        "paragraphs": ['Mở đầu <img src=x onerror="alert(1)">', "<script>alert(1)</script>Hai"],
    }
    monkeypatch.setattr(generate_articles, "demo_entries", lambda: entries)
    call_command("generate_articles", count=20, batch=10, stdout=StringIO())
    bodies = set(Article.objects.values_list("body", flat=True))
    assert any("Mở đầu" in body for body in bodies)
    for body in bodies:
        assert body == sanitize_html(body)
        assert "onerror" not in body and "script" not in body


def _normalised(html):
    """Attributes in a fixed order: what a browser sees is the same whatever their order."""
    return re.sub(
        r"<(\w+)((?:\s+[\w-]+=\"[^\"]*\")*)>",
        lambda m: "<{}{}>".format(
            m.group(1), "".join(sorted(re.findall(r'\s+[\w-]+="[^"]*"', m.group(2))))
        ),
        html,
    )


def start_tags(html):
    """(tag, {attribute: value}, the tag as written) of each start tag, as a browser finds them."""
    found = []

    class Parser(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, dict(attrs), self.get_starttag_text()))

    Parser().feed(html)
    return found


def photos(tags):
    return [tag for tag, _attributes, _raw in tags].count("img")


def tags_in(html):
    """(tag, [attribute names]) of each start tag, as a browser's parser finds them."""
    found = []

    class Parser(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, [name for name, _value in attrs]))

    Parser().feed(html)
    return found
