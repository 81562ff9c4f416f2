"""Back up the whole site into one .tar.gz: the database as Django fixtures, and the media files.

The archive holds `data.jsonl` (what `dumpdata --format jsonl --natural-foreign --natural-primary`
writes for the models in SAVED, one row a line, loadable by `loaddata` into a freshly migrated
database of either vendor), `media/...` (every file under MEDIA_ROOT's photo folders) and
`manifest.json` (what restore_site checks). It is written under a temporary name and renamed
when complete: an archive at PATH is whole.
"""

import datetime
import json
import os
import tarfile
import tempfile
import time
from contextlib import contextmanager
from io import BytesIO
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from popularity.counting import flush_views

# 2: only the models in SAVED (format 1 also kept the admin's log, admin.logentry).
# 3: photos and view counts under their own apps' labels (before: articles.image and
# articles.viewbucket; restore_site reads both).
FORMAT = 3
MANIFEST = "manifest.json"
DATA = "data.jsonl"
MEDIA = "media"
# The rows an archive keeps, and the only ones restore_site loads: the newsroom's own content and
# the accounts that write it (users and roles carry their groups and permissions by name). Named
# one by one, so that a doctored archive cannot plant rows of anything else on restore: admin log
# entries, sessions, content types, login attempts, another app's tables.
SAVED = (
    "auth.group",
    "auth.user",
    # Staff's two-factor devices and recovery codes: without them a restore would quietly turn
    # two-factor sign-in off for everyone. (The archive already holds password hashes: it is
    # readable by its owner only.)
    "otp_totp.totpdevice",
    "otp_static.staticdevice",
    "otp_static.statictoken",
    "sections.section",
    "photos.image",
    "articles.tag",
    "articles.author",
    "articles.article",
    "articles.byline",
    "articles.relatedarticle",
    "articles.transition",
    "articles.revision",
    "articles.correction",
    "articles.deletedarticle",
    "articles.previewgrant",
    "popularity.viewbucket",
    # The site's name, licence and contacts (the header and footer), with its logo.
    "masthead.masthead",
)
# Our models that are not content: BufferedView is emptied by flush_views() just before the dump,
# and FlushedBatch only guards a Redis batch for the seconds of its flush. (Content types and
# permissions are made again by `migrate`; natural keys point at them.)
LEFT_OUT = {"popularity.bufferedview", "popularity.flushedbatch"}
# MEDIA_ROOT's folders: photos and their renditions, the body editor's uploads, the site's logo.
MEDIA_FOLDERS = ("images", "renditions", "uploads", "masthead")


def saved_models():
    """The models whose rows the archive keeps."""
    return [apps.get_model(label) for label in SAVED]


class ExactJSONEncoder(DjangoJSONEncoder):
    """Times to the microsecond. Django's encoder keeps milliseconds (JavaScript's precision):
    articles published within one millisecond would swap places in lists, and every time a page
    prints in `datetime="..."` would change."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


def rows_of(model):
    """Its rows in id order, with their many-to-many values (an article's tags, a user's groups)
    read for 2,000 rows at a time rather than in a query for each row."""
    many = [
        field.name
        for field in model._meta.many_to_many
        if field.remote_field.through._meta.auto_created
    ]
    rows = model._base_manager.order_by(model._meta.pk.name).prefetch_related(*many)
    return rows.iterator(chunk_size=2000)


def dump(models, out):
    """Every row of `models` as JSON lines, as `dumpdata --natural-foreign --natural-primary`
    writes them (users, groups and content types by name, so that they match those of the
    database restored into), with exact times."""
    ordered = serializers.sort_dependencies([(None, models)], allow_cycles=True)
    rows = (row for model in ordered for row in rows_of(model))
    serializers.serialize(
        "jsonl",
        rows,
        stream=out,
        use_natural_foreign_keys=True,
        use_natural_primary_keys=True,
        cls=ExactJSONEncoder,
    )


def applied_migrations():
    applied = MigrationRecorder(connection).applied_migrations()
    return sorted(f"{app}.{name}" for app, name in applied)


@contextmanager
def snapshot():
    """One transaction that sees the database as it was when it began: rows written while the
    backup runs cannot leave, say, a byline whose article the dump missed. (SQLite gives that to
    any transaction; PostgreSQL's default isolation does not.)"""
    if connection.in_atomic_block:  # called inside a transaction already: it is the snapshot
        yield
        return
    # A connection health check runs a query: let it run before the transaction starts.
    connection.close_if_health_check_failed()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def media_files(root):
    """(path, name in the archive) of every regular file in `root`'s MEDIA_FOLDERS, in a stable
    order. Links are left out: they may point outside MEDIA_ROOT, and restore_site refuses them."""
    root = Path(root)
    for top in MEDIA_FOLDERS:
        for folder, dirs, files in os.walk(root / top):
            dirs.sort()
            for name in sorted(files):
                path = Path(folder, name)
                if path.is_file() and not path.is_symlink():
                    yield path, f"{MEDIA}/{path.relative_to(root).as_posix()}"


def write_archive(path, data, manifest):
    """Write the archive beside `path` under a temporary name, then rename it into place.
    Returns how many media files it holds."""
    # Private to its owner (mkstemp's 0600): the archive holds password hashes and emails.
    descriptor, partial = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    partial = Path(partial)
    try:
        with os.fdopen(descriptor, "wb") as raw:
            # Photos are compressed already: a lighter level than gzip's 9 saves much time.
            with tarfile.open(fileobj=raw, mode="w:gz", compresslevel=6) as archive:
                archive.add(data, arcname=DATA)
                files = 0
                for file, name in media_files(settings.MEDIA_ROOT):
                    try:
                        archive.add(file, arcname=name)
                    except FileNotFoundError:  # deleted since its folder was read
                        continue
                    files += 1
                manifest["files"] = files
                encoded = json.dumps(manifest, indent=2, ensure_ascii=False).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mtime = len(encoded), int(time.time())
                archive.addfile(info, BytesIO(encoded))
            raw.flush()
            os.fsync(raw.fileno())
        partial.replace(path)
    except OSError as error:
        raise CommandError(f"Không ghi được bản sao lưu {path}: {error}") from error
    finally:
        partial.unlink(missing_ok=True)
    return files


class Command(BaseCommand):
    help = (
        "Sao lưu toàn bộ trang (cơ sở dữ liệu và tệp ảnh trong MEDIA_ROOT) vào một tệp .tar.gz; "
        "khôi phục bằng lệnh restore_site."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path", help="Tệp .tar.gz sẽ ghi, hoặc một thư mục (tệp được đặt tên theo giờ)."
        )

    def handle(self, *args, path, **options):
        started = time.monotonic()
        path = self.archive_path(Path(path))
        # Views still waiting in the buffer go into the counts first, so the backup has them.
        flush_views()
        # The dump waits beside the archive, where there is room for it (/tmp may be in memory).
        with tempfile.TemporaryDirectory(dir=path.parent, prefix=".backup-") as work:
            data = Path(work, DATA)
            models = saved_models()
            with snapshot():
                counts = {model._meta.label_lower: model._base_manager.count() for model in models}
                with data.open("w", encoding="utf-8") as out:
                    dump(models, out)
                migrations = applied_migrations()
            manifest = {
                "format": FORMAT,
                "created_at": timezone.now().isoformat(),
                "database": connection.vendor,
                "migrations": migrations,
                "counts": counts,
            }
            files = write_archive(path, data, manifest)
        size = path.stat().st_size / 1024 / 1024
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã sao lưu {sum(counts.values())} dòng dữ liệu và {files} tệp vào {path} "
                f"({size:.1f} MB, {time.monotonic() - started:.1f} giây)."
            )
        )

    @staticmethod
    def archive_path(path):
        if path.is_dir():
            path = path / f"newsroom-{timezone.localtime():%Y%m%d-%H%M%S}.tar.gz"
        path = path.resolve()
        if not path.parent.is_dir():
            raise CommandError(f"Thư mục {path.parent} không tồn tại.")
        if path.is_relative_to(Path(settings.MEDIA_ROOT).resolve()):
            # Everything under MEDIA_ROOT is served to the public, and the archive holds
            # password hashes; it would also end up inside the next backup.
            raise CommandError("Không lưu bản sao lưu trong MEDIA_ROOT: ai cũng tải được tệp ở đó.")
        return path
