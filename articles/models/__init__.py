from .article import Article, ArticleQuerySet, Byline, RelatedArticle
from .author import Author
from .editorial import (
    ArticleForReview,
    Correction,
    DeletedArticle,
    PreviewGrant,
    Revision,
    ScheduledArticle,
    Transition,
)
from .tag import Tag

__all__ = [
    "Article",
    "ArticleForReview",
    "ArticleQuerySet",
    "Author",
    "Byline",
    "Correction",
    "DeletedArticle",
    "PreviewGrant",
    "RelatedArticle",
    "Revision",
    "ScheduledArticle",
    "Tag",
    "Transition",
]
