"""Login throttling for the admin (django-axes): one limit per user name and address, a second
per user name across addresses, and the Vietnamese page a locked-out person sees."""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import admin
from django.db.models import Q, Sum
from django.shortcuts import render

from newsroom.security import address_group, client_ip


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


def unlock(attempts):
    """Clear the failed logins `attempts` (AccessAttempt rows) and every other one of the same
    user names, from any address: a name locked everywhere (LOGIN_NAME_FAILURE_LIMIT) is free
    again too. Returns the names unlocked."""
    selected = list(attempts.values_list("pk", "username"))
    names = {username for _pk, username in selected if username is not None}
    AccessAttempt.objects.filter(
        Q(pk__in=[pk for pk, _username in selected]) | Q(username__in=names)
    ).delete()
    return names


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
