"""Photos and view counts now belong to their own apps (photos/migrations/0001_initial.py,
popularity/migrations/0001_initial.py): the articles app lets go of the models, in Django's state
only. The tables, their rows and the lead photo's foreign key stay as they are."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0011_integrity"),
        ("photos", "0001_initial"),
        ("popularity", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="article",
                    name="lead_image",
                    field=models.ForeignKey(
                        blank=True,
                        help_text="Ảnh lớn đầu bài, hiện cùng chú thích và nguồn ảnh.",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="lead_of",
                        to="photos.image",
                        verbose_name="ảnh đại diện",
                    ),
                ),
                migrations.DeleteModel(name="BufferedView"),
                migrations.DeleteModel(name="FlushedBatch"),
                migrations.DeleteModel(name="ViewBucket"),
                migrations.DeleteModel(name="Image"),
            ],
            database_operations=[],
        ),
    ]
