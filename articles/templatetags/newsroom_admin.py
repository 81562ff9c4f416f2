"""What the admin's home tells a person about their own work: `{% returned_articles %}`."""

from django import template

from articles.models import Article
from articles.states import return_step, with_return_step

register = template.Library()

# The home lists this many; the article list, filtered, has them all.
RETURNED_SHOWN = 10


@register.inclusion_tag("admin/articles/article/returned_articles.html", takes_context=True)
def returned_articles(context):
    """The person's articles that an editor returned, the latest touched first (a step moves
    `updated_at`), each with the editor's note, who returned it and when: two queries, however
    many there are."""
    user = context["request"].user
    if not user.has_perm("articles.change_article"):
        return {"returned": []}
    articles = with_return_step(
        Article.objects.filter(status=Article.Status.RETURNED, created_by=user)
        .only("title", "status")
        .order_by("-updated_at", "-pk")
    )[: RETURNED_SHOWN + 1]
    returned = [(article, return_step(article)) for article in articles]
    return {"returned": returned[:RETURNED_SHOWN], "more": len(returned) > RETURNED_SHOWN}
