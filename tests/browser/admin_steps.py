"""What a person does in the admin, step by step, shared by the browser tests."""

import re

from playwright.sync_api import expect

# Functions, not bare expressions: Playwright would evaluate those with eval(), which the
# admin's Content-Security-Policy forbids.
EDITOR_READY = "() => CKEDITOR.instances.id_body && CKEDITOR.instances.id_body.status === 'ready'"


def log_in(page, live_server, username, password):
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")


def choose(page, select_id, text):
    """Pick `text` in one of the admin's autocomplete (select2) boxes."""
    page.locator(f"#{select_id} + .select2").click()
    page.locator(".select2-search__field").last.fill(text)
    option = page.locator(".select2-results__option", has_text=text).first
    expect(option).to_be_visible()
    option.click()
    expect(page.locator(f"#{select_id} + .select2 .select2-selection__rendered")).to_contain_text(
        text
    )


def pick_photo(page, text):
    """Choose the lead photo whose caption holds `text`, through the picker's search."""
    picker = page.locator(".photo-picker")
    picker.get_by_role("searchbox").fill(text)
    expect(picker.locator("[data-status]")).to_contain_text(text)
    picker.locator("[data-grid] .photo-picker__card", has_text=text).first.click()
    expect(picker.locator("[data-chosen-caption]")).to_contain_text(text)


def write_article(
    page, live_server, *, title, sapo, body, photo, alt, caption, section, lead, author
):
    """Fill in a new article: the body in CKEditor with a photo uploaded through the editor's
    own dialog and given a caption, the lead photo chosen from the library, one byline; save."""
    page.goto(f"{live_server.url}/admin/articles/article/add/")
    page.wait_for_function(EDITOR_READY)
    page.locator("#id_title").press_sequentially(title)
    page.fill("#id_sapo", sapo)

    editor_body = page.frame_locator("#cke_id_body iframe.cke_wysiwyg_frame").locator("body")
    editor_body.click()
    editor_body.press_sequentially(body)
    dialog = send_photo_from_image_dialog(page, photo)
    page.wait_for_function(
        "() => CKEDITOR.dialog.getCurrent() && "
        "CKEDITOR.dialog.getCurrent().getValueOf('info', 'src')"
    )
    dialog.get_by_label("Chú thích ảnh").fill(alt)
    dialog.get_by_label("Ảnh có chú thích").check()
    dialog.get_by_role("button", name="Đồng ý").click()
    expect(dialog).to_be_hidden()
    # The new photo ends up selected as a whole; only then is it safe to click into its caption.
    expect(editor_body.locator(".cke_widget_wrapper")).to_have_class(
        re.compile(r"\bcke_widget_focused\b")
    )
    figcaption = editor_body.locator("figure.image figcaption")
    figcaption.click()
    # Select-all stays inside the caption only once CKEditor has moved the focus into it; with
    # the photo still selected it would take the whole body, photo included.
    expect(figcaption).to_have_class(re.compile(r"\bcke_widget_editable_focused\b"))
    page.keyboard.press("Control+A")
    page.keyboard.type(caption)
    expect(figcaption).to_have_text(caption)

    page.select_option("#id_section", label=section)
    pick_photo(page, lead)
    choose(page, "id_bylines-0-author", author)
    page.click("input[name=_save]")
    page.wait_for_url(f"{live_server.url}/admin/articles/article/")


def open_article(page, live_server, article):
    """Open an article's admin page and wait until its body editor is ready."""
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    page.wait_for_function(EDITOR_READY)


def retype_article(page, *, title, sapo, body):
    """Replace the title, sapo and body (in CKEditor) with what is given, as a person types."""
    page.fill("#id_title", title)
    page.fill("#id_sapo", sapo)
    editor_body = page.frame_locator("#cke_id_body iframe.cke_wysiwyg_frame").locator("body")
    editor_body.click()
    page.keyboard.press("Control+A")
    page.keyboard.type(body)
    expect(editor_body).to_have_text(body)


def send_photo_from_image_dialog(page, photo):
    """Open the editor's image dialog on the page's body editor, pick `photo` on its "Tải lên"
    tab and send it; returns the dialog (whatever the server answered)."""
    page.wait_for_function(EDITOR_READY)
    page.click("#cke_id_body .cke_button__image")
    dialog = page.locator(".cke_dialog").last
    dialog.get_by_role("tab", name="Tải lên").click()
    page.frame_locator(".cke_dialog iframe.cke_dialog_ui_input_file").locator(
        "input[type=file]"
    ).set_input_files(photo)
    dialog.locator("a.cke_dialog_ui_fileButton").click()
    return dialog
