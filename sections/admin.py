from django.contrib import admin

from .models import Section


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "parent", "position", "slug"]
    list_editable = ["position"]
    list_filter = ["parent"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    list_select_related = ["parent"]

    class Media:
        # Django's slug JavaScript spells "đ" as "dj"; this makes it "d" (newsroom/slugs.py).
        js = ["newsroom/admin/urlify_vi.js"]
