"""The masthead: the block that names the paper and its publisher. The site's name, tagline and
logo, the press licence that Vietnamese news sites must show, the address, contacts and social
links: one row, edited by superusers in the admin, with defaults from the SITE_* settings until
it is first saved. Pages read it through `masthead.identity.current()` (cached)."""
