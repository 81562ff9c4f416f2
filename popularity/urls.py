from django.urls import path

from . import views

app_name = "popularity"

urlpatterns = [
    path("luot-xem/", views.count_view, name="count-view"),
]
