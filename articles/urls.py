from django.urls import path

from . import feeds, views

app_name = "articles"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("<slug:slug>-<int:pk>.html", views.ArticleDetailView.as_view(), name="detail"),
    path("tac-gia/<slug:slug>/", views.AuthorDetailView.as_view(), name="author"),
    path("chu-de/<slug:slug>/", views.TagDetailView.as_view(), name="tag"),
    path("tim-kiem/", views.SearchView.as_view(), name="search"),
    path("xem-truoc/<int:pk>/", views.ArticlePreviewView.as_view(), name="preview"),
    path("xem-truoc/k/<str:token>/", views.ArticlePreviewView.as_view(), name="shared-preview"),
    path("rss/", feeds.LatestArticlesFeed(), name="feed"),
    path("rss/<slug:slug>/", feeds.SectionFeed(), name="section-feed"),
]
