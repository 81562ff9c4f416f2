"""Section pages, under the "sections" namespace that Section.get_absolute_url() names. Included
last by newsroom/urls.py: /<section-slug>/ would otherwise swallow other one-segment addresses."""

from django.urls import path

from . import views

app_name = "sections"

urlpatterns = [
    path("<slug:slug>/", views.SectionDetailView.as_view(), name="detail"),
    path("<slug:parent_slug>/<slug:slug>/", views.SectionDetailView.as_view(), name="child"),
]
