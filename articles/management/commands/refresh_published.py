import time
from datetime import timedelta

from django.core.cache import cache
from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections, connection
from django.utils import timezone

from articles.workflow import refresh_published
from newsroom.formats import vi_datetime

LAST_RUN_KEY = "newsroom:refresh-published:last-run"
FIRST_LOOK_BACK = timedelta(minutes=10)


class Command(BaseCommand):
    help = (
        "Làm mới những gì phụ thuộc vào bài đã đến giờ xuất bản hoặc gỡ. Chạy mỗi 30 giây "
        "(--every 30) hoặc từ cron mỗi phút; chạy lại không sao. Việc bạn đọc thấy bài không "
        "phụ thuộc vào lệnh này."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--every", type=float, default=0, help="Lặp lại sau ngần ấy giây (0: chạy một lần)."
        )

    def handle(self, *args, every=0, **options):
        if not every:
            self.stdout.write(self.report(*self.refresh()))
            return
        self.stdout.write(f"Kiểm tra bài đến giờ xuất bản hoặc gỡ mỗi {every:g} giây.")
        while True:
            try:
                # A connection kept from the last round is checked before use
                # (CONN_HEALTH_CHECKS) and replaced if the database went away in between.
                close_old_connections()
                count, since = self.refresh()
            except DatabaseError as error:
                # The database is away (a restart): the window stays open from the last good
                # round, so the next one still notices what fell in it.
                self.stderr.write(f"Chưa làm mới được, sẽ thử lại: {error}")
                connection.close()
            else:
                # A quiet round is the usual case: only what changed is worth a line.
                if count:
                    self.stdout.write(self.report(count, since))
            time.sleep(every)

    @staticmethod
    def refresh():
        """Note what fell due since the last run (or FIRST_LOOK_BACK); returns how many
        articles did, and since when."""
        now = timezone.now()
        since = cache.get(LAST_RUN_KEY) or now - FIRST_LOOK_BACK
        count = refresh_published(since=since, until=now)
        cache.set(LAST_RUN_KEY, now, timeout=None)
        return count, since

    @staticmethod
    def report(count, since):
        return f"{count} bài đến giờ xuất bản hoặc gỡ từ {vi_datetime(since, 'time')}."
