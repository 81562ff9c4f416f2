"""Browser tests: Playwright driving Debian's Chromium (never a downloaded browser).

Without a `chromium` binary these tests skip, unless REQUIRE_BROWSER=1 (as in CI), where a
missing browser fails the run instead.
"""

import os
import shutil

import pytest

from tests.conftest import image_bytes

# Playwright's sync API runs an event loop in this thread; Django would otherwise refuse the
# ORM calls that tests make around the browser.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    executable = shutil.which("chromium")
    if executable is None:
        message = "Debian's chromium is not installed (apt-get install chromium)"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"REQUIRE_BROWSER=1 but {message}")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


@pytest.fixture
def new_page(request, browser, settings, live_server, tmp_path_factory):
    """Open a page in a browser context of its own (a separate person, with own cookies).

    Every page runs under the site's Content-Security-Policy: anything the policy blocks (in
    the public pages or in the admin's CKEditor) fails the test that met it."""
    settings.ALLOWED_HOSTS = ["localhost", "127.0.0.1", "testserver"]
    contexts = []
    blocked = []

    def open_page():
        context = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="vi-VN")
        context.set_default_timeout(15_000)
        context.on(
            "console",
            lambda message: (
                "Content Security Policy" in message.text and blocked.append(message.text)
            ),
        )
        contexts.append(context)
        return context.new_page()

    yield open_page
    report = getattr(request.node, "report_call", None)
    for number, context in enumerate(contexts):
        for page in context.pages:
            if report is not None and report.failed:
                # What the browser showed when the test failed, for whoever reads the failure.
                folder = tmp_path_factory.mktemp("browser-failure")
                shot = folder / f"{request.node.name}-{number}.png"
                page.screenshot(path=shot, full_page=True)
                print(f"Screenshot of the failing page: {shot} ({page.url})")
            # Let requests in flight finish before the test database goes away.
            page.wait_for_load_state("networkidle")
        context.close()
    if blocked:
        pytest.fail("The Content-Security-Policy blocked:\n" + "\n".join(blocked))


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def staff_login(page, live_server, django_user_model):
    """Log a staff member in through the admin's login form, as a person would."""

    def login(username="bientap", password="mat-khau-dai-1", **fields):
        django_user_model.objects.create_superuser(username, f"{username}@example.com", password)
        page.goto(f"{live_server.url}/admin/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("input[type=submit]")
        page.wait_for_url(f"{live_server.url}/admin/")
        return page

    return login


@pytest.fixture
def photo(tmp_path):
    """A real photo on disk, for upload dialogs."""
    path = tmp_path / "hien-truong.jpg"
    path.write_bytes(image_bytes(size=(900, 500)))
    return path
