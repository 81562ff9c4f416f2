from datetime import timedelta

from django.core.cache import cache
from django.core.management.base import BaseCommand
from django.utils import timezone

from articles.workflow import refresh_published

LAST_RUN_KEY = "newsroom:refresh-published:last-run"
FIRST_LOOK_BACK = timedelta(minutes=10)


class Command(BaseCommand):
    help = (
        "Làm mới những gì phụ thuộc vào bài đã đến giờ xuất bản hoặc gỡ (chạy mỗi phút, "
        "chạy lại không sao). Việc bạn đọc thấy bài không phụ thuộc vào lệnh này."
    )

    def handle(self, *args, **options):
        now = timezone.now()
        since = cache.get(LAST_RUN_KEY) or now - FIRST_LOOK_BACK
        count = refresh_published(since=since, until=now)
        cache.set(LAST_RUN_KEY, now, timeout=None)
        self.stdout.write(f"{count} bài đến giờ xuất bản hoặc gỡ từ {since:%H:%M:%S}.")
