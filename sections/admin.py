from django.contrib import admin

from newsroom.admin import CheckedInputAdmin
from newsroom.pagecache import InvalidatesPagesAdmin
from newsroom.slugs import ADMIN_SLUG_SCRIPTS

from .models import Section


@admin.register(Section)
class SectionAdmin(CheckedInputAdmin, InvalidatesPagesAdmin, admin.ModelAdmin):
    list_display = ["name", "parent", "position", "slug"]
    list_editable = ["position"]
    list_filter = ["parent"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    list_select_related = ["parent"]

    class Media:
        js = ADMIN_SLUG_SCRIPTS
