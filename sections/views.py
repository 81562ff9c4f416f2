from django.shortcuts import get_object_or_404
from django.views import generic

from articles.models import Article

from .models import Section


class SectionDetailView(generic.ListView):
    """A section's live articles, newest first."""

    template_name = "sections/section_detail.html"
    context_object_name = "articles"
    paginate_by = 20

    def get(self, request, *args, **kwargs):
        self.section = get_object_or_404(
            Section.objects.select_related("parent").prefetch_related("children"),
            slug=kwargs["slug"],
        )
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return Article.objects.live().in_section(self.section).newest_first().for_listing()

    def get_context_data(self, **kwargs):
        return super().get_context_data(section=self.section, **kwargs)
