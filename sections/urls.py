from django.urls import path

from . import views

app_name = "sections"

urlpatterns = [
    path("<slug:slug>/", views.SectionDetailView.as_view(), name="detail"),
    path("<slug:parent_slug>/<slug:slug>/", views.SectionDetailView.as_view(), name="child"),
]
