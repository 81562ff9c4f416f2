"""Store the size of photos saved without it (by `load_demo` and `generate_articles` before
this release). Django reads the size from the file each time such a row is loaded: a file
opened for every page that shows the photo, and a server error once the file is missing."""

import logging

from django.core.files.images import get_image_dimensions
from django.db import migrations

logger = logging.getLogger(__name__)


def store_dimensions(apps, schema_editor):
    Image = apps.get_model("articles", "Image")
    storage = Image._meta.get_field("file").storage
    # values_list: loading the rows as models would read every size from its file first.
    missing = Image.objects.filter(width__isnull=True).exclude(file="")
    for pk, name in missing.values_list("pk", "file").iterator():
        try:
            with storage.open(name) as photo:
                width, height = get_image_dimensions(photo)
        except OSError:
            logger.warning("Photo %s (%s) cannot be read; its size stays unknown", pk, name)
            continue
        Image.objects.filter(pk=pk).update(width=width, height=height)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0008_constraint_messages"),
    ]

    operations = [
        migrations.RunPython(store_dimensions, migrations.RunPython.noop, elidable=True),
    ]
