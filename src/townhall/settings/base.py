"""Settings shared by every environment. Values that vary come from the environment."""

from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from .environment import BASE_DIR, mailer_from_url, setting

VAR_DIR = setting("TOWNHALL_VAR_DIR", default=str(BASE_DIR / "var"))

SECRET_KEY = setting("SECRET_KEY")
DEBUG = setting("DEBUG", bool, default=False)
ALLOWED_HOSTS = setting("ALLOWED_HOSTS", list, default=[])
CSRF_TRUSTED_ORIGINS = setting("CSRF_TRUSTED_ORIGINS", list, default=[])

TOWNHALL_MODULES = [
    "townhall.core",
    "townhall.participation",
    "townhall.datastore",
    "townhall.opendata",
    "townhall.news",
    "townhall.elections",
    "townhall.leadership",
    "townhall.market",
    "townhall.inclusion",
]

INSTALLED_APPS = [
    # Before the admin, which it extends with both languages' fields (ADR 0060).
    "modeltranslation",
    *TOWNHALL_MODULES,
    "townhall.core.admin_site.TownhallAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "django_tasks_db",
    "ninja",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "townhall.core.middleware.NulCharacterMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Public answers views declare the same for every anonymous visitor (where to vote),
    # kept whole in each process and served from here at about a static file's cost (ADR 0045).
    "townhall.core.response_cache.PublicAnswerCacheMiddleware",
    # Pages compressed as production sends them (static files come pre-compressed from
    # WhiteNoise, above). Django pads the gzip stream at random against BREACH (ADR 0039).
    "django.middleware.gzip.GZipMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "townhall.core.middleware.AuditActorMiddleware",
    "townhall.core.middleware.RateLimitedMiddleware",
]

ROOT_URLCONF = "townhall.urls"
WSGI_APPLICATION = "townhall.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "townhall.core.context_processors.platform",
            ],
        },
    },
]

# Every Django form renders as GOV.UK Design System markup (core/forms.py).
FORM_RENDERER = "townhall.core.forms.GovukFormRenderer"

DATABASES = {
    "default": setting("DATABASE_URL", "db", default=f"sqlite:///{VAR_DIR}/townhall.sqlite3"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers carry on while a writer commits; IMMEDIATE transactions take the
    # write lock up front so concurrent writers queue instead of failing with "locked".
    # Reads map the file into memory (shared by every worker through the OS's cache)
    # rather than copying each page in with a system call: half the time of a DataStore
    # page that tests its filter row by row.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            " PRAGMA busy_timeout=10000; PRAGMA mmap_size=1073741824;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # DataStore tables live in a file of their own beside the site's database, attached to
    # each connection, so read-only SQL can open that file alone (ADR 0023).
    _main_database = str(DATABASES["default"]["NAME"])
    DATASTORE_SQLITE_PATH = setting(
        "DATASTORE_SQLITE_PATH",
        default=(
            f"{VAR_DIR}/datastore.sqlite3"
            if _main_database.startswith("file:") or ":memory:" in _main_database
            else _main_database.removesuffix(".sqlite3") + ".datastore.sqlite3"
        ),
    )
# A connection (and SQLite's page cache) lives for a minute of requests, not one.
DATABASES["default"].setdefault("CONN_MAX_AGE", 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# A PostgreSQL read replica (a streaming standby) for public reads: pages and lookups read
# there, every write and the rest of the request that made it on the primary (core/replicas.py).
DATABASE_REPLICA_URL = setting("DATABASE_REPLICA_URL", default="")
# After a write, that browser reads from the primary this long (longer than the replica lags).
REPLICA_STICKY_SECONDS = setting("REPLICA_STICKY_SECONDS", int, default=15)
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = {
        **setting("DATABASE_REPLICA_URL", "db"),
        "CONN_MAX_AGE": DATABASES["default"]["CONN_MAX_AGE"],
        "CONN_HEALTH_CHECKS": True,
        # Tests read the primary's test database through the standby's copy of it.
        "TEST": {"MIRROR": "default"},
    }
    DATABASE_ROUTERS = ["townhall.core.replicas.ReplicaRouter"]
    MIDDLEWARE.insert(1, "townhall.core.replicas.ReplicaReadsMiddleware")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": setting("CACHE_URL", "cache", default=f"filecache://{VAR_DIR}/cache"),
}

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "core:account"
LOGOUT_REDIRECT_URL = "core:home"

# django-allauth: residents and suppliers sign up with an email address they verify.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 3
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "10/h/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
}
ACCOUNT_USER_DISPLAY = "townhall.core.accounts.names.signed_in_as"
ACCOUNT_ADAPTER = "townhall.core.accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {
    name: f"townhall.core.accounts.forms.{form}"
    for name, form in {
        "login": "SignInForm",
        "signup": "SignUpForm",
        "reset_password": "ResetPasswordForm",
        "reset_password_from_key": "ResetPasswordKeyForm",
        "change_password": "ChangePasswordForm",
        "set_password": "SetPasswordForm",
        "add_email": "AddEmailForm",
    }.items()
}
SOCIALACCOUNT_ADAPTER = "townhall.core.accounts.adapter.StaffSingleSignOnAdapter"
SOCIALACCOUNT_FORMS = {"signup": "townhall.core.accounts.forms.StaffSignUpForm"}
SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False

OIDC_SERVER_URL = setting("OIDC_SERVER_URL", default="")
# Only people whose verified email is at one of these domains may sign in through SSO.
OIDC_ALLOWED_EMAIL_DOMAINS = [
    domain.lower() for domain in setting("OIDC_ALLOWED_EMAIL_DOMAINS", list, default=[])
]
SOCIALACCOUNT_PROVIDERS = {}
if OIDC_SERVER_URL:
    SOCIALACCOUNT_PROVIDERS["openid_connect"] = {
        "OAUTH_PKCE_ENABLED": True,
        "APPS": [
            {
                "provider_id": "staff",
                "name": setting("OIDC_PROVIDER_NAME", default="Council single sign-on"),
                "client_id": setting("OIDC_CLIENT_ID"),
                "secret": setting("OIDC_CLIENT_SECRET"),
                "settings": {"server_url": OIDC_SERVER_URL},
            }
        ],
    }

# Internationalisation: English at /, Welsh at /cy/.
LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", _("English")), ("cy", _("Welsh"))]
LOCALE_PATHS = [BASE_DIR / "src" / "townhall" / "locale"]

# Content a person reads is stored in English and Welsh, one column per language, by
# django-modeltranslation (ADR 0060). Welsh falls back to English where it is not written.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en-gb"
MODELTRANSLATION_LANGUAGES = ("en-gb", "cy")
# English pages fall back to Welsh too: a resident may write a proposal in Welsh alone.
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("en-gb", "cy")}
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = f"{VAR_DIR}/static"
MEDIA_URL = "/media/"
MEDIA_ROOT = setting("MEDIA_ROOT", default=f"{VAR_DIR}/media")
# Uploaded files are the web server's to serve in production (docs/operations.md); the
# demo and development serve them from Django.
SERVE_MEDIA = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "townhall.core.staticfiles.StaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

MAILERS = {"default": mailer_from_url(setting("EMAIL_URL", "email", default="consolemail://"))}
DEFAULT_FROM_EMAIL = setting("DEFAULT_FROM_EMAIL", default="Townhall <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

TASKS = {
    "default": {
        "BACKEND": setting("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
    }
}

# Security headers. Production tightens these further (settings/prod.py).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

MAP_TILE_URL = setting("MAP_TILE_URL", default="")
MAP_TILE_ATTRIBUTION = setting("MAP_TILE_ATTRIBUTION", default="")
_tile_origin = "/".join(MAP_TILE_URL.split("/")[:3]) if MAP_TILE_URL.startswith("http") else ""
SECURE_CSP = {
    "default-src": [CSP.SELF],
    # Scripts and styles from files only: no inline element, so no per-visitor nonce, and a
    # page can be kept whole for everyone (ADR 0045). JSON-LD is data, not run, so needs none.
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", *([_tile_origin] if _tile_origin else [])],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF, *([OIDC_SERVER_URL] if OIDC_SERVER_URL else [])],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

# How many proxies of the council's own (load balancer, nginx) stand in front of Townhall:
# rate limits and the audit log then read the visitor's address from X-Forwarded-For.
TRUSTED_PROXY_COUNT = setting("TRUSTED_PROXY_COUNT", int, default=0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
RATELIMIT_IP_META_KEY = "townhall.core.middleware.client_ip"

# Rate limits on public forms (django-ratelimit); sign-in and sign-up use allauth's own.
RATELIMIT_VIEW = "townhall.core.views.errors.rate_limited"
TOWNHALL_FORM_RATE = setting("TOWNHALL_FORM_RATE", default="20/m")
# Rate limit on the JSON API under /api/v1/ per visitor (CKAN's API and feeds are not limited).
TOWNHALL_API_RATE = setting("TOWNHALL_API_RATE", default="600/m")
# Whole public answers kept in each web process (core/response_cache.py, ADR 0045): how
# often a process asks the shared cache whether what they show has changed, how long one
# is kept at most, what they tell browsers, nginx and CDNs (Cache-Control max-age), and
# how many answers and bytes each process keeps (least recently used go first).
RESPONSE_CACHE_CHECK_SECONDS = setting("RESPONSE_CACHE_CHECK_SECONDS", int, default=1)
RESPONSE_CACHE_SECONDS = setting("RESPONSE_CACHE_SECONDS", int, default=15 * 60)
RESPONSE_CACHE_MAX_AGE = setting("RESPONSE_CACHE_MAX_AGE", int, default=60)
RESPONSE_CACHE_MAX_ENTRIES = setting("RESPONSE_CACHE_MAX_ENTRIES", int, default=20_000)
RESPONSE_CACHE_MAX_BYTES = setting("RESPONSE_CACHE_MAX_BYTES", int, default=128 * 1024**2)
# Polling station look-ups (/elections/where-to-vote/) per visitor; the API's are TOWNHALL_API_RATE.
ELECTIONS_LOOKUP_RATE = setting("ELECTIONS_LOOKUP_RATE", default="60/m")
# Failed voter checks one participatory budget accepts, from everyone together, before
# checks pause for the rest of the window (docs/modules/participation.md).
TOWNHALL_VOTER_CHECK_FAILURE_RATE = setting("TOWNHALL_VOTER_CHECK_FAILURE_RATE", default="500/h")

# A council bound by the Welsh Language Standards publishes nothing without its Welsh:
# publishing is refused while a field a person reads has English but no Welsh (ADR 0060).
TOWNHALL_REQUIRE_WELSH = setting("TOWNHALL_REQUIRE_WELSH", bool, default=False)

# The council's type and region as its published scorecard names them, so that other
# councils can compare by them (leadership, ADR 0098): empty when not given.
TOWNHALL_COUNCIL_TYPE = setting("TOWNHALL_COUNCIL_TYPE", default="")
TOWNHALL_COUNCIL_REGION = setting("TOWNHALL_COUNCIL_REGION", default="")

# People to sign in as in the demo, with a known password: development only (see
# core.demo.accounts; the system checks townhall.core.E002 and E003 enforce it).
TOWNHALL_DEMO_ACCOUNTS = setting("TOWNHALL_DEMO_ACCOUNTS", bool, default=False)

# How long personal data is kept, in days, before the retention job erases it.
RETENTION_UNVERIFIED_ACCOUNT_DAYS = setting("RETENTION_UNVERIFIED_ACCOUNT_DAYS", int, default=30)
RETENTION_TASK_RESULTS_DAYS = setting("RETENTION_TASK_RESULTS_DAYS", int, default=90)
# Subscriptions by email address alone: a confirmation link works this long, and a
# subscription never confirmed is deleted, with its address, after it.
RETENTION_UNCONFIRMED_SUBSCRIPTION_DAYS = setting(
    "RETENTION_UNCONFIRMED_SUBSCRIPTION_DAYS", int, default=7
)

# The site's public address, for links in emails sent by the worker (which has no
# request to take it from): unsubscribe and confirmation links.
TOWNHALL_SITE_URL = setting("TOWNHALL_SITE_URL", default="http://localhost:8000")

# Harvesting other catalogues (docs/modules/opendata.md, ADR 0033): private and local
# addresses are refused unless allowed; each read's timeout, the largest answer, the most
# pages one run reads.
HARVEST_ALLOW_PRIVATE_ADDRESSES = setting("HARVEST_ALLOW_PRIVATE_ADDRESSES", bool, default=False)
HARVEST_TIMEOUT_SECONDS = setting("HARVEST_TIMEOUT_SECONDS", int, default=20)
HARVEST_MAX_RESPONSE_BYTES = setting("HARVEST_MAX_RESPONSE_BYTES", int, default=50 * 1024**2)
HARVEST_MAX_PAGES = setting("HARVEST_MAX_PAGES", int, default=200)

# Market engagement (docs/modules/market.md): the prefix of every open contracting id
# (OCDS: "ocds-" and the prefix registered with the Open Contracting Partnership, then the
# council's own part), and the largest document a supplier may attach to a response.
OCDS_PREFIX = setting("OCDS_PREFIX", default="ocds-xxxxxx-northbridge")
MARKET_ATTACHMENT_MAX_BYTES = setting("MARKET_ATTACHMENT_MAX_BYTES", int, default=10 * 1024**2)

# Digital inclusion (docs/modules/inclusion.md): a published service whose details nobody
# has confirmed for this many months counts as stale.
INCLUSION_STALE_AFTER_MONTHS = setting("INCLUSION_STALE_AFTER_MONTHS", int, default=12)
# The digital exclusion risk index: how far, in metres in a straight line from a small
# area's centroid, help counts as within walking distance (a gap has none that near).
INCLUSION_RISK_WALKING_M = setting("INCLUSION_RISK_WALKING_M", int, default=1200)

# DataStore (docs/modules/datastore.md): the largest file it loads, how long a query may run,
# and the most memory an XLSX workbook's shared strings may take while it is read.
DATASTORE_MAX_UPLOAD_BYTES = setting("DATASTORE_MAX_UPLOAD_BYTES", int, default=1024**3)
DATASTORE_QUERY_TIMEOUT_MS = setting("DATASTORE_QUERY_TIMEOUT_MS", int, default=10_000)
DATASTORE_XLSX_MAX_SHARED_STRINGS_BYTES = setting(
    "DATASTORE_XLSX_MAX_SHARED_STRINGS_BYTES", int, default=128 * 1024**2
)
# Read-only SQL (both /api/v1 and CKAN's datastore_search_sql): how long one statement may
# run, how many one machine runs at once (others are told to retry), and the PostgreSQL role
# they run as, which may read published DataStore tables only.
DATASTORE_SQL_TIMEOUT_MS = setting("DATASTORE_SQL_TIMEOUT_MS", int, default=5_000)
DATASTORE_SQL_CONCURRENCY = setting("DATASTORE_SQL_CONCURRENCY", int, default=2)
DATASTORE_SQL_ROLE = setting("DATASTORE_SQL_ROLE", default="townhall_datastore_reader")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": setting("LOG_LEVEL", default="INFO")},
}
