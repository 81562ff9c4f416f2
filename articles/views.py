from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.http import (
    Http404,
    HttpResponse,
)
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views import generic
from django.views.decorators.http import require_GET

from sections.context_processors import menu_sections
from sections.models import Section

from . import workflow
from .models import Article, Author, Tag
from .pagination import ARTICLES_PER_PAGE, NewestPagesPaginator, SearchResultsPaginator
from .previews import granted_article_id

FEATURED_COUNT = 5
LATEST_COUNT = 8
PER_SECTION_BLOCK = 4
SEARCH_MAX_LENGTH = 200


class HomeView(generic.TemplateView):
    """Tin nổi bật, the latest news, and a block for each section of the menu."""

    template_name = "articles/home.html"

    def get_context_data(self, **kwargs):
        live = Article.objects.live()
        featured = list(live.featured().newest_first().for_listing()[:FEATURED_COUNT])
        newest = list(live.newest_first().for_listing()[: FEATURED_COUNT + LATEST_COUNT])
        # Too few picks: fill "Tin nổi bật" with the newest; the latest list skips what is above.
        featured += [a for a in newest if a not in featured][: FEATURED_COUNT - len(featured)]
        latest = [a for a in newest if a not in featured][:LATEST_COUNT]
        top_section_of = live.newest_per_section(PER_SECTION_BLOCK)
        by_section = {}
        for article in live.filter(pk__in=list(top_section_of)).newest_first().for_listing():
            by_section.setdefault(top_section_of[article.pk], []).append(article)
        section_blocks = [
            (section, by_section[section.pk])
            for section in menu_sections(self.request)
            if section.pk in by_section
        ]
        return super().get_context_data(
            featured=featured, latest=latest, section_blocks=section_blocks, **kwargs
        )


class ArticleDetailView(generic.DetailView):
    context_object_name = "article"

    def get_queryset(self):
        # One query; the body, bylines, tags and corrections are read by the page's fragments
        # only when they are built (see article_detail.html).
        return Article.objects.live().for_listing()

    def get_context_data(self, **kwargs):
        section = self.object.section
        return super().get_context_data(
            current_section_id=section.parent_id or section.pk, **kwargs
        )

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        if self.object.slug != kwargs["slug"]:
            # An old or mistyped slug: send readers and search engines to the current address.
            return redirect(self.object, permanent=True)
        return self.render_to_response(self.get_context_data(object=self.object))


class ArticlePreviewView(ArticleDetailView):
    """An article as readers will see it, whatever its state, under a "not published" banner.

    Staff who may open the article in the admin use /xem-truoc/<id>/; anyone holding a link an
    editor made (articles/previews.py) uses /xem-truoc/k/<token>/ until it expires or is revoked.
    Never cached, never indexed, and it names only the public address (article_detail.html).
    """

    def get_queryset(self):
        return Article.objects.select_related("section__parent", "lead_image")

    def get_object(self, queryset=None):
        if "token" in self.kwargs:
            article_id = granted_article_id(self.kwargs["token"])
            if article_id is None:
                raise Http404("Liên kết xem trước không hợp lệ, đã hết hạn hoặc đã bị thu hồi.")
            return get_object_or_404(self.get_queryset(), pk=article_id)
        article = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        if not workflow.can_view(self.request.user, article):
            raise Http404
        return article

    def get(self, request, *args, **kwargs):
        if "pk" in kwargs and not request.user.is_staff:
            return redirect_to_login(request.get_full_path(), reverse("admin:login"))
        self.object = self.get_object()
        response = self.render_to_response(self.get_context_data(object=self.object))
        add_never_cache_headers(response)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    def get_context_data(self, **kwargs):
        return super().get_context_data(preview=True, **kwargs)


class ArticleListView(generic.ListView):
    """A paginated list of live articles below a heading object (an author, a tag)."""

    paginate_by = ARTICLES_PER_PAGE
    paginator_class = NewestPagesPaginator
    context_object_name = "articles"
    heading_model = None

    def get_heading(self):
        return get_object_or_404(self.heading_model, slug=self.kwargs["slug"])

    def get(self, request, *args, **kwargs):
        self.heading = self.get_heading()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(heading=self.heading, **kwargs)


class AuthorDetailView(ArticleListView):
    heading_model = Author
    template_name = "articles/author_detail.html"

    def get_queryset(self):
        return Article.objects.live().by_author(self.heading).newest_first().for_listing()


class TagDetailView(ArticleListView):
    heading_model = Tag
    template_name = "articles/tag_detail.html"

    def get_queryset(self):
        return Article.objects.live().tagged(self.heading).newest_first().for_listing()


class SearchView(generic.ListView):
    """/tim-kiem/?q=...: accents optional ("da nang" finds "Đà Nẵng"), title matches first."""

    template_name = "articles/search.html"
    paginate_by = ARTICLES_PER_PAGE
    paginator_class = SearchResultsPaginator
    context_object_name = "articles"

    def get_queryset(self):
        self.query = " ".join(self.request.GET.get("q", "").split())[:SEARCH_MAX_LENGTH]
        return Article.objects.live().search(self.query).for_listing()

    def get_context_data(self, **kwargs):
        return super().get_context_data(query=self.query, **kwargs)


@require_GET
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /ckeditor/",
        "Disallow: /tim-kiem/",
        "Disallow: /xem-truoc/",
        "Disallow: /luot-xem/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap-index'))}",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap-news'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


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
