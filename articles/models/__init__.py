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
from .image import Image
from .popularity import BufferedView, FlushedBatch, ViewBucket
from .tag import Tag

__all__ = [
    "Article",
    "ArticleForReview",
    "ArticleQuerySet",
    "Author",
    "BufferedView",
    "Byline",
    "Correction",
    "DeletedArticle",
    "FlushedBatch",
    "Image",
    "PreviewGrant",
    "RelatedArticle",
    "Revision",
    "ScheduledArticle",
    "Tag",
    "Transition",
    "ViewBucket",
]
