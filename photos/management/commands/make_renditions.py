from django.core.management.base import BaseCommand

from newsroom.pagecache import content_changed
from photos import library
from photos.models import Image


class Command(BaseCommand):
    help = "Tạo các cỡ ảnh (WebP, JPEG) cho ảnh chưa có; --all để tạo lại tất cả."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Tạo lại cả ảnh đã có các cỡ.")

    def handle(self, *args, all=False, **options):
        images = Image.objects.order_by("pk")
        if not all:
            images = images.filter(renditions={})
        made = 0
        for image in images.iterator():
            library.make_renditions(image)
            made += 1
        if made:
            content_changed()  # pages cached before point at the original files
        self.stdout.write(self.style.SUCCESS(f"Đã tạo các cỡ cho {made} ảnh."))
