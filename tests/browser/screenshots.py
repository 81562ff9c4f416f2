"""Screenshots of what the newsroom sees every day, kept in docs/screenshots/ (`make screenshots`).

    DEBUG=1 .venv/bin/python -m tests.browser.screenshots

Loads the demo into a throwaway SQLite database (`load_demo`, `load_demo_views`), has the editor
return one of the reporter's articles, starts a development server on a free local port and, in
Debian's Chromium, takes:

- article-list.png: the editor's article list (1366×900);
- article-form.png, workflow-panel.png: the editor's form of an article waiting for review, and
  its workflow panel (1366×900);
- admin-home-reporter.png: the reporter's admin home, which announces the returned article;
- home-phone.png: the home page on a phone (390×844), the whole page.

Nothing of the throwaway site outlives the run but the pictures.
"""

import io
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUTPUT = ROOT / "docs" / "screenshots"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
RETURN_NOTE = (
    "Thiếu ý kiến của cơ quan chức năng; bổ sung nguồn số liệu ở đoạn hai và kiểm tra lại tên "
    "nhân vật."
)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def prepare_site(folder):
    """The demo in a database of its own under `folder`; the environment the server needs."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "MEDIA_ROOT": str(folder / "media"),
        "REDIS_URL": "",
        "PAGE_CACHE": "0",
    }
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command, get_commands

    call_command("migrate", interactive=False, verbosity=0)
    # As `make demo` does: the demo, then its readers' views ("Xem nhiều nhất", the list's views).
    call_command("load_demo", stdout=io.StringIO())
    if "load_demo_views" in get_commands():
        call_command("load_demo_views", stdout=io.StringIO())
    return env, stage_a_returned_article()


def stage_a_returned_article():
    """A second draft of the reporter's goes for review and comes back with the editor's note,
    so that the list and the reporter's home show a returned article. Returns the article still
    waiting for review, whose form the pictures show."""
    from django.contrib.auth import get_user_model

    from articles import workflow
    from articles.models import Article

    users = get_user_model().objects
    editor, reporter = users.get(username="bientap"), users.get(username="phongvien")
    waiting = Article.objects.filter(status=Article.Status.SUBMITTED).order_by("pk").first()
    draft = Article.objects.filter(status=Article.Status.DRAFT, created_by=reporter).first()
    workflow.submit(draft, by=reporter)
    workflow.return_to_reporter(draft, by=editor, note=RETURN_NOTE)
    return waiting


def start_server(env, port):
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/admin/login/", timeout=2):
                return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise SystemExit("Máy chủ thử không khởi động được.")


def log_in(page, url, username):
    from articles.management.commands.load_demo import DEMO_USERS

    password = next(password for name, password, *_rest in DEMO_USERS if name == username)
    page.goto(f"{url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    page.wait_for_url(f"{url}/admin/")


def show_every_image(page):
    """Scroll to the end and back, so that lazy images below the fold are loaded too."""
    page.evaluate(
        """async () => {
            for (let y = 0; y < document.body.scrollHeight; y += window.innerHeight / 2) {
                window.scrollTo(0, y);
                await new Promise((done) => setTimeout(done, 50));
            }
            window.scrollTo(0, 0);
        }"""
    )
    page.wait_for_load_state("networkidle")


def take(browser, url, waiting):
    from tests.browser.admin_steps import EDITOR_READY

    def context(viewport, **options):
        return browser.new_context(viewport=viewport, locale="vi-VN", **options)

    editor = context(DESKTOP).new_page()
    log_in(editor, url, "bientap")
    editor.goto(f"{url}/admin/articles/article/")
    editor.wait_for_load_state("networkidle")
    editor.screenshot(path=OUTPUT / "article-list.png")

    editor.goto(f"{url}/admin/articles/article/{waiting.pk}/change/")
    editor.wait_for_function(EDITOR_READY)
    editor.wait_for_load_state("networkidle")
    editor.screenshot(path=OUTPUT / "article-form.png")
    editor.locator(".workflow").screenshot(path=OUTPUT / "workflow-panel.png")

    reporter = context(DESKTOP).new_page()
    log_in(reporter, url, "phongvien")
    reporter.wait_for_load_state("networkidle")
    reporter.screenshot(path=OUTPUT / "admin-home-reporter.png")

    reader = context(PHONE, is_mobile=True, has_touch=True).new_page()
    reader.goto(f"{url}/")
    show_every_image(reader)
    reader.screenshot(path=OUTPUT / "home-phone.png", full_page=True)


def main():
    executable = shutil.which("chromium")
    if executable is None:
        raise SystemExit("Cần Chromium của Debian (apt-get install chromium).")
    OUTPUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="newsroom-screenshots-") as folder:
        env, waiting = prepare_site(Path(folder))
        # After Django is set up: the browser tests' settings import the site's models.
        from playwright.sync_api import sync_playwright

        from tests.browser.conftest import CHROMIUM_ARGS

        port = free_port()
        server = start_server(env, port)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
                take(browser, f"http://127.0.0.1:{port}", waiting)
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=10)
    for picture in sorted(OUTPUT.glob("*.png")):
        print(f"Đã lưu {picture.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
