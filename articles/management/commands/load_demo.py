"""Load the demo newsroom: sections, authors, ~70 Vietnamese articles with photos, an admin user.

Safe to run again: what exists (matched by slug, name or title) is left as it is.

The demo log-ins have the passwords README.md prints only with DEBUG on (`make run`). With DEBUG
off (a staging or production configuration) each account gets a random password, printed once;
an account left by a development run with its published password gets a new one.
"""

import io
import json
import random
import secrets
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from PIL import Image as PillowImage
from PIL import ImageDraw

from articles.models import Article, Author, Byline, Tag
from articles.workflow import record_revision
from masthead.demo import fill_demo_masthead
from newsroom.pagecache import content_changed
from newsroom.slugs import slugify_vi
from photos import library
from sections.models import Section
from staff.roles import EDITOR, REPORTER, ensure_roles

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"
# Demo log-ins, printed by the command and README.md: their passwords are set only with DEBUG on.
DEMO_USERS = [
    # (username, password, role, author name, superuser)
    ("admin", "newsroom-demo", None, None, True),
    ("bientap", "bientap-demo", EDITOR, "Thu Hà", False),
    ("phongvien", "phongvien-demo", REPORTER, "Hải Nhi", False),
]

SECTIONS = [
    # (slug, name, parent slug, colour of its demo photos, description)
    (
        "thoi-su",
        "Thời sự",
        None,
        (158, 28, 32),
        "Tin tức thời sự trong nước, chính sách và đời sống.",
    ),
    ("the-gioi", "Thế giới", None, (31, 78, 121), "Tin quốc tế, phân tích và bình luận."),
    (
        "kinh-te",
        "Kinh tế",
        None,
        (27, 110, 74),
        "Doanh nghiệp, thị trường, tài chính và tiêu dùng.",
    ),
    ("bat-dong-san", "Bất động sản", "kinh-te", (94, 111, 36), "Thị trường nhà đất và dự án."),
    ("phap-luat", "Pháp luật", None, (70, 55, 120), "An ninh trật tự, tòa án và tư vấn pháp luật."),
    ("xa-hoi", "Xã hội", None, (171, 92, 20), "Đời sống, dân sinh, giao thông và môi trường."),
    ("giao-duc", "Giáo dục", "xa-hoi", (190, 120, 30), "Trường học, tuyển sinh và du học."),
    ("the-thao", "Thể thao", None, (0, 120, 140), "Thể thao trong nước và quốc tế."),
    ("bong-da", "Bóng đá", "the-thao", (20, 130, 70), "Bóng đá Việt Nam và thế giới."),
    ("van-hoa", "Văn hóa", None, (140, 40, 100), "Văn hóa, nghệ thuật, di sản và lễ hội."),
    (
        "cong-nghe",
        "Công nghệ",
        None,
        (40, 60, 80),
        "Chuyển đổi số, trí tuệ nhân tạo và an ninh mạng.",
    ),
]

AUTHORS = [
    ("Hải Nhi", "Phóng viên mảng an ninh trật tự và phong trào quần chúng ở các tỉnh phía Bắc."),
    ("Minh Khang", "Phóng viên ảnh, theo các sự kiện thời sự và thể thao."),
    ("Thu Hà", "Biên tập viên kinh tế, viết về doanh nghiệp và thị trường tài chính."),
    ("Quốc Việt", "Phóng viên thường trú tại TP Hồ Chí Minh, theo mảng đô thị và giao thông."),
    ("Lan Phương", "Phóng viên văn hóa, viết về di sản, sân khấu và lễ hội."),
    ("Đức Anh", "Phóng viên công nghệ, theo chuyển đổi số và an ninh mạng."),
    ("Ngọc Diệp", "Phóng viên giáo dục và y tế."),
    ("Trần Bình", "Bình luận viên quốc tế và bóng đá."),
]

DRAFT_EVERY = 17  # every 17th demo article stays a draft: four drafts among ~70
LEAD_SIZE = (1200, 675)
FIGURE_SIZE = (1000, 563)


def demo_photo(colour, seed, size):
    """A JPEG made with Pillow: a diagonal wash of the section's colour and a few soft shapes."""
    rng = random.Random(seed)
    width, height = size
    image = PillowImage.new("RGB", size, colour)
    draw = ImageDraw.Draw(image)
    for step in range(0, width + height, 6):
        shade = tuple(min(255, c + step * 90 // (width + height)) for c in colour)
        draw.line([(step, 0), (step - height, height)], fill=shade, width=6)
    for _ in range(7):
        x, y = rng.randrange(width), rng.randrange(height)
        radius = rng.randrange(height // 10, height // 3)
        tint = tuple(min(255, c + rng.randrange(40, 120)) for c in colour)
        draw.ellipse([x - radius, y - radius, x + radius, y + radius], outline=tint, width=8)
    draw.rectangle([0, height - 18, width, height], fill=tuple(c // 2 for c in colour))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=82, optimize=True)
    return buffer.getvalue()


def demo_entries():
    entries = []
    for path in sorted(DEMO_DIR.glob("articles_*.json")):
        entries.extend(json.loads(path.read_text(encoding="utf-8")))
    # A fixed shuffle mixes the sections along the timeline, the same on every run.
    random.Random(2026).shuffle(entries)
    return entries


class Command(BaseCommand):
    help = "Nạp dữ liệu trình diễn: chuyên mục, tác giả, bài viết có ảnh và tài khoản quản trị."

    def add_arguments(self, parser):
        parser.add_argument(
            "--random-passwords",
            action="store_true",
            help="Đặt mật khẩu ngẫu nhiên cho các tài khoản trình diễn (luôn như vậy khi DEBUG "
            "tắt) và in ra một lần.",
        )
        parser.add_argument(
            "--port",
            type=int,
            default=8000,
            help="Cổng của máy chủ phát triển, để in đúng địa chỉ đăng nhập (make truyền PORT).",
        )

    def handle(self, *args, random_passwords=False, port=8000, **options):
        # Anyone can read the README's passwords: a site that may face the internet never gets them.
        random_passwords = random_passwords or not settings.DEBUG
        with transaction.atomic():
            sections = self.load_sections()
            authors = self.load_authors()
            users, passwords = self.ensure_users(authors, random_passwords=random_passwords)
            created = self.load_articles(sections, authors, reporter=users["phongvien"])
            fill_demo_masthead()  # name, logo, press licence, contacts and the demo notice
        content_changed()  # pages cached before the demo was loaded are stale
        live = Article.objects.live().count()
        self.stdout.write(
            self.style.SUCCESS(
                f"Dữ liệu trình diễn: {len(sections)} chuyên mục, {len(authors)} tác giả, "
                f"{Article.objects.count()} bài viết ({live} đang hiện); thêm mới {created} bài."
            )
        )
        self.write_logins(passwords, random_passwords=random_passwords, port=port)

    def write_logins(self, passwords, *, random_passwords, port=8000):
        if not random_passwords:
            self.stdout.write(
                f"Đăng nhập quản trị tại http://127.0.0.1:{port}/admin/ (chỉ cho máy trình diễn):"
            )
            for username, password, role, _author, _superuser in DEMO_USERS:
                label = role or "Quản trị toàn quyền"
                self.stdout.write(f"  {label}: tài khoản “{username}”, mật khẩu “{password}”")
            return
        self.stdout.write(
            "Đăng nhập quản trị tại /admin/. Mật khẩu ngẫu nhiên chỉ hiện lần này: hãy lưu lại."
        )
        for username, _published, role, _author, _superuser in DEMO_USERS:
            label = role or "Quản trị toàn quyền"
            if username in passwords:
                self.stdout.write(
                    f"  {label}: tài khoản “{username}”, mật khẩu “{passwords[username]}”"
                )
            else:
                self.stdout.write(f"  {label}: tài khoản “{username}” giữ mật khẩu đang có.")

    def load_sections(self):
        sections = {}
        for position, (slug, name, parent_slug, _colour, description) in enumerate(SECTIONS):
            section, _ = Section.objects.get_or_create(
                slug=slug,
                defaults={
                    "name": name,
                    "parent": sections.get(parent_slug),
                    "position": position * 10,
                    "description": description,
                },
            )
            sections[slug] = section
        return sections

    def load_authors(self):
        authors = {}
        for name, bio in AUTHORS:
            author, _ = Author.objects.get_or_create(
                slug=slugify_vi(name), defaults={"name": name, "bio": bio}
            )
            authors[name] = author
        return authors

    def load_articles(self, sections, authors, *, reporter):
        entries = demo_entries()
        existing = set(
            Article.objects.filter(title__in=[e["title"] for e in entries]).values_list(
                "title", flat=True
            )
        )
        colours = {slug: colour for slug, _name, _parent, colour, _desc in SECTIONS}
        now = timezone.now()
        rng = random.Random(11)
        live_entries = [e for i, e in enumerate(entries) if i % DRAFT_EVERY != DRAFT_EVERY - 1][1:]
        span = timedelta(days=29, hours=20)
        created = 0
        submitted = Article.objects.filter(status=Article.Status.SUBMITTED).exists()
        for index, entry in enumerate(entries):
            if entry["title"] in existing:
                continue
            if index == 0:
                status, publish_at = (
                    Article.Status.PUBLISHED,
                    (now + timedelta(days=1)).replace(minute=0, second=0, microsecond=0),
                )
            elif index % DRAFT_EVERY == DRAFT_EVERY - 1:
                status, publish_at = Article.Status.DRAFT, None
            else:
                # Newest about an hour ago, oldest nearly 30 days back.
                rank = live_entries.index(entry)
                age = timedelta(hours=1) + span * rank / max(1, len(live_entries) - 1)
                jitter = timedelta(minutes=rng.randrange(0, 40))
                status, publish_at = Article.Status.PUBLISHED, now - age - jitter
            article = self.create_article(
                entry, index, status, publish_at, sections, authors, colours
            )
            if status == Article.Status.DRAFT:
                # The reporter's drafts; the first waits in the editors' review queue.
                article.created_by = reporter
                if not submitted:
                    article.status, article.submitted_at = Article.Status.SUBMITTED, now
                    submitted = True
                article.save()
            created += 1
        return created

    def create_article(self, entry, index, status, publish_at, sections, authors, colours):
        slug = slugify_vi(entry["title"], max_length=200)
        colour = colours[entry["section"]]
        lead = library.store(
            ContentFile(demo_photo(colour, index, LEAD_SIZE), name=f"{slug}.jpg"),
            by=None,
            caption=entry["lead_caption"],
            credit=entry["lead_credit"],
            alt_text=entry["lead_alt"],
        )
        figure_path = default_storage.save(
            f"uploads/demo/{slug}-anh.jpg",
            ContentFile(demo_photo(colour, index + 1000, FIGURE_SIZE)),
        )
        article = Article.objects.create(
            title=entry["title"],
            sapo=entry["sapo"],
            body=self.body_html(entry, default_storage.url(figure_path)),
            section=sections[entry["section"]],
            lead_image=lead,
            status=status,
            publish_at=publish_at,
            is_featured=entry.get("featured", False),
        )
        article.extra_sections.set(sections[slug] for slug in entry.get("extra_sections", []))
        article.tags.set(Tag.objects.get_or_create(name=name)[0] for name in entry["tags"])
        Byline.objects.bulk_create(
            Byline(article=article, author=authors[name], position=position)
            for position, name in enumerate(entry["authors"])
        )
        record_revision(article, by=None)
        return article

    @staticmethod
    def body_html(entry, figure_url):
        paragraphs = [f"<p>{escape(text)}</p>" for text in entry["paragraphs"]]
        width, height = FIGURE_SIZE
        figure = (
            f'<figure class="image"><img alt="{escape(entry["figure_alt"])}" src="{figure_url}" '
            f'width="{width}" height="{height}"><figcaption>{escape(entry["figure_caption"])} '
            f"<em>{escape(entry['figure_credit'])}</em></figcaption></figure>"
        )
        paragraphs.insert(min(2, len(paragraphs)), figure)
        return "\n".join(paragraphs)

    @staticmethod
    def ensure_users(authors, *, random_passwords):
        """The demo's superuser, editor and reporter (linked to their byline), made once.

        Returns the users by name, and the passwords set by this run. With `random_passwords`,
        an account that still has its published password (a development run made it) gets a
        random one too.
        """
        groups = ensure_roles(Group, Permission)
        user_model = get_user_model()
        users, passwords = {}, {}
        for username, published, role, author_name, superuser in DEMO_USERS:
            password = secrets.token_urlsafe(12) if random_passwords else published
            user = user_model.objects.filter(username=username).first()
            if user is None:
                make = (
                    user_model.objects.create_superuser
                    if superuser
                    else user_model.objects.create_user
                )
                user = make(username, f"{username}@example.com", password, is_staff=True)
                passwords[username] = password
                if role:
                    user.groups.add(groups[role])
            elif random_passwords and user.check_password(published):
                user.set_password(password)
                user.save(update_fields=["password"])
                passwords[username] = password
            if author_name and authors[author_name].user_id is None:
                authors[author_name].user = user
                authors[author_name].save(update_fields=["user"])
            users[username] = user
        return users, passwords
