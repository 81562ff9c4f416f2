"""Leaving the article form any other way than its own buttons asks first when something typed
is not saved yet: the preview-link forms, links, closing the tab."""

from playwright.sync_api import expect

from articles.models import Article, PreviewGrant
from tests.browser.admin_steps import log_in, open_article

TYPED_SAPO = "Sapo vừa sửa, chưa lưu."


def test_making_a_preview_link_with_unsaved_changes_asks_first_and_keeps_them(
    page, live_server, editor, make_article, transactional_db
):
    article = make_article(status=Article.Status.SUBMITTED, publish_at=None)
    log_in(page, live_server, "bientap", "mat-khau-dai-1")
    open_article(page, live_server, article)
    page.fill("#id_sapo", TYPED_SAPO)

    asked = []

    def stay(dialog):
        asked.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", stay)
    page.get_by_role("button", name="Tạo liên kết xem trước").click()
    expect(page.locator("#id_sapo")).to_have_value(TYPED_SAPO)
    assert asked and "chưa lưu" in asked[0]
    assert not PreviewGrant.objects.exists()

    # Saying yes leaves on purpose: the link is made, the sapo was not saved.
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Tạo liên kết xem trước").click()
    expect(page.locator(".messagelist")).to_be_visible()
    assert PreviewGrant.objects.filter(article=article).count() == 1
    article.refresh_from_db()
    assert article.sapo != TYPED_SAPO


def test_a_change_typed_in_the_body_editor_counts_as_unsaved(
    page, live_server, editor, make_article, transactional_db
):
    article = make_article(status=Article.Status.SUBMITTED, publish_at=None)
    log_in(page, live_server, "bientap", "mat-khau-dai-1")
    open_article(page, live_server, article)
    editor_body = page.frame_locator("#cke_id_body iframe.cke_wysiwyg_frame").locator("body")
    editor_body.click()
    page.keyboard.type(" Thêm một câu.")

    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.get_by_role("button", name="Tạo liên kết xem trước").click()
    expect(editor_body).to_contain_text("Thêm một câu.")
    assert asked
    assert not PreviewGrant.objects.exists()


def test_nothing_typed_means_no_question(page, live_server, editor, make_article, transactional_db):
    article = make_article(status=Article.Status.SUBMITTED, publish_at=None)
    log_in(page, live_server, "bientap", "mat-khau-dai-1")
    open_article(page, live_server, article)
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.get_by_role("button", name="Tạo liên kết xem trước").click()
    expect(page.locator(".messagelist")).to_be_visible()
    assert not asked
    assert PreviewGrant.objects.filter(article=article).count() == 1
