"""Everything a reporter, an editor and a superuser see in the admin is in Vietnamese.

A walk opens every admin page each role can reach (the index, each app's page, each model's
list, add form, the change form, history and delete confirmation of a real object, the password
change, the review queue, the schedule, the revisions, the login-protection pages, the security
page) and the links those pages give, and fails on words of a list of the English that Django,
django-axes and django-otp print where no Vietnamese translation is found. The words are looked
for in what a person reads: text, button labels, placeholders and titles, not in scripts,
styles, addresses or what people typed into forms.

Scripts write text too (the two-box picker of groups and permissions, the calendar): every
message of the admin's JavaScript catalogue must have its Vietnamese translation, as must every
message of Django's admin and auth, django-axes and django-otp.
"""

import ast
import gettext
import re
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import axes
import django
import django_otp
import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import trans_real
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from articles import previews, workflow
from articles.models import Article, Correction, Tag
from staff.roles import EDITOR

# English the admin shows where a translation is missing: whole words or phrases, any case.
ENGLISH = [
    # The frame and navigation
    "Welcome", "View site", "Log out", "Change password", "Documentation", "Home",
    "Toggle", "theme", "Sidebar", "Skip to main content", "Breadcrumbs", "navigation",
    "Recent actions", "My actions", "None available", "Unknown content",
    "Site administration", "Django administration", "Django site admin", "models",
    "Model name",
    # Lists
    "Show counts", "Hide counts", "Show all", "Filter", "Clear all filters", "Search",
    "results", "total", "selected", "Select all", "Select", "Choose", "action", "actions",
    "Go", "Run", "Add", "Change", "View", "Delete", "entries", "entry", "By", "Any date",
    "Today", "Past 7 days", "This month", "This year", "Yes", "Unknown", "Has date",
    "Locked Out", "Attempt Remaining", "Not set", "Clean up",
    # Forms
    "Save", "Save and", "History", "Close", "Required", "Please correct", "Currently",
    "Clear", "Now", "Choose a Date", "Choose a Time", "Midnight", "Noon", "Calendar",
    "Add another", "Remove", "Password", "Reset password", "Set password", "Enabled",
    "Disabled", "Raw passwords", "Username", "Permissions", "Groups", "Personal info",
    "Important dates", "First name", "Last name", "Staff status", "Superuser status",
    "Active", "Date joined", "Last login", "Letters, digits", "Designates", "Hold down",
    "superuser", "staff",
    "Can add", "Can change", "Can delete", "Can view", "Content type", "User permissions",
    # History and deletion
    "Date/time", "User", "Action", "Changed", "Added", "Deleted", "No fields changed",
    "Are you sure", "Yes, I’m sure", "No, take me back", "Summary", "Objects",
    "would result in deleting", "doesn’t have a history",
    # Login protection (django-axes) and devices (django-otp)
    "Access attempt", "Access attempts", "Access log", "Access failure", "Attempt Time",
    "Attempt", "attempts", "User Agent", "IP Address", "HTTP Accept", "Path", "Form Data",
    "Meta Data", "GET Data", "POST Data", "Failed Logins", "Logout Time", "Access lock out",
    "Access", "Attempted", "Failed", "locked", "device", "devices", "Confirmed", "Tolerance",
    "Drift", "Digits", "Throttling", "Token",
    # Names Django makes from code ("User_groups object (3)")
    "object", "objects", "user", "users", "group", "relationship",
    # Errors
    "Forbidden", "Page not found", "Server Error", "Error", "Not Found",
]  # fmt: skip
ENGLISH_WORDS = re.compile(
    r"(?<![\w-])(?:"
    + "|".join(re.escape(word) for word in sorted(ENGLISH, key=len, reverse=True))
    + r")(?![\w-])",
    re.IGNORECASE,
)
# What an element shows besides its text. Values of text inputs and text areas are what
# people typed: not looked at.
SHOWN_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")
BUTTON_TYPES = {"submit", "button", "reset"}
SKIPPED_ELEMENTS = {"script", "style", "textarea", "template"}
# Pages the walk never opens: leaving, and pages that only answer a post.
NOT_WALKED = re.compile(r"/logout/|/quy-trinh/|/khoi-phuc/|/xem-truoc/|/autocomplete/|/jsi18n/")
MOST_PAGES = 250


class ShownText(HTMLParser):
    """The words a page shows: text outside scripts, styles and text areas, and the labels of
    buttons, placeholders and titles."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self.links = []
        self.skipping = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in SKIPPED_ELEMENTS:
            self.skipping.append(tag)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        self.parts.extend(attrs[name] for name in SHOWN_ATTRIBUTES if attrs.get(name))
        if tag == "input" and (attrs.get("type") or "").lower() in BUTTON_TYPES:
            self.parts.append(attrs.get("value") or "")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in SKIPPED_ELEMENTS:
            self.skipping.pop()

    def handle_endtag(self, tag):
        if self.skipping and self.skipping[-1] == tag:
            self.skipping.pop()

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)

    def text(self):
        return " ".join(" ".join(self.parts).split())


def read_page(html):
    parser = ShownText()
    parser.feed(html)
    parser.close()
    return parser.text(), parser.links


def english_in(text):
    """Each English word of the list found in `text`, with a little of what surrounds it."""
    return [
        f"{match.group(0)!r} in “…{text[max(0, match.start() - 30) : match.end() + 30]}…”"
        for match in ENGLISH_WORDS.finditer(text)
    ]


def plural_counts_in(text):
    """Counts written with a model's plural name ("2 Lịch xuất bản"): Vietnamese nouns do not
    change with the number, and a plural name reads as a title."""
    found = []
    for model in admin.site._registry:
        plural, singular = str(model._meta.verbose_name_plural), str(model._meta.verbose_name)
        if plural.lower() != singular.lower():
            found += re.findall(rf"\b\d+ {re.escape(plural)}(?![\w])", text)
    return found


@pytest.fixture
def newsroom(make_article, make_author, make_image, reporter, editor, superuser, make_user, clock):
    """One of everything the admin lists, so that each list, form and history has a row."""
    with translation.override("vi"):
        reporter_author = make_author("Hải Nhi Bút Danh", user=reporter)
        live = make_article(title="Bài đã đăng trên trang", authors=[reporter_author])
        workflow.record_revision(live, by=editor)
        live.title = "Bài đã đăng trên trang, đã sửa tít"
        live.save()
        workflow.record_revision(live, by=editor)
        Correction.objects.create(
            article=live, note="Sửa tên người được phỏng vấn.", created_by=editor
        )
        draft = make_article(
            title="Bản nháp của phóng viên",
            status=Article.Status.DRAFT,
            publish_at=None,
            created_by=reporter,
            authors=[reporter_author],
        )
        workflow.record_revision(draft, by=reporter)
        submitted = make_article(
            title="Bài chờ biên tập duyệt",
            status=Article.Status.DRAFT,
            publish_at=None,
            created_by=reporter,
        )
        workflow.submit(submitted, by=reporter)
        make_article(
            title="Bài hẹn giờ ngày mai",
            publish_at=timezone.now() + timedelta(days=1),
        )
        make_article(
            title="Bài hẹn giờ ngày kia",
            publish_at=timezone.now() + timedelta(days=2),
        )
        doomed = make_article(title="Bài sẽ bị xoá", status=Article.Status.DRAFT, publish_at=None)
        workflow.delete_article(doomed, by=editor)
        previews.grant_preview(draft, by=editor)
        Tag.objects.create(name="Giao thông")
        Group.objects.create(name="Ban thời sự")
        for article in (live, draft):
            LogEntry.objects.create(
                user=editor,
                content_type=ContentType.objects.get_for_model(Article),
                object_id=str(article.pk),
                object_repr=article.title,
                action_flag=CHANGE,
                change_message='[{"changed": {"fields": ["Tiêu đề"]}}]',
            )
        # A reporter locked out after five wrong passwords, and a superuser's name tried too.
        for username, failures in (("phongvien", 5), ("quantri", 2)):
            AccessAttempt.objects.create(
                username=username,
                ip_address="203.0.113.7",
                user_agent="Mozilla/5.0 (Linux; Android 14)",
                http_accept="text/html",
                path_info="/admin/login/",
                get_data="",
                post_data="username=" + username,
                failures_since_start=failures,
            )
        AccessFailureLog.objects.create(
            username="phongvien",
            ip_address="203.0.113.7",
            user_agent="Mozilla/5.0 (Linux; Android 14)",
            http_accept="text/html",
            path_info="/admin/login/",
            locked_out=True,
        )
        # A colleague who signs in with two factors (the walkers themselves do not).
        colleague = make_user("bientap2", EDITOR)
        TOTPDevice.objects.create(user=colleague, name="Ứng dụng xác thực", confirmed=True)
        recovery = StaticDevice.objects.create(user=colleague, name="Mã dự phòng")
        StaticToken.objects.create(device=recovery, token="abcd2345")
    return {"live": live, "draft": draft, "submitted": submitted}


def model_pages(user, newsroom):
    """For each registered model `user` may see: its list, add form, and, where the list links
    its rows to their pages, the change form, history and delete confirmation of a row."""
    pages = []
    request = RequestFactory().get(reverse("admin:index"))
    request.user = user
    for model, model_admin in admin.site._registry.items():
        if not model_admin.has_view_or_change_permission(request):
            continue
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        pages.append(reverse(f"{name}_changelist"))
        if model_admin.has_add_permission(request):
            pages.append(reverse(f"{name}_add"))
        links = model_admin.get_list_display_links(request, model_admin.get_list_display(request))
        row = model_admin.get_queryset(request).order_by("pk").last()
        if links and row is not None and model_admin.has_view_or_change_permission(request, row):
            pages.append(reverse(f"{name}_change", args=[row.pk]))
            pages.append(reverse(f"{name}_history", args=[row.pk]))
            if model_admin.has_delete_permission(request, row):
                pages.append(reverse(f"{name}_delete", args=[row.pk]))
    return pages


def first_pages(user, newsroom):
    live, draft = newsroom["live"], newsroom["draft"]
    pages = [
        reverse("admin:index"),
        reverse("admin:password_change"),
        reverse("staff:two-factor"),
        reverse("staff:turn-on"),
        reverse("admin:articles_article_revisions", args=[live.pk]),
        reverse("admin:articles_article_revisions", args=[draft.pk]),
        reverse("admin:articles_article_change", args=[draft.pk]),
        reverse("admin:articles_article_history", args=[live.pk]),
        # Pages some roles may not open: they must say so in Vietnamese too.
        reverse("admin:auth_user_changelist"),
        reverse("admin:axes_accessattempt_changelist"),
        reverse("admin:articles_articleforreview_changelist"),
        reverse("admin:articles_scheduledarticle_changelist"),
        reverse("admin:app_list", args=["auth"]),
    ]
    return pages + model_pages(user, newsroom)


def walk(client, start):
    """Open `start` and the admin pages they link to (one step further), once each; returns
    {path: (status, shown text)}."""
    admin_root = reverse("admin:index")
    seen, pages = set(), {}
    queue = [(path, 0) for path in start]
    while queue and len(pages) < MOST_PAGES:
        path, depth = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        if response.status_code in (301, 302):
            target = urlsplit(response["Location"]).path
            if target.startswith(admin_root):
                queue.append((target, depth))
            continue
        assert response.status_code in (200, 403, 404), (path, response.status_code)
        text, links = read_page(response.content.decode())
        pages[path] = (response.status_code, text)
        if depth >= 1:
            continue
        for href in links:
            parts = urlsplit(href)
            if parts.netloc or parts.query or not parts.path.startswith(admin_root):
                continue
            if not NOT_WALKED.search(parts.path):
                queue.append((parts.path, depth + 1))
    return pages


@pytest.mark.parametrize("role", ["reporter", "editor", "superuser"])
def test_every_admin_page_speaks_vietnamese(request, role, newsroom, settings):
    settings.LANGUAGE_CODE = "vi"
    user = request.getfixturevalue(role)
    client = Client()
    client.force_login(user)

    pages = walk(client, first_pages(user, newsroom))

    assert len(pages) >= 15
    found = {}  # each English phrase and where, once
    for path, (_status, text) in pages.items():
        for english in english_in(text) + plural_counts_in(text):
            found.setdefault(english, path)
    assert not found, "English on the admin's pages:\n" + "\n".join(
        f"{path}: {english}" for english, path in found.items()
    )


def test_the_pages_around_signing_in_speak_vietnamese(client, reporter, settings):
    settings.LANGUAGE_CODE = "vi"
    texts = {"login": read_page(client.get(reverse("admin:login")).content.decode())[0]}
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("admin:login"), {"username": "phongvien", "password": "sai"})
    locked = client.post(reverse("admin:login"), {"username": "phongvien", "password": "sai"})
    assert locked.status_code == 429
    texts["locked out"] = read_page(locked.content.decode())[0]
    client.force_login(reporter)
    texts["password changed"] = read_page(
        client.get(reverse("admin:password_change_done")).content.decode()
    )[0]
    texts["logged out"] = read_page(client.post(reverse("admin:logout")).content.decode())[0]

    found = {name: english_in(text) for name, text in texts.items() if english_in(text)}
    assert not found, found


def test_the_word_list_finds_english_and_leaves_vietnamese_alone():
    assert english_in("Chọn Các nhóm Show counts") and english_in("2 entries")
    assert english_in("ACCESS ATTEMPTS") and english_in("Can add bài viết")
    text, _links = read_page(
        '<p>Bài viết <a href="/admin/add/" title="Thêm">Thêm</a></p>'
        '<input type="submit" value="Lưu"><input type="text" value="Save">'
        "<script>var Delete = 1;</script><textarea>Search</textarea>"
    )
    assert text == "Bài viết Thêm Thêm Lưu"
    assert not english_in(text)
    assert not english_in(
        "Cần can thiệp: phóng viên đăng nhập sai. Địa chỉ email, mã QR, IP, TOTP, OTP."
    )


# The catalogues ---------------------------------------------------------------------------------

SITE_PACKAGES = Path(django.__file__).parent.parent
OUR_CATALOGUES = Path(settings.LOCALE_PATHS[0]) / "vi" / "LC_MESSAGES"
DJANGO_CATALOGUES = [
    ("django/contrib/admin", "django"),
    ("django/contrib/admin", "djangojs"),
    ("django/contrib/auth", "django"),
    ("django/contrib/contenttypes", "django"),
]
# Messages of Django's own catalogue that no staff page shows: language names, the page of a
# fresh project, the debugging pages.
NEVER_SHOWN = re.compile(r"conf/global_settings\.py|default_urlconf\.html|technical_")
# Messages whose Vietnamese is the same text.
SAME_IN_VIETNAMESE = {
    "IPv4", "IPv6", "Email", "…", "%(truncated_text)s…", ":?.!", ":", ", ",
    "%(class_name)s %(instance)s", "%(size)d byte", "%s KB", "%s MB", "%s GB", "%s TB", "%s PB",
}  # fmt: skip


def po_entries(path):
    """Each entry of a .po file: {"msgctxt", "msgid", "msgid_plural", "msgstr" or "msgstr[0]",
    "refs": where it is used}."""
    entries, entry, key = [], {}, None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if line.startswith("#:"):
            entry["refs"] = entry.get("refs", "") + line[2:]
        elif line.startswith(("msgctxt ", "msgid ", "msgid_plural ", "msgstr")):
            key, _, value = line.partition(" ")
            entry[key] = ast.literal_eval(value)
        elif line.startswith('"') and key:
            entry[key] += ast.literal_eval(line)
        elif not line.strip() and entry:
            if entry.get("msgid"):
                entries.append(entry)
            entry, key = {}, None
    return entries


def po_messages(path):
    """(context, message, plural, where it is used) of each message of a .po file."""
    return [
        (entry.get("msgctxt"), entry["msgid"], entry.get("msgid_plural"), entry.get("refs", ""))
        for entry in po_entries(path)
    ]


def marked_messages(package):
    """(None, message, None, file) of each constant string a package's code marks for
    translation (django-axes and django-otp ship no English catalogue)."""
    marking = {"_", "gettext", "gettext_lazy", "gettext_noop"}
    messages = []
    for path in sorted(Path(package.__file__).parent.rglob("*.py")):
        if {"migrations", "tests"} & set(path.parts):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", getattr(node.func, "attr", None)) in marking
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
                and node.args[0].value
            ):
                messages.append((None, node.args[0].value, None, path.name))
    return messages


def untranslated(messages, domain):
    catalogue = trans_real.DjangoTranslation("vi", domain=domain)
    missing = []
    for context, message, plural, refs in messages:
        if NEVER_SHOWN.search(refs) and not re.search(r"contrib/|forms/|core/", refs):
            continue
        if message in SAME_IN_VIETNAMESE:
            continue
        if plural:
            shown = (
                catalogue.npgettext(context, message, plural, 2)
                if context
                else catalogue.ngettext(message, plural, 2)
            )
            translated = shown not in (message, plural)
        else:
            shown = catalogue.pgettext(context, message) if context else catalogue.gettext(message)
            translated = shown != message
        if not translated:
            missing.append(message)
    return missing


@pytest.mark.parametrize("folder, domain", DJANGO_CATALOGUES)
def test_every_message_of_djangos_admin_has_its_vietnamese(folder, domain):
    english = SITE_PACKAGES / folder / "locale" / "en" / "LC_MESSAGES" / f"{domain}.po"
    assert untranslated(po_messages(english), domain) == []


def test_the_messages_of_forms_and_dates_have_their_vietnamese():
    english = SITE_PACKAGES / "django" / "conf" / "locale" / "en" / "LC_MESSAGES" / "django.po"
    shown = [m for m in po_messages(english) if not NEVER_SHOWN.search(m[3])]
    assert untranslated(shown, "django") == []


@pytest.mark.parametrize("package", [axes, django_otp], ids=["axes", "django_otp"])
def test_every_message_of_the_login_protection_has_its_vietnamese(package):
    assert untranslated(marked_messages(package), "django") == []


def test_the_compiled_catalogues_match_their_sources():
    """The .mo files are kept in the repository (a machine may lack gettext): each says what
    its .po says. After changing a .po: `manage.py compilemessages -l vi --ignore=.venv`."""
    for domain in ("django", "djangojs"):
        source = OUR_CATALOGUES / f"{domain}.po"
        with (OUR_CATALOGUES / f"{domain}.mo").open("rb") as compiled:
            catalogue = gettext.GNUTranslations(compiled)._catalog
        entries = po_entries(source)
        assert entries
        for entry in entries:
            key = entry["msgid"]
            if entry.get("msgctxt"):
                key = f"{entry['msgctxt']}\x04{key}"
            if entry.get("msgid_plural"):
                assert catalogue[(key, 0)] == entry["msgstr[0]"], key
            else:
                assert catalogue[key] == entry["msgstr"], key
        assert len(catalogue) == len(entries) + 1  # and the header
