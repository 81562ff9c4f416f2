import time

from django.core.management.base import BaseCommand
from django.db import DatabaseError, connection

from popularity.counting import flush_views


class Command(BaseCommand):
    help = (
        "Ghi các lượt xem đang chờ vào bảng thống kê theo giờ/ngày. Chạy mỗi 30 giây "
        "(--every 30) hoặc từ cron mỗi phút; chạy song song hay chạy lại đều không đếm trùng."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--every", type=float, default=0, help="Lặp lại sau ngần ấy giây (0: chạy một lần)."
        )

    def handle(self, *args, every=0, **options):
        while True:
            try:
                written = flush_views()
            except DatabaseError as error:
                if not every:
                    raise
                # The database is away (a restart): the views wait in their buffer for the
                # next round, on a fresh connection.
                self.stderr.write(f"Chưa ghi được lượt xem, sẽ thử lại: {error}")
                connection.close()
            else:
                # Looping, a quiet round says nothing: every few seconds all day long.
                if written or not every:
                    self.stdout.write(f"Đã ghi {written} lượt xem.")
            if not every:
                return
            time.sleep(every)
