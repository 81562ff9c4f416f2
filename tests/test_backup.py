"""Backup and restore of the whole site: a round trip gives back the same site, and a restore
that cannot be done right changes nothing."""

import io
import json
import re
import shutil
import stat
import tarfile
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from articles.models import Article, Author, Tag
from backups.management.commands import backup_site
from masthead import identity
from masthead.models import Masthead
from newsroom.pagecache import content_version
from popularity import counting, rankings
from sections.models import Section
from tests.conftest import image_bytes

# Restore replaces the database in a transaction of its own, as it does in production.
pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "mat-khau-dai-1"  # the conftest's staff users


@pytest.fixture
def site(make_article, section, author, editor):
    """A small newsroom: sections and a sub-section, authors (a pen name, and an editor's byline),
    articles with lead photos and their renditions, tags, a draft, views counted and waiting."""
    counting.view_buffer().clear()
    sport = Section.objects.create(name="Thể thao", position=10)
    football = Section.objects.create(name="Bóng đá", parent=sport)
    desk = Author.objects.create(name="Thu Hà", user=editor, bio="Biên tập viên thể thao.")
    now = timezone.now()
    articles = [
        make_article(
            title="Đà Nẵng mở đường dây nóng về an ninh trật tự",
            authors=[author, desk],
        ),
        make_article(
            title="Đội tuyển trẻ thắng trận mở màn ở Đà Nẵng",
            section=football,
            publish_at=now - timedelta(hours=3),
            is_featured=True,
            authors=[desk],
        ),
        make_article(title="Hà Nội thí điểm xe buýt điện", publish_at=now - timedelta(days=2)),
    ]
    danang = Tag.objects.create(name="Đà Nẵng")
    articles[0].tags.add(danang)
    articles[1].tags.add(danang, Tag.objects.create(name="Bóng đá trẻ"))
    draft = make_article(
        title="Đà Nẵng chuẩn bị lễ hội pháo hoa", status=Article.Status.DRAFT, publish_at=None
    )
    for _ in range(3):
        counting.record_view(articles[0].pk)
    counting.flush_views()
    counting.record_view(articles[1].pk)  # still in the buffer when the backup starts
    # The site's own identity, with its logo, as an administrator saved it.
    Masthead.objects.create(
        name="Báo Sông Hàn",
        licence_number="123/GP-BTTTT",
        editor_in_chief="Trần Văn An",
        logo=default_storage.save("masthead/logo.png", ContentFile(image_bytes(size=(240, 60)))),
        logo_width=240,
        logo_height=60,
    )
    identity.forget()
    return SimpleNamespace(
        articles=articles, draft=draft, sport=sport, football=football, author=author
    )


def site_pages(client, site):
    urls = [
        "/",
        site.sport.get_absolute_url(),
        site.football.get_absolute_url(),
        site.articles[1].get_absolute_url(),
        site.author.get_absolute_url(),
        "/tim-kiem/?q=da+nang",
    ]
    pages = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        pages[url] = response.content.decode()
    return pages


def media_files(root):
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in Path(root).rglob("*")
        if path.is_file()
    }


def backup(tmp_path):
    path = tmp_path / "sao-luu.tar.gz"
    call_command("backup_site", str(path), stdout=io.StringIO())
    return path


def restore(path, *args):
    out = io.StringIO()
    call_command("restore_site", str(path), *args, stdout=out)
    return out.getvalue()


def site_state(media_root):
    """What a refused restore must leave as it was."""
    return (
        sorted(Article.objects.values_list("pk", "title", "updated_at")),
        sorted(Section.objects.values_list("pk", "slug")),
        media_files(media_root),
    )


def test_round_trip_gives_back_the_same_site(site, client, media_root, tmp_path):
    path = backup(tmp_path)
    # Read after the backup, which added the view still buffered to the rankings they show.
    pages = site_pages(client, site)
    photos = media_files(media_root)
    assert any(name.startswith("renditions/") for name in photos)

    call_command("flush", interactive=False)
    shutil.rmtree(media_root)
    version = content_version()
    assert "Đã khôi phục" in restore(path)

    assert site_pages(client, site) == pages
    assert "Báo Sông Hàn" in pages["/"] and "123/GP-BTTTT" in pages["/"]
    assert media_files(media_root) == photos
    assert content_version() != version  # no page cached before is served
    # The view still buffered when the backup began was counted into it.
    assert Article.objects.get(pk=site.articles[1].pk).view_count == 1
    assert Article.objects.get(pk=site.articles[0].pk).view_count == 3
    # The draft is back, and still hidden.
    assert Article.objects.get(pk=site.draft.pk).status == Article.Status.DRAFT
    assert client.get(site.draft.get_absolute_url()).status_code == 404
    assert site.draft.title not in client.get("/tim-kiem/?q=phao+hoa").content.decode()
    # Search finds by words, on PostgreSQL through its generated search column.
    assert list(Article.objects.live().search("xe buyt")) == [site.articles[2]]
    # The editor logs in through the admin's form, with the same rights.
    response = client.post(
        "/admin/login/", {"username": "bientap", "password": PASSWORD, "next": "/admin/"}
    )
    assert response.status_code == 302
    assert client.get("/admin/articles/articleforreview/").status_code == 200
    assert Author.objects.get(name="Thu Hà").user.has_perm("articles.publish_article")


def test_archive_holds_the_site_and_nothing_transient(site, client, media_root, tmp_path):
    client.post("/admin/login/", {"username": "bientap", "password": "sai-mat-khau"})
    client.post("/admin/login/", {"username": "bientap", "password": PASSWORD})
    counting.DatabaseBuffer().add(site.articles[0].pk, timezone.now())

    path = backup(tmp_path)

    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # it holds password hashes
    with tarfile.open(path, "r:gz") as archive:
        manifest = json.load(archive.extractfile("manifest.json"))
        data = archive.extractfile("data.jsonl").read().decode()
        names = archive.getnames()
    assert manifest["format"] == 3
    assert manifest["database"] == connection.vendor
    assert manifest["counts"]["articles.article"] == 4
    assert manifest["counts"]["auth.user"] == 1
    assert manifest["files"] == len(media_files(media_root))
    assert sorted(names) == sorted(
        ["data.jsonl", "manifest.json", *(f"media/{name}" for name in media_files(media_root))]
    )
    models = {json.loads(line)["model"] for line in data.splitlines()}
    assert {"articles.article", "popularity.viewbucket", "auth.user", "auth.group"} <= models
    left_out = {"sessions.session", "contenttypes.contenttype", "auth.permission"}
    left_out |= {"admin.logentry"}
    left_out |= {"popularity.bufferedview", "popularity.flushedbatch"}
    assert not models & left_out
    assert not any(model.startswith("axes.") for model in models)
    # The buffered view was flushed into the counts rather than left behind.
    assert Article.objects.get(pk=site.articles[0].pk).view_count == 4


def test_backup_into_a_folder_is_named_by_its_time(site, tmp_path):
    call_command("backup_site", str(tmp_path), stdout=io.StringIO())
    [archive] = tmp_path.glob("newsroom-*.tar.gz")
    assert re.fullmatch(r"newsroom-\d{8}-\d{6}\.tar\.gz", archive.name)


def test_backup_inside_media_root_is_refused(site, media_root):
    with pytest.raises(CommandError, match="MEDIA_ROOT"):
        call_command("backup_site", str(media_root / "sao-luu.tar.gz"), stdout=io.StringIO())
    assert not list(media_root.glob("*.tar.gz"))


def test_rows_made_after_a_restore_get_fresh_ids(site, make_article, media_root, tmp_path):
    path = backup(tmp_path)
    last_ids = {
        model: model.objects.order_by("-pk").values_list("pk", flat=True).first()
        for model in (Article, Section, Tag)
    }
    call_command("flush", interactive=False)
    restore(path)

    article = make_article(title="Bài mới sau khi khôi phục", section=site.sport)
    article.tags.add(Tag.objects.create(name="Khôi phục"))
    section = Section.objects.create(name="Pháp luật")
    assert article.pk > last_ids[Article]
    assert section.pk > last_ids[Section]
    assert article.tags.get().pk > last_ids[Tag]
    assert list(Article.objects.live().search("sau khi khoi phuc")) == [article]


def test_replace_puts_the_backed_up_site_back(site, make_article, media_root, tmp_path):
    path = backup(tmp_path)
    state = site_state(media_root)
    make_article(title="Bài viết sau bản sao lưu")
    site.articles[0].delete()

    restore(path, "--replace")

    assert site_state(media_root)[:2] == state[:2]


def test_restore_over_a_site_with_articles_is_refused_without_replace(
    site, make_article, media_root, tmp_path
):
    path = backup(tmp_path)
    make_article(title="Bài viết sau bản sao lưu")
    state = site_state(media_root)

    with pytest.raises(CommandError, match="--replace"):
        restore(path)

    assert site_state(media_root) == state


def test_failed_backup_leaves_no_archive(site, tmp_path, monkeypatch):
    folder = tmp_path / "sao-luu"
    folder.mkdir()
    earlier = folder / "sao-luu.tar.gz"
    earlier.write_bytes(b"the previous backup")

    every_file = backup_site.media_files

    def disk_full(root):
        yield from every_file(root)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(backup_site, "media_files", disk_full)
    with pytest.raises(CommandError, match="No space left"):
        call_command("backup_site", str(earlier), stdout=io.StringIO())

    assert [path.name for path in folder.iterdir()] == ["sao-luu.tar.gz"]
    assert earlier.read_bytes() == b"the previous backup"


def test_truncated_archive_is_refused(site, media_root, tmp_path):
    whole = backup(tmp_path).read_bytes()
    truncated = tmp_path / "cat-ngang.tar.gz"
    truncated.write_bytes(whole[: len(whole) * 2 // 3])
    state = site_state(media_root)

    with pytest.raises(CommandError, match="bị hỏng hoặc không đầy đủ"):
        restore(truncated, "--replace")

    assert site_state(media_root) == state


@pytest.mark.parametrize("content", [b"", b"Day khong phai tep sao luu."], ids=["empty", "text"])
def test_a_file_that_is_no_archive_is_refused(tmp_path, content):
    path = tmp_path / "sao-luu.tar.gz"
    path.write_bytes(content)
    with pytest.raises(CommandError, match="bị hỏng"):
        restore(path)


def test_missing_archive_is_refused(tmp_path):
    with pytest.raises(CommandError, match="Không tìm thấy"):
        restore(tmp_path / "khong-co.tar.gz")


def rewritten(path, tmp_path, change):
    """A copy of the archive at `path` with `change(members)` applied to its (TarInfo, bytes)."""
    with tarfile.open(path, "r:gz") as archive:
        members = [
            (member, archive.extractfile(member).read() if member.isfile() else b"")
            for member in archive.getmembers()
        ]
    members = change(members)
    copy = tmp_path / "sua-doi.tar.gz"
    with tarfile.open(copy, "w:gz") as archive:
        for member, content in members:
            member.size = len(content) if member.isfile() else 0
            archive.addfile(member, io.BytesIO(content) if member.isfile() else None)
    return copy


def unsafe_member(name, kind=tarfile.REGTYPE, target=""):
    member = tarfile.TarInfo(name)
    member.type, member.linkname = kind, target
    return member, b"ghi de" if kind == tarfile.REGTYPE else b""


@pytest.mark.parametrize(
    "member",
    [
        unsafe_member("../ngoai-thu-muc.txt"),
        unsafe_member("media/../../ngoai-thu-muc.txt"),
        unsafe_member("/tmp/ngoai-thu-muc.txt"),
        unsafe_member("media/images/lien-ket.jpg", tarfile.SYMTYPE, "/etc/passwd"),
        unsafe_member("media/images/lien-ket-cung.jpg", tarfile.LNKTYPE, "data.jsonl"),
    ],
    ids=["parent", "parent-inside-media", "absolute", "symlink", "hard-link"],
)
def test_archive_with_an_unsafe_member_is_refused(site, media_root, tmp_path, member):
    path = rewritten(backup(tmp_path), tmp_path, lambda members: [member, *members])
    state = site_state(media_root)

    with pytest.raises(CommandError, match="không an toàn"):
        restore(path, "--replace")

    assert site_state(media_root) == state
    assert not (tmp_path / "ngoai-thu-muc.txt").exists()
    assert not (media_root.parent / "ngoai-thu-muc.txt").exists()


def edit_manifest(edit):
    def change(members):
        for member, content in members:
            if member.name == "manifest.json":
                manifest = json.loads(content)
                edit(manifest)
                content = json.dumps(manifest).encode()
            yield member, content

    return lambda members: list(change(members))


def test_archive_without_a_manifest_is_refused(site, media_root, tmp_path):
    path = rewritten(
        backup(tmp_path),
        tmp_path,
        lambda members: [(m, c) for m, c in members if m.name != "manifest.json"],
    )
    with pytest.raises(CommandError, match="thiếu manifest.json"):
        restore(path, "--replace")


def test_archive_of_another_format_is_refused(site, media_root, tmp_path):
    path = rewritten(backup(tmp_path), tmp_path, edit_manifest(lambda m: m.update(format=4)))
    state = site_state(media_root)

    with pytest.raises(CommandError, match="định dạng 3"):
        restore(path, "--replace")

    assert site_state(media_root) == state


def test_archive_from_newer_code_is_refused(site, media_root, tmp_path):
    newer = edit_manifest(lambda m: m["migrations"].append("articles.9999_from_the_future"))
    path = rewritten(backup(tmp_path), tmp_path, newer)

    with pytest.raises(CommandError, match="9999_from_the_future"):
        restore(path, "--replace")


def test_rows_that_do_not_match_the_manifest_are_rolled_back(site, media_root, tmp_path):
    def more_articles(manifest):
        manifest["counts"]["articles.article"] += 1

    path = rewritten(backup(tmp_path), tmp_path, edit_manifest(more_articles))
    state = site_state(media_root)

    with pytest.raises(CommandError, match="đã hoàn tác"):
        restore(path, "--replace")

    # The flush and the load were one transaction with the check: all of it is undone.
    assert site_state(media_root) == state


# What an archive may bring in ----------------------------------------------------------------


def edit_rows(edit):
    """A change for rewritten(): `edit(rows)` gets data.jsonl's rows (dicts) and returns them."""

    def change(members):
        for member, content in members:
            if member.name == "data.jsonl":
                rows = [json.loads(line) for line in content.decode().splitlines()]
                content = "".join(json.dumps(row) + "\n" for row in edit(rows)).encode()
            yield member, content

    return lambda members: list(change(members))


def both(*changes):
    def change(members):
        for one in changes:
            members = one(members)
        return members

    return change


def adding(label, row_fields, *, pk=None):
    """Rows and manifest count of one more row of `label`, as a doctored archive would carry."""

    def add(rows):
        row = {"model": label, "fields": row_fields}
        if pk is not None:
            row["pk"] = pk
        return [*rows, row]

    def count(manifest):
        manifest["counts"][label] = manifest["counts"].get(label, 0) + 1

    return both(edit_rows(add), edit_manifest(count))


FORGED_ROWS = {
    "admin-log": (
        "admin.logentry",
        {
            "action_time": "2026-11-01T00:00:00+00:00",
            "user": ["bientap"],
            "content_type": ["articles", "article"],
            "object_id": "1",
            "object_repr": "Bài viết",
            "action_flag": 1,
            "change_message": "<script>alert(1)</script>",
        },
        None,
    ),
    "session": (
        "sessions.session",
        {"session_data": "x", "expire_date": "2030-01-01T00:00:00+00:00"},
        "a" * 32,
    ),
    "content-type": ("contenttypes.contenttype", {"app_label": "khac", "model": "thu"}, None),
    "permission": (
        "auth.permission",
        {"name": "Quyền lạ", "content_type": ["articles", "article"], "codename": "la"},
        None,
    ),
    "login-attempt": (
        "axes.accessattempt",
        {"username": "bientap", "ip_address": "203.0.113.9", "failures_since_start": 1},
        None,
    ),
}


@pytest.mark.parametrize("forged", FORGED_ROWS.values(), ids=FORGED_ROWS.keys())
def test_archive_with_rows_of_another_model_is_refused(site, media_root, tmp_path, forged):
    from django.contrib.admin.models import LogEntry

    label, fields, pk = forged
    path = rewritten(backup(tmp_path), tmp_path, adding(label, fields, pk=pk))
    state = site_state(media_root)

    with pytest.raises(CommandError, match=f"không thuộc Newsroom \\({label}\\)"):
        restore(path, "--replace")

    assert site_state(media_root) == state
    assert not LogEntry.objects.exists()


def test_a_row_of_another_model_is_refused_even_when_the_manifest_hides_it(
    site, media_root, tmp_path
):
    label, fields, pk = FORGED_ROWS["admin-log"]
    path = rewritten(
        backup(tmp_path),
        tmp_path,
        edit_rows(lambda rows: [*rows, {"model": label, "fields": fields}]),
    )
    state = site_state(media_root)

    with pytest.raises(CommandError, match=r"không thuộc Newsroom \(admin.logentry\)"):
        restore(path, "--replace")

    assert site_state(media_root) == state


def test_admin_log_of_a_format_1_archive_is_left_out(site, client, media_root, tmp_path):
    """Archives made before format 2 kept the admin's log: they still restore, without it."""
    from django.contrib.admin.models import LogEntry

    label, fields, _pk = FORGED_ROWS["admin-log"]
    older = both(adding(label, fields), edit_manifest(lambda m: m.update(format=1)))
    path = rewritten(backup(tmp_path), tmp_path, older)
    call_command("flush", interactive=False)

    restore(path)

    assert not LogEntry.objects.exists()
    assert Article.objects.count() == 4


def test_archive_made_before_photos_and_views_moved_apps_restores(
    site, client, media_root, tmp_path, reporter
):
    """Format 2 named photos and view counts articles.image and articles.viewbucket, and so did
    the permissions groups and people held over them; changing anyone's photo came with editing
    anyone's article. Such an archive restores whole, under the apps that hold the models now,
    and nobody loses a right."""
    renamed = {"photos.image": "articles.image", "popularity.viewbucket": "articles.viewbucket"}
    deputy = User.objects.create_user("phobientap", password=PASSWORD, is_staff=True)
    deputy.user_permissions.add(Permission.objects.get(codename="edit_any_article"))

    def as_format_2(rows):
        for row in rows:
            row["model"] = renamed.get(row["model"], row["model"])
            fields = row["fields"]
            for name in ("permissions", "user_permissions"):
                if name in fields:
                    fields[name] = [
                        [
                            codename,
                            renamed.get(f"{app}.{model}", f"{app}.{model}").split(".")[0],
                            model,
                        ]
                        for codename, app, model in fields[name]
                        if codename != "change_any_image"  # new in format 3
                    ]
        return rows

    def manifest_2(manifest):
        manifest["format"] = 2
        manifest["counts"] = {renamed.get(k, k): n for k, n in manifest["counts"].items()}

    state = site_state(media_root)
    rights = {
        group.name: sorted(group.permissions.values_list("content_type__app_label", "codename"))
        for group in Group.objects.all()
    }
    path = rewritten(
        backup(tmp_path), tmp_path, both(edit_rows(as_format_2), edit_manifest(manifest_2))
    )
    call_command("flush", interactive=False)

    restore(path)

    assert site_state(media_root) == state
    assert {
        group.name: sorted(group.permissions.values_list("content_type__app_label", "codename"))
        for group in Group.objects.all()
    } == rights
    assert User.objects.get(username="phobientap").has_perm("photos.change_any_image")
    assert not User.objects.get(username=reporter.username).has_perm("photos.change_any_image")


def test_restore_cleans_bodies_and_captions_again(site, client, media_root, tmp_path):
    from articles.models import Revision
    from articles.richtext import sanitize_html
    from articles.workflow import record_revision
    from photos.models import Image

    article = site.articles[1]
    hostile = '<p onclick="alert(1)">Bàn thắng</p><script>alert(document.cookie)</script>'

    def plant(rows):
        for row in rows:
            if row["model"] == "articles.article" and row["pk"] == article.pk:
                row["fields"]["body"] = hostile
                row["fields"]["body_text"] = "chữ giả"
                row["fields"]["lead_image_caption"] = "<b>Chú thích</b><script>x()</script>"
            if row["model"] == "photos.image" and row["pk"] == article.lead_image_id:
                row["fields"]["caption"] = '<img src=x onerror="alert(1)">Khán đài'
                row["fields"]["alt_text"] = "<i>Cầu thủ</i>"
            if row["model"] == "articles.revision":
                row["fields"]["body"] = hostile
        return rows

    record_revision(article, by=None)
    path = rewritten(backup(tmp_path), tmp_path, edit_rows(plant))
    call_command("flush", interactive=False)

    restore(path)

    restored = Article.objects.get(pk=article.pk)
    assert restored.body == sanitize_html(hostile) == "<p>Bàn thắng</p>"
    assert restored.body_text == "Bàn thắng"
    assert restored.lead_image_caption == "Chú thích"
    photo = Image.objects.get(pk=article.lead_image_id)
    assert (photo.caption, photo.alt_text) == ("Khán đài", "Cầu thủ")
    assert list(Revision.objects.values_list("body", flat=True)) == ["<p>Bàn thắng</p>"]
    page = client.get(restored.get_absolute_url()).content.decode()
    assert "alert(document.cookie)" not in page and 'onclick="alert' not in page


@pytest.mark.parametrize("link", ["javascript:alert(1)", "https://evil.example/facebook"])
def test_a_masthead_link_the_admin_would_refuse_refuses_the_archive(
    site, media_root, tmp_path, link
):
    # The footer shows the masthead's links on every page.
    def plant(rows):
        for row in rows:
            if row["model"] == "masthead.masthead":
                row["fields"]["facebook_url"] = link
        return rows

    path = rewritten(backup(tmp_path), tmp_path, edit_rows(plant))
    state = site_state(media_root)

    with pytest.raises(CommandError, match="không đọc được"):
        restore(path, "--replace")
    assert site_state(media_root) == state


@pytest.mark.parametrize(
    "name", ["../../ngoai-thu-muc.jpg", "/etc/passwd", "khac/anh.jpg"], ids=str
)
def test_a_photo_row_naming_a_file_outside_the_photo_folders_is_refused(
    site, media_root, tmp_path, name
):
    def plant(rows):
        for row in rows:
            if row["model"] == "photos.image":
                row["fields"]["file"] = name
                break
        return rows

    path = rewritten(backup(tmp_path), tmp_path, edit_rows(plant))
    state = site_state(media_root)

    with pytest.raises(CommandError, match="tên tệp không hợp lệ"):
        restore(path, "--replace")

    assert site_state(media_root) == state


def media_member(name, content):
    member = tarfile.TarInfo(f"media/{name}")
    member.mtime = 1_700_000_000
    return member, content


def test_only_images_in_the_photo_folders_are_restored(site, media_root, tmp_path):
    from tests.conftest import image_bytes

    photo = image_bytes(image_format="PNG")
    extra = [
        media_member("uploads/2026/anh-them.png", photo),
        media_member("uploads/trang.html", b"<script>alert(document.cookie)</script>"),
        media_member("uploads/anh-gia.jpg", b"<html><script>alert(1)</script>"),
        media_member("uploads/da-nang.gif.html", photo),  # an image, served as a page
        media_member("khac/anh.png", photo),
        media_member(".htaccess", b"Options +ExecCGI"),
    ]

    def add(members):
        return [*members, *extra]

    path = rewritten(
        backup(tmp_path),
        tmp_path,
        both(add, edit_manifest(lambda m: m.update(files=m["files"] + len(extra)))),
    )
    before = media_files(media_root)
    call_command("flush", interactive=False)
    shutil.rmtree(media_root)
    # What else MEDIA_ROOT holds is not the restore's business: it stays.
    (media_root / "khac").mkdir(parents=True)
    (media_root / "khac" / "ghi-chu.txt").write_text("của người khác")

    err = io.StringIO()
    call_command("restore_site", str(path), stdout=io.StringIO(), stderr=err)

    after = media_files(media_root)
    assert after == {
        **before,
        "uploads/2026/anh-them.png": photo,
        "khac/ghi-chu.txt": "của người khác".encode(),
    }
    assert "Bỏ qua 5 tệp" in err.getvalue()


def test_the_backup_keeps_only_the_photo_folders(site, media_root, tmp_path):
    (media_root / "ghi-chu.txt").write_text("không phải ảnh")
    (media_root / "khac").mkdir()
    (media_root / "khac" / "anh.jpg").write_bytes(b"x")

    with tarfile.open(backup(tmp_path), "r:gz") as archive:
        names = archive.getnames()

    assert "media/ghi-chu.txt" not in names and "media/khac/anh.jpg" not in names
    assert any(name.startswith("media/images/") for name in names)


def test_every_model_of_the_newsroom_is_saved_or_left_out_on_purpose():
    from django.apps import apps

    ours = {
        model._meta.label_lower
        for app in ("sections", "articles")
        for model in apps.get_app_config(app).get_models()
        if not model._meta.proxy
    }
    assert ours <= set(backup_site.SAVED) | backup_site.LEFT_OUT
    assert not set(backup_site.SAVED) & backup_site.LEFT_OUT


# Our cache keys, and only ours ----------------------------------------------------------------


def test_restore_never_empties_a_whole_cache(site, media_root, tmp_path, monkeypatch):
    from django.core.cache import caches
    from django.core.cache.backends.base import BaseCache

    path = backup(tmp_path)
    call_command("flush", interactive=False)
    version = content_version()

    def refuse(self):
        raise AssertionError("a whole cache was emptied")

    with monkeypatch.context() as patch:
        for backend in {BaseCache, *(type(cache) for cache in caches.all())}:
            patch.setattr(backend, "clear", refuse)
        restore(path)

    assert content_version() != version


def test_restore_retires_our_redis_keys_and_leaves_others(site, media_root, tmp_path, settings):
    import redis

    from tests.articles.test_popularity import TEST_REDIS, require_redis

    require_redis()
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "newsroom.cache.RedisCache",
            "LOCATION": TEST_REDIS,
            "KEY_PREFIX": "newsroom",
        },
    }
    settings.REDIS_URL = TEST_REDIS
    server = redis.Redis.from_url(TEST_REDIS)
    path = backup(tmp_path)
    call_command("flush", interactive=False)

    server.set("other:thing", "của ứng dụng khác")
    version = content_version()
    rankings.most_viewed(since=timedelta(days=1))
    ranking_keys = server.keys("newsroom:*most-viewed*")
    assert ranking_keys
    counting.record_view(999_999)  # a view of the site being replaced
    assert server.exists(counting.RedisBuffer.PENDING)
    try:
        restore(path)

        assert server.get("other:thing") == "của ứng dụng khác".encode()
        assert not server.keys("newsroom:*most-viewed*")
        assert not server.exists(counting.RedisBuffer.PENDING)
        assert content_version() != version
    finally:
        server.delete("other:thing")


# A failure at any step leaves the site as it was ---------------------------------------------


@pytest.fixture
def changed_since(site, make_article, media_root, tmp_path):
    """An archive of the site, and the site changed since (an article and its photo added, an
    article deleted): a restore that went through would show."""
    path = backup(tmp_path)
    make_article(title="Bài viết sau bản sao lưu")
    site.articles[0].delete()
    return path


def leftovers(media_root):
    return sorted(p.name for p in media_root.parent.iterdir() if p.name.startswith(".media"))


def assert_failed_restore_changed_nothing(path, media_root, error, match):
    state = site_state(media_root)
    with pytest.raises(error, match=match):
        restore(path, "--replace")
    assert site_state(media_root) == state
    assert leftovers(media_root) == []


def test_failure_while_staging_the_photos_changes_nothing(changed_since, media_root, monkeypatch):
    from backups.management.commands import restore_site

    copied = []
    real_copy = shutil.copyfileobj

    def disk_full(source, target, *args):
        if len(copied) == 3:
            raise OSError(28, "No space left on device")
        copied.append(target)
        return real_copy(source, target, *args)

    monkeypatch.setattr(restore_site.shutil, "copyfileobj", disk_full)
    assert_failed_restore_changed_nothing(changed_since, media_root, CommandError, "No space left")
    assert len(copied) == 3  # data.jsonl and two photos were written


def test_failure_while_loading_the_rows_changes_nothing(changed_since, media_root, monkeypatch):
    from backups.management.commands import restore_site

    real_load = restore_site.load

    def load_then_fail(data):
        real_load(data)
        assert Article.objects.filter(title__startswith="Đà Nẵng mở").exists()  # loaded
        raise CommandError("Không nạp được dữ liệu (lỗi thử)")

    monkeypatch.setattr(restore_site, "load", load_then_fail)
    assert_failed_restore_changed_nothing(changed_since, media_root, CommandError, "lỗi thử")


def test_failure_while_swapping_the_photos_in_changes_nothing(
    changed_since, media_root, monkeypatch
):
    import os

    real_rename = os.rename
    renamed = []

    def rename(source, target):
        renamed.append((Path(source).relative_to(media_root.parent).as_posix(), Path(target).name))
        if len(renamed) == 4:  # photos swapped in; their renditions fail to follow
            raise OSError(5, "Input/output error")
        return real_rename(source, target)

    monkeypatch.setattr(os, "rename", rename)
    assert_failed_restore_changed_nothing(
        changed_since, media_root, CommandError, "Input/output error"
    )
    folders = [(source.split("/")[-1], target) for source, target in renamed]
    assert folders == [
        ("images", "images"),  # the site's photos set aside
        ("images", "images"),  # the archive's put in their place
        ("renditions", "renditions"),
        ("renditions", "renditions"),  # fails
        ("renditions", "renditions"),  # the site's renditions back
        ("images", "images"),  # the archive's photos out
        ("images", "images"),  # the site's photos back
    ]
    assert renamed[0][0] == "media/images" and renamed[-1][0].endswith("-cu/images")


def test_failure_of_the_commit_changes_nothing(changed_since, media_root, monkeypatch):
    from django.db import DatabaseError

    def commit():
        raise DatabaseError("could not commit (injected)")

    monkeypatch.setattr(connection, "commit", commit)
    assert_failed_restore_changed_nothing(
        changed_since, media_root, DatabaseError, "could not commit"
    )


def test_two_factor_sign_in_survives_a_replacing_restore(site, editor, media_root, tmp_path):
    from django_otp.oath import TOTP

    from staff import two_factor

    key = two_factor.new_secret()
    code = TOTP(bytes.fromhex(key)).token()
    device, recovery_codes = two_factor.turn_on(user=editor, key=key, code=f"{code:06d}")
    path = backup(tmp_path)

    restore(path, "--replace")

    # Rows come back by natural key, so the account may have a new id.
    user = type(editor).objects.get(username=editor.username)
    assert two_factor.has_two_factor(user)
    assert type(device).objects.get(user=user).key == key
    assert two_factor.recovery_codes_left(user) == len(recovery_codes)
    assert two_factor.check_code(user=user, code=recovery_codes[0])
