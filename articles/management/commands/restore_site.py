"""Restore the whole site from an archive made by backup_site: the database, then the media files.

Nothing changes until the archive has proved whole and safe (every member a plain file with a
relative name inside the archive's layout), the database here is migrated as far as the one
backed up, and, unless --replace is given, holds no article. The database is then replaced in
one transaction that is rolled back unless every table ends up with the rows the manifest
counted. Media files are put in place after it commits, each under a temporary name first.
"""

import gzip
import json
import os
import shutil
import tarfile
import tempfile
import zlib
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor

from articles.management.commands.backup_site import DATA, FORMAT, MANIFEST, MEDIA
from articles.models import Article
from newsroom.pagecache import content_changed

CHUNK = 1024 * 1024
DAMAGED = (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile)


def open_archive(path):
    """The archive, once it is known to be whole: gzip checks its length and CRC at the end of
    the stream, so a truncated or damaged file is refused here, before anything changes."""
    archive = None
    try:
        with gzip.open(path) as stream:
            while stream.read(CHUNK):
                pass
        archive = tarfile.open(path, "r:gz")  # noqa: SIM115 (the caller's `with` closes it)
        archive.getmembers()  # every header, read now: an error still means a damaged file
        return archive
    except DAMAGED as error:
        if archive is not None:
            archive.close()
        raise CommandError(
            f"Tệp sao lưu {path} bị hỏng hoặc không đầy đủ ({error}). Không có gì thay đổi."
        ) from error


def media_members(archive):
    """The archive's media files, once every member has proved safe to restore: a plain file or
    folder, a relative name without '..', and only manifest.json, data.jsonl and media/..."""
    media, found = [], set()
    for member in archive.getmembers():
        name = PurePosixPath(member.name)
        if name.is_absolute() or ".." in name.parts or not (member.isfile() or member.isdir()):
            raise CommandError(
                f"Tệp sao lưu có mục không an toàn: {member.name!r} (đường dẫn tuyệt đối, '..' "
                "hoặc liên kết). Không có gì thay đổi."
            )
        if not member.isfile():
            continue  # folders are made as their files need them
        if member.name in (MANIFEST, DATA):
            found.add(member.name)
        elif name.parts[:1] == (MEDIA,) and len(name.parts) > 1:
            media.append(member)
        else:
            raise CommandError(f"Tệp sao lưu có mục lạ: {member.name!r}. Không có gì thay đổi.")
    if missing := {MANIFEST, DATA} - found:
        raise CommandError(
            f"Tệp sao lưu thiếu {', '.join(sorted(missing))}: đây không phải tệp do backup_site "
            "tạo, hoặc tệp không đầy đủ. Không có gì thay đổi."
        )
    return media


def read_manifest(archive, media):
    try:
        manifest = json.load(archive.extractfile(MANIFEST))
    except ValueError as error:
        raise CommandError(f"Không đọc được manifest.json: {error}.") from error
    if not (
        isinstance(manifest, dict)
        and manifest.get("format") == FORMAT
        and isinstance(manifest.get("counts"), dict)
    ):
        raise CommandError(
            f"manifest.json không theo định dạng {FORMAT} của backup_site. Không có gì thay đổi."
        )
    if manifest.get("files") != len(media):
        raise CommandError(
            f"Tệp sao lưu có {len(media)} tệp ảnh, manifest.json ghi {manifest.get('files')}. "
            "Không có gì thay đổi."
        )
    return manifest


def check_schema(manifest):
    """The database here must be migrated, and know every migration the backup's database had:
    rows from a newer version of the code would not load."""
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise CommandError("Cơ sở dữ liệu chưa được cập nhật: hãy chạy `manage.py migrate` trước.")
    here = {f"{app}.{name}" for app, name in executor.loader.applied_migrations}
    installed = {config.label for config in apps.get_app_configs()}
    newer = [
        migration
        for migration in manifest.get("migrations", [])
        if migration.split(".")[0] in installed and migration not in here
    ]
    if newer:
        raise CommandError(
            f"Bản sao lưu được tạo bởi phiên bản mới hơn của Newsroom (có {', '.join(newer)}): "
            "hãy cập nhật mã nguồn và chạy `manage.py migrate` rồi khôi phục lại."
        )


def load(data):
    try:
        call_command("loaddata", str(data), verbosity=0)
    except Exception as error:
        # A fixture fails in many ways (damaged JSON, a field this code lacks, a broken key);
        # each means the same here: this archive does not load, and the transaction rolls back.
        raise CommandError(f"Không nạp được dữ liệu của bản sao lưu: {error}") from error


def check_counts(counts):
    """Raise (so the transaction rolls back) unless each table holds the rows the backup had."""
    wrong = []
    for label, expected in sorted(counts.items()):
        try:
            found = apps.get_model(label)._base_manager.count()
        except LookupError:  # a model this code no longer has: loaddata refused any rows of it
            found = 0
        if found != expected:
            wrong.append(f"{label} có {found} dòng, bản sao lưu có {expected}")
    if wrong:
        raise CommandError(
            "Dữ liệu nạp vào không khớp bản sao lưu (" + "; ".join(wrong) + "), đã hoàn tác. "
            "Nếu cơ sở dữ liệu đã có dữ liệu khác, chạy lại với --replace."
        )


def put_in_place(archive, member, root):
    """Write one media file under a temporary name, then rename it: no one is served half."""
    target = root.joinpath(*PurePosixPath(member.name).parts[1:])
    target.parent.mkdir(parents=True, exist_ok=True)
    descriptor, partial = tempfile.mkstemp(dir=target.parent, prefix=".restore-")
    try:
        with os.fdopen(descriptor, "wb") as out:
            shutil.copyfileobj(archive.extractfile(member), out, CHUNK)
        # The mode uploads get (mkstemp's 0600 would hide the photo from the web server).
        os.chmod(partial, settings.FILE_UPLOAD_PERMISSIONS or 0o644)
        os.utime(partial, (member.mtime, member.mtime))
        os.replace(partial, target)
    finally:
        if os.path.exists(partial):
            os.unlink(partial)


class Command(BaseCommand):
    help = (
        "Khôi phục toàn bộ trang từ tệp do backup_site tạo: cơ sở dữ liệu rồi tệp ảnh. "
        "Từ chối ghi đè cơ sở dữ liệu đã có bài viết, trừ khi có --replace."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="Tệp .tar.gz do backup_site tạo.")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Xóa toàn bộ dữ liệu đang có rồi thay bằng bản sao lưu.",
        )

    def handle(self, *args, path, replace=False, **options):
        path = Path(path)
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp sao lưu {path}.")
        with open_archive(path) as archive:
            media = media_members(archive)
            manifest = read_manifest(archive, media)
            check_schema(manifest)
            if not replace and (articles := Article.objects.count()):
                raise CommandError(
                    f"Cơ sở dữ liệu đang có {articles} bài viết. Khôi phục sẽ xóa toàn bộ dữ liệu "
                    "hiện có: chạy lại với --replace nếu chắc chắn. Không có gì thay đổi."
                )
            with tempfile.TemporaryDirectory() as work:
                data = Path(work, DATA)
                with data.open("wb") as out:
                    shutil.copyfileobj(archive.extractfile(DATA), out, CHUNK)
                with transaction.atomic():
                    if replace:
                        call_command("flush", interactive=False, verbosity=0)
                    load(data)
                    check_counts(manifest["counts"])
            root = Path(settings.MEDIA_ROOT)
            for member in media:
                put_in_place(archive, member, root)
        # Pages, fragments and rankings kept from before describe another site. (With Redis this
        # also drops views buffered for it: their ids may name other articles now.) Workers keep
        # fragments in their own memory too: the new content version retires those.
        for cache in caches.all():
            cache.clear()
        content_changed()
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã khôi phục {sum(manifest['counts'].values())} dòng dữ liệu và {len(media)} "
                f"tệp từ {path} (sao lưu lúc {manifest.get('created_at')}, "
                f"từ {manifest.get('database')})."
            )
        )
