"""A superuser fills in the masthead in the admin; readers see the logo and the footer's press
licence, contacts and links at once, on a desktop and on a phone, under the site's CSP."""

import os
from pathlib import Path

from PIL import Image as PillowImage
from playwright.sync_api import expect

PHONE = {"width": 390, "height": 844}


def test_a_superuser_fills_in_the_masthead_and_readers_see_it_on_desktop_and_phone(
    staff_login, new_page, live_server, make_article, transactional_db, tmp_path
):
    article = make_article(title="Khánh thành cầu mới")
    logo = tmp_path / "logo.png"
    PillowImage.new("RGBA", (240, 60), (159, 28, 32, 255)).save(logo, "PNG")

    admin = staff_login("quantri")
    admin.get_by_role("link", name="Thông tin toà soạn").click()
    expect(admin.locator("#id_name")).to_have_value("Newsroom")  # from the settings
    admin.fill("#id_name", "Báo Sông Hương")
    admin.set_input_files("#id_logo", logo)
    admin.fill("#id_licence_number", "45/GP-BTTTT")
    admin.fill("#id_licence_issuer", "Bộ Thông tin và Truyền thông")
    admin.fill("#id_licence_date", "15/03/2023")
    admin.fill("#id_editor_in_chief", "Lê Thị Hoa")
    admin.fill("#id_address", "9 Hùng Vương, Huế")
    admin.fill("#id_phone", "0234 382 1234")
    admin.fill("#id_zalo_url", "https://www.facebook.com/nham-cho")
    admin.locator("input[name=_save]").click()
    expect(admin.locator(".errorlist")).to_contain_text("thuộc zalo.me")
    admin.set_input_files("#id_logo", logo)  # a refused form does not keep the file
    admin.fill("#id_zalo_url", "https://zalo.me/baosonghuong")
    admin.locator("input[name=_save]").click()
    expect(admin.locator(".messagelist")).to_contain_text("Báo Sông Hương")

    reader = new_page()
    for viewport in (None, PHONE):
        if viewport:
            reader.set_viewport_size(viewport)
        reader.goto(f"{live_server.url}{article.get_absolute_url()}")
        expect(reader).to_have_title("Khánh thành cầu mới — Báo Sông Hương")
        brand = reader.get_by_role("link", name="Báo Sông Hương").first
        expect(brand.locator("img")).to_be_visible()
        assert brand.locator("img").evaluate("img => img.complete && img.naturalWidth === 240")
        footer = reader.locator(".site-footer")
        expect(footer).to_contain_text(
            "Giấy phép hoạt động báo chí số 45/GP-BTTTT do Bộ Thông tin và Truyền thông cấp "
            "ngày 15/03/2023."
        )
        expect(footer).to_contain_text("Tổng biên tập: Lê Thị Hoa")
        expect(footer.get_by_role("link", name="Zalo")).to_have_attribute(
            "href", "https://zalo.me/baosonghuong"
        )
        expect(footer.get_by_role("link", name="0234 382 1234")).to_have_attribute(
            "href", "tel:02343821234"
        )
        overflow = reader.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, viewport
    height = footer.evaluate("footer => footer.getBoundingClientRect().height")
    assert height < 600  # on a phone: a compact block, not a column of scattered lines
    if os.environ.get("MASTHEAD_SCREENSHOTS"):
        folder = Path(os.environ["MASTHEAD_SCREENSHOTS"])
        reader.screenshot(path=folder / "masthead-phone.png", full_page=True)
        reader.set_viewport_size({"width": 1366, "height": 900})
        reader.screenshot(path=folder / "masthead-desktop.png", full_page=True)
