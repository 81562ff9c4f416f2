"""What the site sends and reads to stay safe beyond Django's own SecurityMiddleware."""

import ipaddress

from django.conf import settings


class ContentSecurityPolicyMiddleware:
    """Send settings.CONTENT_SECURITY_POLICY with every answer, and the admin's looser policy
    (CKEditor 4 needs inline scripts and styles) under its prefixes. It sits above the page
    cache, so cached pages and the view beacon carry it too. The policies are fixed strings:
    django-csp would rebuild them from directive lists on every answer (docs/architecture.md)."""

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
    docs/operations.md, "Proxy and TLS") and none without."""
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
