from .article import Article, ArticleQuerySet, Byline, RelatedArticle
from .author import Author
from .image import Image
from .tag import Tag

__all__ = ["Article", "ArticleQuerySet", "Author", "Byline", "Image", "RelatedArticle", "Tag"]
