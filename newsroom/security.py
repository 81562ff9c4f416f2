"""What the site sends and reads to stay safe beyond Django's own SecurityMiddleware."""

import ipaddress

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import admin
from django.db.models import Sum
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


def parse_address(text):
    """`text` as a normalised IP address string, or None when it is not one. A zone index
    ("fe80::1%eth0") is refused: no client reaches us with one, and the login throttle's
    address column (PostgreSQL inet) would refuse it."""
    text = (text or "").strip()
    if "%" in text:
        return None
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None


def trusted_proxy_count():
    """settings.TRUSTED_PROXY_COUNT, or by default one proxy with HTTPS on (the TLS proxy of
    README.md, "Running in production") and none without."""
    count = settings.TRUSTED_PROXY_COUNT
    if count is None:
        return 1 if settings.HTTPS else 0
    return count


def client_ip(request):
    """The client's address: for login throttling (throttle_address) and the view ceiling.

    Each of the settings.TRUSTED_PROXY_COUNT proxies in front appends the address it was
    reached from to X-Forwarded-For, so the client is the entry that many from the right.
    Entries further left are whatever the client chose to send. With no proxy in front, or a
    header too short or holding no address there, the connection's own address counts.
    Returns None when not even that is an address.
    """
    count = trusted_proxy_count()
    if count:
        entries = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if len(entries) >= count:
            address = parse_address(entries[-count])
            if address:
                return address
    return parse_address(request.META.get("REMOTE_ADDR"))


def address_group(address):
    """The client an address stands for: an IPv4 address as it is; an IPv6 address as its
    /64 network (one household, office or phone is given a whole /64 and may use any address
    in it), written as that network's first address so that it stays an address."""
    if address is None:
        return None
    ip = ipaddress.ip_address(address)
    if ip.version == 6 and ip.ipv4_mapped:
        return str(ip.ipv4_mapped)
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False).network_address)
    return str(ip)


def throttle_address(request):
    """The address django-axes counts login failures against (AXES_CLIENT_IP_CALLABLE)."""
    return address_group(client_ip(request))


def name_failures(request, credentials=None):
    """Failed logins for the requested user name from every address within the cool-off."""
    username = get_client_username(request, credentials)
    if username is None:
        return 0
    total = AccessAttempt.objects.filter(
        username=username, attempt_time__gte=get_cool_off_threshold(request)
    ).aggregate(total=Sum("failures_since_start"))["total"]
    return total or 0


class LoginThrottle(AxesDatabaseHandler):
    """django-axes' database handler with a second limit: AXES_FAILURE_LIMIT failures lock a
    user name at one address, LOGIN_NAME_FAILURE_LIMIT failures from any addresses lock the
    name everywhere, so that guesses spread over many addresses stop too.

    Axes' own AXES_LOCKOUT_PARAMETERS cannot say this: with several combinations it takes the
    largest of their counts and compares it with the one AXES_FAILURE_LIMIT. A success still
    clears only its own (name, address) record (AXES_RESET_ON_SUCCESS): an editor signing in
    does not wipe out what a guesser elsewhere has spent.
    """

    def get_failures(self, request, credentials=None):
        failures = super().get_failures(request, credentials)
        limit = get_failure_limit(request, credentials)
        if failures < limit and name_failures(request, credentials) >= (
            settings.LOGIN_NAME_FAILURE_LIMIT
        ):
            request.login_name_locked = True
            return limit
        return failures


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer to a login attempt while locked out: 429, in Vietnamese."""
    context = {
        **admin.site.each_context(request),
        "username": get_client_username(request, credentials) or "",
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "name_failure_limit": settings.LOGIN_NAME_FAILURE_LIMIT,
        "name_locked": getattr(request, "login_name_locked", False),
        "minutes": round(settings.AXES_COOLOFF_TIME * 60),
    }
    return render(request, "registration/locked_out.html", context, status=429)
