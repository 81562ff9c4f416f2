"""View counts move from the articles app to their own. The tables stay where they are, with
every row (`db_table`); only Django's idea of which app holds the models changes, and their
content types and permissions follow."""

import django.db.models.deletion
from django.db import migrations, models

MOVED = ["viewbucket", "bufferedview", "flushedbatch"]


def move_content_types(apps, models, from_app, to_app):
    """Give the moved models' content types (and with them their permissions, and so every
    group's and person's rights) to the app that holds the models now."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    for model in models:
        old = ContentType.objects.filter(app_label=from_app, model=model).first()
        if old is None:
            continue
        new = ContentType.objects.filter(app_label=to_app, model=model).first()
        if new is None:
            old.app_label = to_app
            old.save(update_fields=["app_label"])
            continue
        # Both exist (the new one made by an earlier, interrupted run): keep the new one,
        # with every right the old one's permissions gave.
        for permission in Permission.objects.filter(content_type=old):
            twin = Permission.objects.filter(content_type=new, codename=permission.codename).first()
            if twin is None:
                permission.content_type = new
                permission.save(update_fields=["content_type"])
                continue
            twin.group_set.add(*permission.group_set.all())
            twin.user_set.add(*permission.user_set.all())
            permission.delete()
        # Whatever else names the old content type (the admin's history of these objects)
        # follows to the new one: deleting the old one would leave it pointing nowhere.
        for relation in old._meta.related_objects:
            if relation.one_to_many:
                relation.related_model._base_manager.filter(
                    **{relation.field.name: old}
                ).update(**{relation.field.name: new})
        old.delete()


def forwards(apps, schema_editor):
    move_content_types(apps, MOVED, "articles", "popularity")


def backwards(apps, schema_editor):
    move_content_types(apps, MOVED, "popularity", "articles")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("articles", "0011_integrity"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='FlushedBatch',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('batch', models.CharField(max_length=64, unique=True)),
                        ('flushed_at', models.DateTimeField(auto_now_add=True)),
                    ],
                    options={
                        'verbose_name': 'lô lượt xem đã ghi',
                        'verbose_name_plural': 'lô lượt xem đã ghi',
                        'db_table': 'articles_flushedbatch',
                    },
                ),
                migrations.CreateModel(
                    name='BufferedView',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('article_id', models.BigIntegerField()),
                        ('hour', models.DateTimeField()),
                        ('views', models.PositiveBigIntegerField(default=1)),
                    ],
                    options={
                        'verbose_name': 'lượt xem chờ ghi',
                        'verbose_name_plural': 'lượt xem chờ ghi',
                        'db_table': 'articles_bufferedview',
                        'constraints': [models.UniqueConstraint(fields=('article_id', 'hour'), name='buffered_view_unique')],
                    },
                ),
                migrations.CreateModel(
                    name='ViewBucket',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('granularity', models.CharField(choices=[('h', 'giờ'), ('d', 'ngày')], max_length=1)),
                        ('period_start', models.DateTimeField()),
                        ('views', models.PositiveBigIntegerField(default=0)),
                        ('article', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='view_buckets', to='articles.article')),
                    ],
                    options={
                        'verbose_name': 'lượt xem theo giờ/ngày',
                        'verbose_name_plural': 'lượt xem theo giờ/ngày',
                        'db_table': 'articles_viewbucket',
                        'ordering': ['-period_start'],
                        'indexes': [models.Index(fields=['granularity', 'period_start', 'article', 'views'], name='view_bucket_window_idx')],
                        'constraints': [models.UniqueConstraint(fields=('article', 'granularity', 'period_start'), name='view_bucket_unique')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards),
    ]
