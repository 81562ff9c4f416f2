"""The site's addresses plus one more page at /thoi-tiet/ (tests/test_slugs.py)."""

from django.http import HttpResponse
from django.urls import path

from newsroom.urls import urlpatterns as site_urlpatterns

urlpatterns = [path("thoi-tiet/", lambda request: HttpResponse("Thời tiết")), *site_urlpatterns]
