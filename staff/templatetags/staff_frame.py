"""The admin's frame around a person: the name it greets them by, and the page that tells a staff
member they may not open a page (403) inside the admin rather than a bare error."""

from django import template
from django.contrib import admin
from django.template.loader import render_to_string
from django.urls import reverse

register = template.Library()


@register.filter
def greeting_name(user):
    """The name the admin greets `user` by: their full name as Vietnamese write it (family name
    first: "Nguyễn Thu Hà"), else the name of the byline they write under (an author's pen name,
    the account's `author`), else their user name."""
    full_name = " ".join(part for part in (user.last_name.strip(), user.first_name.strip()) if part)
    if full_name:
        return full_name
    # Bylines belong to articles, which staff does not import: the relation is read by name.
    author = getattr(user, "author", None)
    if author is not None and author.name.strip():
        return author.name.strip()
    return user.get_username()


@register.simple_tag(takes_context=True)
def forbidden_page(context):
    """The 403 page (403.html): in the admin's frame, with its menu, for a staff member inside
    the admin; a plain page for anyone else."""
    request = context.get("request")
    user = getattr(request, "user", None)
    exception = context.get("exception") or ""
    if (
        user is not None
        and user.is_active
        and user.is_staff
        and request.path_info.startswith(reverse("admin:index"))
    ):
        frame = {
            **admin.site.each_context(request),
            "title": "Không có quyền truy cập",
            "exception": exception,
        }
        return render_to_string("staff/forbidden_admin.html", frame, request=request)
    return render_to_string("staff/forbidden.html", {"exception": exception})
