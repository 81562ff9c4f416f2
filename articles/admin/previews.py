"""The article admin's preview-link panel: the links made for people without an account."""

from articles import workflow
from articles.previews import preview_link


def preview_panel(request, article):
    """What the panel shows this person for this article."""
    if not workflow.is_editor(request.user):
        return {}
    return {"shared_url": request.build_absolute_uri(preview_link(article))}


class PreviewGrantAdminMixin:
    """Adds the preview-link actions (make, revoke) to the article admin."""
