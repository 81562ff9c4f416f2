"""Photos move from the articles app to their own. The table stays where it is, with every row
(`db_table`); only Django's idea of which app holds the model changes, and the content type with
its permissions follows, so that every role keeps its rights over photos."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import photos.cleaning

MOVED = ["image"]


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
    move_content_types(apps, MOVED, "articles", "photos")


def backwards(apps, schema_editor):
    move_content_types(apps, MOVED, "photos", "articles")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("articles", "0011_integrity"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Image',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('file', models.ImageField(height_field='height', help_text='JPEG, PNG, WebP hoặc GIF; tối đa 15 MB.', upload_to=photos.cleaning.lead_image_path, validators=[photos.cleaning.validate_image_file], verbose_name='tệp ảnh', width_field='width')),
                        ('caption', models.CharField(blank=True, help_text='Câu mô tả hiện dưới ảnh, ví dụ: “Thiếu tướng A phát biểu tại hội nghị.”', max_length=500, verbose_name='chú thích')),
                        ('credit', models.CharField(blank=True, help_text='Tác giả hoặc nguồn của ảnh, ví dụ: “Ảnh: Hải Nhi”.', max_length=200, verbose_name='nguồn ảnh')),
                        ('alt_text', models.CharField(help_text='Mô tả ngắn nội dung ảnh cho người khiếm thị và máy tìm kiếm.', max_length=300, verbose_name='mô tả thay thế')),
                        ('width', models.PositiveIntegerField(editable=False, null=True, verbose_name='rộng (px)')),
                        ('height', models.PositiveIntegerField(editable=False, null=True, verbose_name='cao (px)')),
                        ('renditions', models.JSONField(blank=True, default=dict, editable=False, help_text='Các cỡ WebP và JPEG đã tạo sẵn cho trang đọc.', verbose_name='các cỡ ảnh')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='tải lên lúc')),
                        ('uploaded_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người tải lên')),
                    ],
                    options={
                        'verbose_name': 'ảnh',
                        'verbose_name_plural': 'ảnh',
                        'db_table': 'articles_image',
                        'ordering': ['-created_at'],
                        'permissions': [('change_any_image', 'Sửa mọi ảnh, kể cả ảnh của người khác')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards),
    ]
