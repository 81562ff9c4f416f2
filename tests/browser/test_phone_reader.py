"""A reader on a 390×844 phone and a 1366×900 desktop: compact cards, a short home page with "Tin
mới" near the top, a section menu that shows it scrolls, layouts for articles without a lead
photo, sidebars that are never blank, Zalo sharing and a 404 page that leads somewhere.

Each test saves screenshots (printed with -s) in a temporary folder, or in READER_SCREENSHOTS
when set."""

import os
from datetime import timedelta
from io import StringIO
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Article
from sections.models import Section

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
# The demo's home page (load_demo) on a 390×844 phone before the phone-first layout (commit
# 8a86e8c, 8 Dec 2026): every card a full-width photo, "Tin mới" after 37 cards.
HOME_HEIGHT_BEFORE = 15_133


@pytest.fixture
def shots(tmp_path_factory):
    folder = os.environ.get("READER_SCREENSHOTS")
    folder = Path(folder) if folder else tmp_path_factory.mktemp("phone-reader")
    folder.mkdir(parents=True, exist_ok=True)

    def shoot(page, name):
        path = folder / f"{name}.png"
        page.screenshot(path=path, full_page=True)
        print(f"screenshot: {path}")

    return shoot


@pytest.fixture
def demo(transactional_db, settings):
    settings.ALLOWED_HOSTS = ["localhost", "127.0.0.1", "testserver"]
    call_command("load_demo", stdout=StringIO())


def open_at(new_page, size, url):
    page = new_page()
    page.set_viewport_size(size)
    page.goto(url)
    return page


def box(page, selector):
    return page.locator(selector).first.bounding_box()


def document_height(page):
    return page.evaluate("document.documentElement.scrollHeight")


def only_our_site(page, live_server):
    """Every request a page makes goes to our own server: nothing from Zalo or anyone else."""
    elsewhere = []
    page.on(
        "request",
        lambda request: (
            request.url.startswith((live_server.url, "data:")) or elsewhere.append(request.url)
        ),
    )
    return elsewhere


def test_the_demo_home_page_is_short_on_a_phone_and_full_on_a_desktop(
    new_page, live_server, demo, shots
):
    phone = open_at(new_page, PHONE, live_server.url)
    shots(phone, "trang-chu-390")
    height = document_height(phone)
    print(f"home page at 390×844: {height} px (before: {HOME_HEIGHT_BEFORE} px)")
    assert height < HOME_HEIGHT_BEFORE / 3

    # Below the lead, every card is a row: a small photo beside its title.
    rows = phone.locator(".grid--featured .card:not(.card--lead), .section-block > .card")
    assert rows.count() >= 8
    for number in range(rows.count()):
        card = rows.nth(number)
        title = card.locator(".card__title").bounding_box()
        image = card.locator(".card__image")
        if image.count():
            photo = image.bounding_box()
            assert photo["width"] <= 130 and photo["height"] < 100
            assert photo["x"] + photo["width"] <= title["x"]
    lead = box(phone, ".grid--featured .card--lead .card__image")
    assert lead["width"] > 300

    # "Tin mới" right after the five picks, on the second screen at most.
    latest = box(phone, "#tin-moi")
    assert latest["y"] < 2 * PHONE["height"]
    assert latest["y"] < box(phone, ".section-block")["y"]
    shown_above = """(cards, top) => cards.filter(
        card => card.getClientRects().length && card.getBoundingClientRect().top < top
    ).length"""
    assert phone.locator(".card").evaluate_all(shown_above, latest["y"]) <= 6

    desktop = open_at(new_page, DESKTOP, live_server.url)
    shots(desktop, "trang-chu-1366")
    print(f"home page at 1366×900: {document_height(desktop)} px")
    # "Tin mới" and "Xem nhiều nhất" beside the picks, ending with them; then the sections
    # across the whole width.
    featured, side = box(desktop, ".home__featured"), box(desktop, ".home__side")
    assert side["x"] > featured["x"] + featured["width"]
    side_end = desktop.locator(".home__side > :last-child").bounding_box()
    assert abs((side_end["y"] + side_end["height"]) - (featured["y"] + featured["height"])) < 500
    sections, home = box(desktop, ".home__sections"), box(desktop, ".home")
    assert sections["y"] > max(featured["y"] + featured["height"], side["y"] + side["height"])
    assert sections["width"] == pytest.approx(home["width"], abs=2)
    assert desktop.locator(".section-block").nth(3).bounding_box()["y"] == pytest.approx(
        box(desktop, ".section-block")["y"], abs=2
    )


def test_the_section_menu_shows_it_scrolls_and_keeps_the_current_section_in_view(
    new_page, live_server, demo, shots
):
    last = Section.objects.top_level().last()
    phone = open_at(new_page, PHONE, live_server.url)
    nav = phone.locator(".site-nav")
    expect(nav).to_have_class("site-nav site-nav--more-after")
    arrow = "getComputedStyle(document.querySelector('.site-nav'), '::after')"
    phone.wait_for_function(f"() => {arrow}.opacity === '1'")  # after its short fade-in
    assert phone.evaluate(f"{arrow}.content").startswith('"›"')

    phone.goto(f"{live_server.url}{last.get_absolute_url()}")
    current = phone.locator(".site-nav [aria-current=page]")
    expect(current).to_have_text(last.name)
    place = current.bounding_box()
    assert place["x"] >= 0 and place["x"] + place["width"] <= PHONE["width"]
    expect(nav).to_have_class("site-nav site-nav--more-before")
    shots(phone, f"chuyen-muc-{last.slug}-390")
    # The menu scrolled itself, not the page.
    assert phone.evaluate("window.scrollY") == 0

    desktop = open_at(new_page, DESKTOP, f"{live_server.url}{last.get_absolute_url()}")
    expect(desktop.locator(".site-nav")).to_have_class("site-nav")  # it all fits: no fade


def test_an_article_shares_to_zalo_and_loads_nothing_from_other_sites(
    new_page, live_server, make_article, transactional_db, shots
):
    article = make_article(title="Bài để chia sẻ qua Zalo")
    for name, size in (("390", PHONE), ("1366", DESKTOP)):
        page = new_page()
        page.set_viewport_size(size)
        elsewhere = only_our_site(page, live_server)
        page.goto(f"{live_server.url}{article.get_absolute_url()}")
        page.wait_for_load_state("networkidle")
        share = page.get_by_role("navigation", name="Chia sẻ bài viết")
        names = share.get_by_role("link").all_inner_texts()
        assert names[:3] == ["Facebook", "Zalo", "X"] and "Email" in names
        address = quote(f"{live_server.url}{article.get_absolute_url()}", safe="")
        expect(share.get_by_role("link", name="Zalo")).to_have_attribute(
            "href", f"https://sp.zalo.me/share_inline?url={address}"
        )
        assert share.get_by_role("link", name="Zalo").bounding_box()["height"] >= 40
        assert elsewhere == []
        shots(page, f"bai-viet-{name}")


def test_articles_without_a_lead_photo_get_a_layout_made_for_them(
    new_page, live_server, make_article, section, transactional_db, shots
):
    now = timezone.now()
    lead = make_article(
        title="Quốc hội thông qua luật sửa đổi về đất đai sau ba kỳ họp",
        sapo="Luật có hiệu lực từ đầu năm tới, với nhiều điểm mới về bồi thường và tái định cư.",
        lead_image=None,
        is_featured=True,
    )
    for number in range(6):
        # Every other one without a photo.
        photo = {"lead_image": None} if number % 2 else {}
        make_article(
            title=f"Tin thời sự số {number} trong ngày",
            publish_at=now - timedelta(hours=number + 2),
            **photo,
        )
    for size, name in ((PHONE, "390"), (DESKTOP, "1366")):
        for url, label in (("/", "trang-chu"), (section.get_absolute_url(), "chuyen-muc")):
            page = open_at(new_page, size, f"{live_server.url}{url}")
            card = page.locator(".card--lead").first
            expect(card).to_contain_text(lead.title)
            expect(card.locator(".card__image")).to_have_count(0)
            # The headline takes the card's width: no empty column beside it.
            title = card.locator(".card__title").bounding_box()
            assert title["width"] > card.bounding_box()["width"] * 0.8
            expect(card.locator(".card__sapo")).to_be_visible()
            for text_card in page.locator(".card--text:not(.card--lead)").all():
                assert (
                    text_card.locator(".card__title").bounding_box()["width"]
                    > text_card.bounding_box()["width"] * 0.8
                )
            shots(page, f"khong-anh-{label}-{name}")
        page = open_at(new_page, size, f"{live_server.url}{lead.get_absolute_url()}")
        expect(page.locator(".article__lead")).to_have_count(0)
        expect(page.locator(".article--text .article__sapo")).to_be_visible()
        shots(page, f"khong-anh-bai-viet-{name}")


def test_sidebars_are_never_blank_and_the_404_page_leads_on(
    new_page, live_server, make_article, section, transactional_db, shots
):
    now = timezone.now()
    articles = [
        make_article(title=f"Tin mới thứ {number}", publish_at=now - timedelta(hours=number + 1))
        for number in range(6)
    ]
    make_article(title="Bản nháp chưa duyệt", status=Article.Status.DRAFT, publish_at=None)
    phone = open_at(new_page, PHONE, f"{live_server.url}{section.get_absolute_url()}")
    instead = phone.locator("section.latest-instead")
    expect(instead.get_by_role("heading", name="Tin mới")).to_be_visible()
    expect(instead.get_by_role("link")).to_have_count(5)
    expect(phone.locator("section.most-viewed")).to_have_count(0)
    shots(phone, "chuyen-muc-chua-co-luot-xem-390")

    desktop = open_at(new_page, DESKTOP, f"{live_server.url}{articles[0].get_absolute_url()}")
    instead = desktop.locator("section.latest-instead")
    expect(instead.get_by_role("link", name=articles[1].title)).to_be_visible()
    expect(instead.get_by_role("link", name=articles[0].title)).to_have_count(0)
    shots(desktop, "bai-viet-chua-co-luot-xem-1366")

    for size, name in ((PHONE, "390"), (DESKTOP, "1366")):
        page = new_page()
        page.set_viewport_size(size)
        response = page.goto(f"{live_server.url}/khong/co/trang-nay/")
        assert response.status == 404
        expect(page.get_by_role("heading", level=1)).to_have_text("Không tìm thấy trang")
        search = page.get_by_label("Tìm bài viết (gõ có dấu hay không dấu đều được)")
        expect(page.get_by_role("link", name=articles[0].title)).to_be_visible()
        expect(page.get_by_text("Bản nháp chưa duyệt")).to_have_count(0)
        shots(page, f"404-{name}")
        search.fill("tin moi thu 3")
        search.press("Enter")
        expect(page.locator(".search-summary")).to_contain_text("1 kết quả")
