"""The state an article is in, as the newsroom says it: "Nháp", "Chờ duyệt", "Bị trả lại",
"Hẹn giờ", "Đã xuất bản" or "Đã gỡ"; and, for a returned article, the editor's step that sent
it back.

The stored status says where the workflow left an article. For a published one its times say the
rest: before its publish time it is scheduled ("Hẹn giờ"), from its unpublish time on it is taken
down ("Đã gỡ") as surely as one an editor unpublished. So "Đã xuất bản" is exactly what
`Article.objects.live()` shows. The state is worked out by the database (`with_state`), so that
a list can show it and filter by it without reading the articles first.
"""

from django.db.models import CharField, F, Prefetch, Q, TextChoices, Value
from django.db.models.expressions import Case, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Article, Transition
from .models.article import live_at

Status = Article.Status


class State(TextChoices):
    DRAFT = "draft", _("Nháp")
    SUBMITTED = "submitted", _("Chờ duyệt")
    RETURNED = "returned", _("Bị trả lại")
    SCHEDULED = "scheduled", _("Hẹn giờ")
    PUBLISHED = "published", _("Đã xuất bản")
    UNPUBLISHED = "unpublished", _("Đã gỡ")


# The stored statuses each state comes from: a filter by state narrows by status first, which
# the status index answers.
STORED_STATUSES = {
    State.DRAFT: [Status.DRAFT],
    State.SUBMITTED: [Status.SUBMITTED],
    State.RETURNED: [Status.RETURNED],
    State.SCHEDULED: [Status.PUBLISHED],
    State.PUBLISHED: [Status.PUBLISHED],
    State.UNPUBLISHED: [Status.PUBLISHED, Status.UNPUBLISHED],
}


def state_expression(now=None):
    """The state of each article, worked out in the database at `now` (a `State` value).
    "Đã xuất bản" is `live()`'s own condition (`live_at`)."""
    now = now or timezone.now()
    published = Q(status=Status.PUBLISHED)
    return Case(
        When(live_at(now), then=Value(State.PUBLISHED.value)),
        When(
            Q(status=Status.UNPUBLISHED) | (published & Q(unpublish_at__lte=now)),
            then=Value(State.UNPUBLISHED.value),
        ),
        # Published, and not yet (or never given) its time.
        When(published, then=Value(State.SCHEDULED.value)),
        # Draft, submitted, returned: as stored.
        default=F("status"),
        output_field=CharField(),
    )


def with_state(articles, now=None):
    """`articles`, each carrying `.state` (a `State` value)."""
    return articles.annotate(state=state_expression(now))


def in_state(articles, state, now=None):
    """The `articles` in `state` (a `State` value)."""
    return (
        articles.filter(status__in=STORED_STATUSES[State(state)])
        .alias(listed_state=state_expression(now))
        .filter(listed_state=state)
    )


def with_return_step(articles):
    """`articles`, each carrying `.return_steps`: for a returned article the editor's steps that
    returned it, newest first (the first is why it is returned now: note, by, at), else none;
    with each step its person and their byline (how the admin names them). One more query,
    whatever the number of articles."""
    returns = Transition.objects.filter(
        action=Transition.Action.RETURN, article__status=Status.RETURNED
    ).select_related("by__author")
    return articles.prefetch_related(Prefetch("transitions", returns, to_attr="return_steps"))


def return_step(article):
    """The step that returned `article` (its latest return), when it is returned now; None
    otherwise. Reads what `with_return_step` loaded."""
    if article.status != Status.RETURNED:
        return None
    steps = getattr(article, "return_steps", None)
    if steps is None:
        steps = article.transitions.filter(action=Transition.Action.RETURN).select_related("by")
    return next(iter(steps), None)
