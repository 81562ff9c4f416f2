"""Restore the whole site from an archive made by backup_site: the database, then the media files.

An archive is trusted no further than backup_site's own output. Nothing changes until it has
proved whole and safe: every member a plain file with a relative name inside the archive's
layout, only rows of the models backup_site saves (SAVED: sections, articles and their tables,
users and roles), the database here migrated as far as the one backed up and, unless --replace
is given, holding no article. Article bodies and photo captions are cleaned again on the way in,
as saving them would clean them; only image files in MEDIA_ROOT's photo folders are restored.

The order of the work lets a failure at any step leave the site as it was:
1. the media files are staged in a temporary folder beside MEDIA_ROOT;
2. one transaction replaces the database, is checked against the manifest's counts, and then
   swaps the staged photo folders (images/, renditions/, uploads/) into MEDIA_ROOT just before
   it commits: should anything fail, the commit included, the swap is undone;
3. after the commit, the old photo folders are removed and our cache keys are retired (the
   content version moves on, rankings and buffered views go), never the whole cache.
"""

import gzip
import json
import os
import shutil
import tarfile
import tempfile
import zlib
from pathlib import Path, PurePosixPath

import redis
from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor

from articles.models import Article
from articles.richtext import sanitize_html
from backups.management.commands.backup_site import (
    DATA,
    FORMAT,
    MANIFEST,
    MEDIA,
    MEDIA_FOLDERS,
    SAVED,
)
from masthead import identity
from newsroom.pagecache import content_changed
from newsroom.text import plain_text
from photos.cleaning import validate_image_file
from popularity import counting, rankings

CHUNK = 1024 * 1024
DAMAGED = (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile)
# Format 1 archives also kept the admin's log: its rows are left out, never loaded.
DROPPED_FROM_FORMAT = {1: {"admin.logentry"}}
# Models that have moved to another app since an archive's format was written.
MOVED_BEFORE_FORMAT_3 = {
    "articles.image": "photos.image",
    "articles.viewbucket": "popularity.viewbucket",
    # Never in an archive (LEFT_OUT), but a group may hold rights over them.
    "articles.bufferedview": "popularity.bufferedview",
    "articles.flushedbatch": "popularity.flushedbatch",
}
RENAMED_IN_FORMAT = {1: MOVED_BEFORE_FORMAT_3, 2: MOVED_BEFORE_FORMAT_3}
# Groups and users name their permissions by natural key (codename, app, model): those of the
# moved models name their new app. Before format 3, changing anyone's photo came with editing
# anyone's article; the right of its own (photos.change_any_image) is given to whoever had that.
PERMISSION_FIELDS = {"auth.group": "permissions", "auth.user": "user_permissions"}
EDIT_ANY_ARTICLE = ["edit_any_article", "articles", "article"]
CHANGE_ANY_PHOTO = ["change_any_image", "photos", "image"]
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".gif"}
# Fields cleaned again on the way in (loaddata saves rows raw, without the model's save()).
ARTICLE_DERIVED = ("body", "body_text", "search_title", "search_text", "lead_image_caption")
PLAIN_TEXT = {"photos.image": ("caption", "credit", "alt_text")}
MEDIA_NAMES = {
    "photos.image": ("file",),
    "articles.author": ("photo",),
    "masthead.masthead": ("logo",),
}
# most_viewed()'s cache keys (popularity/rankings.py): article ids that may name others now.
RANKING_KEYS = "newsroom:most-viewed:*"


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
        and manifest.get("format") in (1, 2, FORMAT)
        and isinstance(manifest.get("counts"), dict)
    ):
        raise CommandError(
            f"manifest.json không theo định dạng {FORMAT} (hoặc 1, 2) của backup_site. "
            "Không có gì thay đổi."
        )
    if manifest.get("files") != len(media):
        raise CommandError(
            f"Tệp sao lưu có {len(media)} tệp ảnh, manifest.json ghi {manifest.get('files')}. "
            "Không có gì thay đổi."
        )
    dropped = DROPPED_FROM_FORMAT.get(manifest["format"], set())
    renamed = RENAMED_IN_FORMAT.get(manifest["format"], {})
    counts = {
        renamed.get(label, label): n
        for label, n in manifest["counts"].items()
        if label not in dropped
    }
    refuse_foreign(counts)
    manifest["counts"] = counts
    return manifest


def refuse_foreign(labels):
    if foreign := sorted(set(labels) - set(SAVED)):
        raise CommandError(
            f"Tệp sao lưu có dữ liệu không thuộc Newsroom ({', '.join(foreign)}): chỉ khôi phục "
            "chuyên mục, bài viết và các bảng của chúng, người dùng và nhóm quyền. "
            "Không có gì thay đổi."
        )


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


# The rows -------------------------------------------------------------------------------------


def is_media_name(name):
    """A stored file name that stays inside MEDIA_ROOT's photo folders."""
    path = PurePosixPath(name)
    return (
        not path.is_absolute()
        and ".." not in path.parts
        and "\\" not in name
        and len(path.parts) > 1
        and path.parts[0] in MEDIA_FOLDERS
    )


def clean_fields(label, fields):
    """Clean one row's fields as the model's save() would (loaddata skips save())."""
    if label == "articles.article":
        article = Article(
            title=fields.get("title") or "",
            sapo=fields.get("sapo") or "",
            body=fields.get("body") or "",
            status=fields.get("status"),
            publish_at=fields.get("publish_at"),
            lead_image_caption=fields.get("lead_image_caption") or "",
        )
        article.derive_fields()
        fields.update({name: getattr(article, name) for name in ARTICLE_DERIVED})
    elif label == "articles.revision":
        fields["body"] = sanitize_html(fields.get("body"))
    elif label == "masthead.masthead":
        check_masthead(fields)
    for name in PLAIN_TEXT.get(label, ()):
        fields[name] = plain_text(fields.get(name))
    names = [fields.get(name) for name in MEDIA_NAMES.get(label, ())]
    if label == "photos.image":
        names += [entry[2] for kind in (fields.get("renditions") or {}).values() for entry in kind]
    if bad := [name for name in names if name and not is_media_name(name)]:
        raise ValueError(f"tên tệp không hợp lệ {bad[0]!r}")


def check_masthead(fields):
    """The masthead's words and links stand on every page: they must pass the checks the
    admin's form makes (a social link is https on its own network, never javascript:). Raises
    ValueError, which refuses the archive."""
    model = apps.get_model("masthead", "Masthead")
    checked = {field.name for field in model._meta.concrete_fields} - {"id", "logo"}
    masthead = model(**{name: value for name, value in fields.items() if name in checked})
    try:
        masthead.full_clean(exclude=["id", "logo"], validate_unique=False)
    except ValidationError as error:
        raise ValueError("; ".join(error.messages)) from error


def carry_permissions_over(fields, name, renamed):
    """Name the permissions of models `renamed` since the archive was written under their new
    app, and add the photo right that came with editing anyone's article."""
    permissions = []
    for codename, app_label, model in fields.get(name) or []:
        app_label = renamed.get(f"{app_label}.{model}", f"{app_label}.{model}").split(".")[0]
        permissions.append([codename, app_label, model])
    if EDIT_ANY_ARTICLE in permissions and CHANGE_ANY_PHOTO not in permissions:
        permissions.append(CHANGE_ANY_PHOTO)
    fields[name] = permissions


def clean_rows(source, target, *, dropped, renamed):
    """Copy the archive's rows from `source` to `target`, each cleaned, refusing the archive
    when a row belongs to a model outside SAVED. Rows of `dropped` models are left out;
    those of models `renamed` since load under their new label."""
    with source.open(encoding="utf-8") as rows, target.open("w", encoding="utf-8") as out:
        for number, line in enumerate(rows, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                label = row["model"]
                if label in dropped:
                    continue
                label = row["model"] = renamed.get(label, label)
                refuse_foreign([label])
                if renamed and label in PERMISSION_FIELDS:
                    carry_permissions_over(row["fields"], PERMISSION_FIELDS[label], renamed)
                clean_fields(label, row["fields"])
            except CommandError:
                raise
            except (ValueError, TypeError, KeyError, AttributeError, IndexError) as error:
                raise CommandError(
                    f"Dòng {number} của {DATA} không đọc được ({error}). Không có gì thay đổi."
                ) from error
            out.write(json.dumps(row, ensure_ascii=False) + "\n")


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


# The media files ------------------------------------------------------------------------------


def media_root():
    """MEDIA_ROOT's real folder, made if it is missing."""
    root = Path(settings.MEDIA_ROOT).resolve()
    root.mkdir(parents=True, exist_ok=True)
    return root


def staging_folder(root):
    """A new private folder beside `root`, on its file system so that its folders can be renamed
    into `root`; inside `root` (hidden) when `root` is a mount point."""
    beside = os.stat(root).st_dev == os.stat(root.parent).st_dev
    parent, prefix = (root.parent, f".{root.name}-khoi-phuc-") if beside else (root, ".khoi-phuc-")
    return Path(tempfile.mkdtemp(dir=parent, prefix=prefix))


def is_image(path):
    try:
        with path.open("rb") as file:
            validate_image_file(file)
    except Exception:  # Pillow raises many kinds of error for broken files
        return False
    return True


def stage_media(archive, members, root):
    """Write the archive's photos into a staging folder: only image files (by their name and by
    Pillow) inside the photo folders. Returns the folder and the names skipped."""
    staging = staging_folder(root)
    skipped = []
    try:
        for member in members:
            parts = PurePosixPath(member.name).parts[1:]
            if not (
                is_media_name("/".join(parts))
                and PurePosixPath(*parts).suffix.lower() in IMAGE_SUFFIXES
            ):
                skipped.append(member.name)
                continue
            target = staging.joinpath(*parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("xb") as out:  # "x": a name given twice in the archive is an error
                shutil.copyfileobj(archive.extractfile(member), out, CHUNK)
            if not is_image(target):
                target.unlink()
                skipped.append(member.name)
                continue
            # The mode uploads get (the web server may read them as another user).
            os.chmod(target, settings.FILE_UPLOAD_PERMISSIONS or 0o644)
            os.utime(target, (member.mtime, member.mtime))
    except OSError as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise CommandError(
            f"Không chuẩn bị được tệp ảnh ({error}). Không có gì thay đổi."
        ) from error
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return staging, skipped


class MediaSwap:
    """Each photo folder of MEDIA_ROOT exchanged for the staged one, by renames that undo()
    reverses. The rest of MEDIA_ROOT, and the folder itself (perhaps a mount point), stay."""

    def __init__(self, staging, root):
        self.staging, self.root = staging, root
        self.aside = staging.with_name(staging.name + "-cu")
        self.moves = []
        self.kept = False

    def move(self, source, target):
        if source.exists():
            os.rename(source, target)
            self.moves.append((source, target))

    def swap(self):
        try:
            self.aside.mkdir()
            for folder in MEDIA_FOLDERS:
                self.move(self.root / folder, self.aside / folder)
                self.move(self.staging / folder, self.root / folder)
        except BaseException:
            self.undo()
            raise

    def undo(self):
        while self.moves:
            source, target = self.moves[-1]
            os.rename(target, source)
            self.moves.pop()

    def clean_up(self):
        """Remove the staging folder, and the folders set aside once the swap is kept or fully
        undone (were an undo to fail, the old photos would still be there, under `aside`)."""
        shutil.rmtree(self.staging, ignore_errors=True)
        if self.kept or not self.moves:
            shutil.rmtree(self.aside, ignore_errors=True)


# The cache ------------------------------------------------------------------------------------


def forget_cached_content(stderr):
    """Retire what our caches say about the site replaced, and nothing else in them: the Redis
    database may be shared. Pages and fragments carry the content version, which moves on;
    rankings name article ids, and views waiting in the buffer too, which may be others' now.
    (A worker's own memory keeps rankings for at most rankings.RANKING_CACHE_SECONDS.)"""
    content_changed()
    identity.forget()
    try:
        counting.view_buffer().clear()
        cache = caches["default"]
        if isinstance(cache, RedisCache):
            client = cache._cache.get_client(write=True)
            keys = list(client.scan_iter(match=cache.make_key(RANKING_KEYS), count=1000))
            if keys:
                client.delete(*keys)
    except redis.RedisError as error:
        stderr.write(
            f"Không xoá được bảng xếp hạng và lượt xem chờ trong Redis ({error}): bảng xếp hạng "
            f"tự hết hạn sau {rankings.RANKING_CACHE_SECONDS} giây."
        )


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
                original, data = Path(work, "archive-" + DATA), Path(work, DATA)
                with original.open("wb") as out:
                    shutil.copyfileobj(archive.extractfile(DATA), out, CHUNK)
                clean_rows(
                    original,
                    data,
                    dropped=DROPPED_FROM_FORMAT.get(manifest["format"], set()),
                    renamed=RENAMED_IN_FORMAT.get(manifest["format"], {}),
                )
                root = media_root()
                staging, skipped = stage_media(archive, media, root)
                self.replace_site(data, manifest, MediaSwap(staging, root), replace=replace)
        forget_cached_content(self.stderr)
        if skipped:
            self.stderr.write(
                f"Bỏ qua {len(skipped)} tệp không phải ảnh trong thư mục ảnh: "
                + ", ".join(skipped[:10])
                + (" ..." if len(skipped) > 10 else "")
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã khôi phục {sum(manifest['counts'].values())} dòng dữ liệu và "
                f"{len(media) - len(skipped)} tệp từ {path} (sao lưu lúc "
                f"{manifest.get('created_at')}, từ {manifest.get('database')})."
            )
        )

    @staticmethod
    def replace_site(data, manifest, media, *, replace):
        """The database and the photo folders, both or neither: the folders are swapped in as
        the last step of the transaction, and swapped back if it does not commit."""
        try:
            with transaction.atomic():
                if replace:
                    call_command("flush", interactive=False, verbosity=0)
                load(data)
                check_counts(manifest["counts"])
                try:
                    media.swap()
                except OSError as error:
                    raise CommandError(
                        f"Không thay được thư mục ảnh trong {media.root} ({error}): đã hoàn tác, "
                        "không có gì thay đổi."
                    ) from error
            media.kept = True
        except BaseException:
            media.undo()
            raise
        finally:
            media.clean_up()
