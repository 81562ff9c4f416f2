"""What the site sends and reads to stay safe beyond Django's own SecurityMiddleware."""

from axes.helpers import get_client_username
from django.conf import settings
from django.contrib import admin
from django.shortcuts import render


class ContentSecurityPolicyMiddleware:
    """Send settings.CONTENT_SECURITY_POLICY with every answer, and the admin's looser policy
    (CKEditor 4 needs inline scripts and styles) under its prefixes. It sits above the page
    cache, so cached pages and the view beacon carry it too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path_info.startswith(settings.CONTENT_SECURITY_POLICY_ADMIN_PREFIXES):
            policy = settings.CONTENT_SECURITY_POLICY_ADMIN
        else:
            policy = settings.CONTENT_SECURITY_POLICY
        response.setdefault("Content-Security-Policy", policy)
        return response


def client_ip(request):
    """The reader's address, for django-axes' login throttling.

    Behind the HTTPS proxy every request comes from the proxy; the proxy appends the address
    it saw to X-Forwarded-For, so the last entry is the one a client cannot forge.
    """
    if settings.HTTPS:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.rsplit(",", 1)[-1].strip()
        if last:
            return last
    return request.META.get("REMOTE_ADDR")


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer to a login attempt while locked out: 429, in Vietnamese."""
    context = {
        **admin.site.each_context(request),
        "username": get_client_username(request, credentials) or "",
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "minutes": round(settings.AXES_COOLOFF_TIME * 60),
    }
    return render(request, "registration/locked_out.html", context, status=429)
