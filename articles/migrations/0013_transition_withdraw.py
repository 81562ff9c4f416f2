"""A reporter may withdraw a submission back to draft (articles.workflow.withdraw), and an editor
may set, change or clear the unpublish time of a published article (set_unpublish_time): the
history records those steps as "Rút về nháp" and "Hẹn giờ gỡ". Only the choices change; no row
does."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0012_photos_and_view_counts_moved"),
    ]

    operations = [
        migrations.AlterField(
            model_name="transition",
            name="action",
            field=models.CharField(
                choices=[
                    ("submit", "Gửi duyệt"),
                    ("withdraw", "Rút về nháp"),
                    ("return", "Trả lại phóng viên"),
                    ("publish", "Xuất bản"),
                    ("schedule", "Lên lịch xuất bản"),
                    ("unpublish", "Gỡ bài"),
                    ("set_unpublish_time", "Hẹn giờ gỡ"),
                    ("feature", "Đưa lên tin nổi bật"),
                    ("unfeature", "Bỏ khỏi tin nổi bật"),
                    ("correct", "Đính chính"),
                    ("restore", "Khôi phục phiên bản"),
                ],
                max_length=30,
                verbose_name="thao tác",
            ),
        ),
    ]
