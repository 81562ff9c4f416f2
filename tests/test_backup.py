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
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from articles import popularity
from articles.management.commands import backup_site
from articles.models import Article, Author, Tag
from newsroom.pagecache import content_version
from sections.models import Section

# Restore replaces the database in a transaction of its own, as it does in production.
pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "mat-khau-dai-1"  # the conftest's staff users


@pytest.fixture
def site(make_article, section, author, editor):
    """A small newsroom: sections and a sub-section, authors (a pen name, and an editor's byline),
    articles with lead photos and their renditions, tags, a draft, views counted and waiting."""
    popularity.view_buffer().clear()
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
    for article in articles:
        article.lead_image.make_renditions()
    danang = Tag.objects.create(name="Đà Nẵng")
    articles[0].tags.add(danang)
    articles[1].tags.add(danang, Tag.objects.create(name="Bóng đá trẻ"))
    draft = make_article(
        title="Đà Nẵng chuẩn bị lễ hội pháo hoa", status=Article.Status.DRAFT, publish_at=None
    )
    for _ in range(3):
        popularity.record_view(articles[0].pk)
    popularity.flush_views()
    popularity.record_view(articles[1].pk)  # still in the buffer when the backup starts
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
    popularity.DatabaseBuffer().add(site.articles[0].pk, timezone.now())

    path = backup(tmp_path)

    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # it holds password hashes
    with tarfile.open(path, "r:gz") as archive:
        manifest = json.load(archive.extractfile("manifest.json"))
        data = archive.extractfile("data.jsonl").read().decode()
        names = archive.getnames()
    assert manifest["format"] == 1
    assert manifest["database"] == connection.vendor
    assert manifest["counts"]["articles.article"] == 4
    assert manifest["counts"]["auth.user"] == 1
    assert manifest["files"] == len(media_files(media_root))
    assert sorted(names) == sorted(
        ["data.jsonl", "manifest.json", *(f"media/{name}" for name in media_files(media_root))]
    )
    models = {json.loads(line)["model"] for line in data.splitlines()}
    assert {"articles.article", "articles.viewbucket", "auth.user", "auth.group"} <= models
    left_out = {"sessions.session", "contenttypes.contenttype", "auth.permission"}
    left_out |= {"articles.bufferedview", "articles.flushedbatch"}
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
    path = rewritten(backup(tmp_path), tmp_path, edit_manifest(lambda m: m.update(format=2)))
    state = site_state(media_root)

    with pytest.raises(CommandError, match="định dạng 1"):
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
