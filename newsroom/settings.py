"""Settings for Newsroom, read from the environment (twelve-factor).

The defaults make `make run` work with no configuration: SQLite in the project folder, a
local-memory cache and media files under ./media. Production values come only from the
environment; docs/operations.md lists every variable. DEBUG is off unless asked for, and with DEBUG
off the site refuses to start without a SECRET_KEY.
"""

import os
import secrets
import tempfile
from datetime import date
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    if value.strip().lower() in TRUE_WORDS:
        return True
    if value.strip().lower() in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of 1/0, true/false, yes/no, on/off; got {value!r}."
    )


def env_list(name, default=()):
    value = os.environ.get(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=False)


def development_secret_key(path):
    """The key a development checkout signs sessions and preview links with: random, made on
    first start in `path` (readable by its owner only, ignored by git) and reused after, so
    that log-ins survive a restart. A key written in the source would let anyone who read it
    forge preview links and sessions of any site started without SECRET_KEY."""
    path = Path(path)
    try:
        key = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        key = None
    except (OSError, UnicodeDecodeError) as error:
        raise ImproperlyConfigured(f"Cannot read the development key {path}: {error}") from error
    if key is None:
        # Written whole under another name, then linked into place: a second process starting
        # at the same moment (runserver's reloader) finds either no file or the whole key, and
        # link() never replaces a key made meanwhile.
        try:
            descriptor, partial = tempfile.mkstemp(dir=path.parent, prefix=f"{path.name}.")
            try:
                with os.fdopen(descriptor, "w", encoding="ascii") as out:
                    out.write(secrets.token_urlsafe(50) + "\n")
                os.link(partial, path)
            except FileExistsError:
                pass
            finally:
                os.unlink(partial)
            key = path.read_text(encoding="ascii").strip()
        except OSError as error:
            raise ImproperlyConfigured(
                f"Cannot write the development key {path} ({error}): set SECRET_KEY instead."
            ) from error
    if not key:
        raise ImproperlyConfigured(f"The development key {path} is empty: delete it.")
    return key


# Git ignores it. DEV_SECRET_KEY_FILE moves it (the tests keep theirs out of the checkout).
DEV_SECRET_KEY_FILE = Path(os.environ.get("DEV_SECRET_KEY_FILE") or BASE_DIR / ".secret_key")
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. In production set SECRET_KEY to a long random string "
            "(for example: python -c 'import secrets; print(secrets.token_urlsafe(50))'). "
            "For local development set DEBUG=1 instead, as `make run` does."
        )
    SECRET_KEY = development_secret_key(DEV_SECRET_KEY_FILE)

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Before the admin, whose page frame (admin/base_site.html) it extends with a link to the
    # two-factor page.
    "staff",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "ckeditor",
    "ckeditor_uploader",
    # django-axes, named in Vietnamese in the admin ("Bảo vệ đăng nhập").
    "staff.apps.LoginProtectionConfig",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "sections",
    "photos",
    "masthead",
    "articles",
    "popularity",
    "backups",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "newsroom.security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Both answer before sessions, users and CSRF: a cached page or a view beacon needs none.
    # The page cache sits above GZip, so that it stores (and serves) compressed pages.
    "newsroom.pagecache.PageCacheMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "popularity.middleware.ViewBeaconMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): signed in with a second factor (staff/two_factor.py).
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Staff areas: a session that skipped its second factor, or a required one not set up.
    "staff.middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it answers a locked-out login attempt.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sections.context_processors.navigation",
                "masthead.context_processors.site",
                "newsroom.pagecache.fragment_versions",
            ],
        },
    },
]

# DATABASE_URL, e.g. postgres://user:password@host:5432/newsroom; SQLite by default.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# REDIS_URL, e.g. redis://127.0.0.1:6379/0, shares one cache between all workers.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    # Run that Redis with maxmemory-policy volatile-lru: it also keeps buffered views and the
    # content versions, which have no time limit and must never be evicted (newsroom/cache.py).
    CACHES = {
        "default": {
            "BACKEND": "newsroom.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "newsroom",
            # A Redis that hangs must not hang pages: give up and build them from the database.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Templates' `{% cache %}` fragments stay in each worker's memory: their keys carry the shared
# versions (newsroom/pagecache.py), so a change still shows in every worker at once, and a hit
# costs no round trip. FRAGMENT_CACHE=0 turns them off (to measure pages built from nothing).
CACHES["template_fragments"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache"
    if env_bool("FRAGMENT_CACHE", default=True)
    else "django.core.cache.backends.dummy.DummyCache",
    "LOCATION": "fragments",
    "OPTIONS": {"MAX_ENTRIES": 3000},
}

# Logins: django-axes counts failed attempts before Django checks the password.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Five wrong passwords for one user name from one address lock that pair out for 15 minutes;
# a success clears the count. Locking the pair, not the name, means a guesser elsewhere
# cannot lock an editor out of their own account with a few tries. Guesses spread over many
# addresses meet a second, higher limit per user name (staff.throttling.LoginThrottle):
# twenty in the same window lock the name from everywhere until they age out.
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
LOGIN_NAME_FAILURE_LIMIT = int(os.environ.get("LOGIN_NAME_FAILURE_LIMIT", "20"))
AXES_COOLOFF_TIME = float(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15")) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "staff.throttling.LoginThrottle"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "staff.throttling.locked_out"
# The client's address (IPv6: its /64), read behind TRUSTED_PROXY_COUNT proxies.
AXES_CLIENT_IP_CALLABLE = "staff.throttling.throttle_address"
# Attempts are kept for the admin's "Đăng nhập sai" page, where editors unlock a reporter;
# logins that worked are not logged.
AXES_DISABLE_ACCESS_LOG = True
# No "AXES: BEGIN ..." banner on every command and server start.
AXES_VERBOSE = False

# How many reverse proxies stand in front of the site, each appending to X-Forwarded-For:
# the client's address is the entry that many from the right (newsroom.security.client_ip).
# Unset: one with HTTPS on (the TLS proxy), none without. Too high a number lets clients
# choose their address; too low makes every reader look like the proxy.
TRUSTED_PROXY_COUNT = os.environ.get("TRUSTED_PROXY_COUNT", "").strip() or None
if TRUSTED_PROXY_COUNT is not None:
    if not TRUSTED_PROXY_COUNT.isdigit():
        raise ImproperlyConfigured(
            f"TRUSTED_PROXY_COUNT must be a whole number (0, 1, 2...); got {TRUSTED_PROXY_COUNT!r}."
        )
    TRUSTED_PROXY_COUNT = int(TRUSTED_PROXY_COUNT)

# Two-factor sign-in (staff/): any staff member may turn it on; with STAFF_2FA_REQUIRED=1,
# editors and superusers must set it up before the admin lets them do anything else.
STAFF_2FA_REQUIRED = env_bool("STAFF_2FA_REQUIRED", default=False)
# The admin's pages of django-otp's devices show no secret keys.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# /bench/bare/ and the other reference views of `make bench` (tests/bench/urls.py): a bare
# Django view of 30 KB, the framework's own limit, to compare the pages with.
BENCHMARK_VIEW = env_bool("BENCHMARK_VIEW", default=False)

# Serve readers' pages from the cache (newsroom/pagecache.py); off by default while developing.
PAGE_CACHE = env_bool("PAGE_CACHE", default=not DEBUG)
# Path prefixes, besides the admin, previews, the beacon and files, that are never a reader's
# page and never go through the page cache.
PAGE_CACHE_SKIP = env_list("PAGE_CACHE_SKIP")
if BENCHMARK_VIEW:
    ROOT_URLCONF = "tests.bench.urls"
    # The reference views measure Django without the page cache.
    PAGE_CACHE_SKIP.append("/bench/")

# "Xem nhiều nhất" writes an article's view count ("1.234 lượt xem") only from this many views
# up: a handful of views tells readers nothing. 0 writes every count.
VIEW_COUNT_SHOWN_FROM = int(os.environ.get("VIEW_COUNT_SHOWN_FROM", "1000"))

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# How dates, times and numbers are written (newsroom/formats/vi/formats.py: "05/11/2026 09:30").
FORMAT_MODULE_PATH = ["newsroom.formats"]
# Our Vietnamese for what Django's, django-axes' and django-otp's catalogues lack (locale/vi/);
# it takes precedence over theirs. `manage.py compilemessages` makes the .mo files from the .po.
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Hashed, compressed file names that browsers may keep for a year (`collectstatic` makes them;
# whitenoise serves them). Off while developing and in the test suite, which serve the sources.
STATIC_MANIFEST = env_bool("STATIC_MANIFEST", default=not DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if STATIC_MANIFEST
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Let Django itself serve /media/: for development and tests. In production the reverse proxy
# serves MEDIA_ROOT (docs/operations.md, "Proxy and TLS").
SERVE_MEDIA = env_bool("SERVE_MEDIA", default=DEBUG)

# Largest upload accepted for an image, in bytes, and its largest size in pixels: Pillow
# refuses "decompression bombs" above this many pixels.
IMAGE_MAX_UPLOAD_BYTES = int(os.environ.get("IMAGE_MAX_UPLOAD_BYTES", 15 * 1024 * 1024))
IMAGE_MAX_PIXELS = 50_000_000
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# The masthead: the newsroom's name, the line beside it in the footer, its press licence,
# contacts and social links. Superusers edit them in the admin (masthead/); these are the values
# pages show until the masthead is first saved there, and the error pages' name. SITE_LOGO is the
# publisher's logo in structured data (a static file's path) while none is uploaded.
SITE_NAME = os.environ.get("SITE_NAME", "Newsroom")
SITE_TAGLINE = os.environ.get("SITE_TAGLINE", "")
SITE_LOGO = os.environ.get("SITE_LOGO", "newsroom/logo.png")
SITE_FOOTER_NOTICE = os.environ.get("SITE_FOOTER_NOTICE", "")
SITE_LICENCE_NUMBER = os.environ.get("SITE_LICENCE_NUMBER", "")
SITE_LICENCE_ISSUER = os.environ.get("SITE_LICENCE_ISSUER", "")
SITE_LICENCE_DATE = os.environ.get("SITE_LICENCE_DATE", "").strip() or None
if SITE_LICENCE_DATE is not None:
    try:
        SITE_LICENCE_DATE = date.fromisoformat(SITE_LICENCE_DATE)
    except ValueError:
        raise ImproperlyConfigured(
            f"SITE_LICENCE_DATE must be a date written YYYY-MM-DD; got {SITE_LICENCE_DATE!r}."
        ) from None
SITE_PUBLISHER = os.environ.get("SITE_PUBLISHER", "")
SITE_EDITOR_IN_CHIEF = os.environ.get("SITE_EDITOR_IN_CHIEF", "")
SITE_ADDRESS = os.environ.get("SITE_ADDRESS", "")
SITE_PHONE = os.environ.get("SITE_PHONE", "")
SITE_EMAIL = os.environ.get("SITE_EMAIL", "")
SITE_FACEBOOK_URL = os.environ.get("SITE_FACEBOOK_URL", "")
SITE_YOUTUBE_URL = os.environ.get("SITE_YOUTUBE_URL", "")
SITE_TIKTOK_URL = os.environ.get("SITE_TIKTOK_URL", "")
SITE_ZALO_URL = os.environ.get("SITE_ZALO_URL", "")
SITE_X_URL = os.environ.get("SITE_X_URL", "")

# CKEditor 4, as bundled with django-ckeditor, is end-of-life (ckeditor.W001). We keep it behind
# one field and contain the risk: bodies are sanitized with nh3 on every save, the editor is
# staff-only and uploads are checked with Pillow. docs/operations.md, "Security notes", says more.
# models.W040: the covering columns of an article index are a PostgreSQL speed-up; SQLite builds
# the same index without them, as it should.
SILENCED_SYSTEM_CHECKS = ["ckeditor.W001", "models.W040"]
CKEDITOR_UPLOAD_PATH = "uploads/"
CKEDITOR_IMAGE_BACKEND = "ckeditor_uploader.backends.PillowBackend"
CKEDITOR_ALLOW_NONIMAGE_FILES = False
CKEDITOR_FILENAME_GENERATOR = "photos.cleaning.random_upload_name"
CKEDITOR_CONFIGS = {
    "default": {
        "language": "vi",
        "height": 420,
        "width": "100%",
        # image2 makes captioned photos: <figure class="image"><img><figcaption>. csrfupload
        # (ours) sends Django's CSRF token with each upload, which CKEditor makes by
        # XMLHttpRequest: its form post could not carry the token, so it is never used.
        "extraPlugins": "image2,csrfupload",
        "external_plugin_resources": [
            ("csrfupload", f"{STATIC_URL}newsroom/admin/ckeditor_upload/", "plugin.js")
        ],
        "filebrowserUploadMethod": "xhr",
        "removePlugins": "image,exportpdf",
        "image2_alignClasses": ["image-left", "image-center", "image-right"],
        "image2_captionedClass": "image",
        # Store clean UTF-8 (not &aacute;): search and unaccent read the stored text.
        "entities": False,
        "basicEntities": True,
        "format_tags": "p;h2;h3;h4",
        "toolbar": "newsroom",
        "toolbar_newsroom": [
            ["Format", "Bold", "Italic", "Underline", "Strike", "Subscript", "Superscript"],
            ["NumberedList", "BulletedList", "Blockquote", "HorizontalRule"],
            ["Link", "Unlink", "Image", "Table"],
            ["Undo", "Redo", "RemoveFormat", "Source", "Maximize"],
        ],
    }
}

# HTTPS: readers reach the site over https, through a reverse proxy that ends TLS and sets
# X-Forwarded-Proto and X-Forwarded-For (docs/operations.md, "Proxy and TLS"). On unless DEBUG;
# HTTPS=0 for plain http on a private address (`make serve` on loopback, the benchmarks).
HTTPS = env_bool("HTTPS", default=not DEBUG)
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # Browsers then refuse plain http to this domain for a year: see docs/operations.md before
    # changing the domain's set-up. HSTS_SECONDS=0 turns it off.
    SECURE_HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
# Links out tell other sites only that a reader came from us, not which article.
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"


# Content-Security-Policy (newsroom/security.py). Readers' pages run our own scripts and styles
# only; photos in a body may come from other https sites. The admin allows inline scripts and
# styles too: CKEditor 4 draws its toolbar with inline handlers and styles.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' https:; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
CONTENT_SECURITY_POLICY_ADMIN = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' https: data: blob:; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'self'"
)
CONTENT_SECURITY_POLICY_ADMIN_PREFIXES = ("/admin/", "/ckeditor/")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# Xem nhiều nhất (popularity/counting.py): views counted per client address (IPv6: per /64) and
# article in a minute; more beacons are answered as if counted and dropped, so one address
# cannot push an article up the ranking. Generous on purpose: many Vietnamese readers share
# one carrier address (CGNAT), and readers of one article behind it must still count.
VIEW_CEILING_PER_MINUTE = int(os.environ.get("VIEW_CEILING_PER_MINUTE", "10"))
# Where the ceiling is counted without Redis (with Redis: in Redis, shared by all workers): each
# worker's own memory, apart from "default" so that many addresses cull only these counters.
CACHES["view_ceiling"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "view-ceiling",
    "OPTIONS": {"MAX_ENTRIES": 50_000},
}
