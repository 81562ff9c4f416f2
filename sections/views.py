from urllib.parse import urlencode

from django.shortcuts import get_object_or_404, redirect
from django.views import generic

from articles.models import Article
from articles.pagination import ARTICLES_PER_PAGE, NewestPagesPaginator

from .models import Section


class SectionDetailView(generic.ListView):
    """A section's live articles, newest first, its sub-sections' included; 20 a page."""

    template_name = "sections/section_detail.html"
    context_object_name = "articles"
    paginate_by = ARTICLES_PER_PAGE
    paginator_class = NewestPagesPaginator

    def get(self, request, *args, **kwargs):
        self.section = get_object_or_404(
            Section.objects.select_related("parent").with_sub_sections(),
            slug=kwargs["slug"],
        )
        canonical = self.section.get_absolute_url()
        if request.path != canonical:
            # /bong-da/ or /sai-cha/bong-da/: the sub-section lives at /the-thao/bong-da/.
            query = urlencode({"page": request.GET["page"]}) if "page" in request.GET else ""
            return redirect(f"{canonical}?{query}" if query else canonical, permanent=True)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return Article.objects.live().in_section(self.section).newest_first().for_listing()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            section=self.section,
            current_section_id=self.section.parent_id or self.section.pk,
            **kwargs,
        )
