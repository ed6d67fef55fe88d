"""Settings shared by every environment; production is this module plus its
environment variables (see the README's "Configuration" section)."""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from label_portal import embedded_db
from label_portal.env import cache_settings, env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "label_portal.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "django_tasks_db",
    "label_portal.apps.PortalConfig",
    "core.apps.CoreConfig",
    "accounts",
    "notifications",
    "submissions",
    "jury",
    "laureates",
    "network",
    "coordination",
    "privacy",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise (static files come precompressed), before everything that writes the
    # page: HTML, CSV and JSON answers are compressed when the browser asks (BREACH: see
    # core.middleware.CompressTextMiddleware).
    "core.middleware.CompressTextMiddleware",
    # Before the session and locale middlewares: it takes off their Vary on public pages.
    "core.public_cache.PublicPagesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "core.middleware.PrivatePagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Axes must come last: it turns a lockout into its own answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "label_portal.urls"
WSGI_APPLICATION = "label_portal.wsgi.application"
ASGI_APPLICATION = "label_portal.asgi.application"

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
                "django.template.context_processors.csp",
                "label_portal.context_processors.portal",
            ],
            "builtins": ["core.templatetags.portal", "crispy_forms.templatetags.crispy_forms_tags"],
        },
    },
]

# Without DATABASE_URL the portal runs its own PostgreSQL in .pgdata/.
_database_url = env_str("DATABASE_URL", None)
if _database_url:
    DATABASES = {"default": dj_database_url.parse(_database_url)}
else:
    DATABASES = {"default": embedded_db.connection_settings()}
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    # Django's model backend, hashing once whatever the address (no account enumeration).
    "accounts.backends.EmailBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "home"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24 * 3

# The 5th wrong password locks the address for a quarter of an hour (its
# answer says so): the 6th try is refused, even with the right password.
# Failures count on the address as the sign-in reads it (any spelling, any
# connection), and per connection across addresses with a higher limit
# (password spraying). accounts.lockout does both counts.
AXES_FAILURE_LIMIT = 5
AXES_IP_FAILURE_LIMIT = 30  # read by accounts.lockout, not by axes
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_HANDLER = "accounts.lockout.LoginLockoutHandler"
AXES_USERNAME_CALLABLE = "accounts.lockout.login_username"
AXES_RESET_ON_SUCCESS = True
# The sign-in form names its email field "username", as Django's does.
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_IPWARE_PROXY_COUNT = env_int("AXES_PROXY_COUNT", 0) or None
AXES_VERBOSE = False
# accounts.admin registers the attempts for coordinators.
AXES_ENABLE_ADMIN = False

# Sessions read from the cache, written through to the database: a signed-in page costs no
# session query once the cache holds it (with Redis or Memcached; the database cache answers
# from its own table), and a cache emptied or restarted signs nobody out.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_AGE = 60 * 60 * 24 * 14
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
# No cookie but the session's and the CSRF token's (/donnees-personnelles/ says so): the
# messages shown on the next page wait in the session, not in a cookie of their own.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
CSRF_FAILURE_VIEW = "label_portal.views.csrf_failure"

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
# French only: the portal's own strings are plain French (no gettext, no locale/);
# USE_I18N keeps Django's own messages and dates in French.
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "/media/"
# Uploaded dossiers and PDFs: never under a public URL, served by views that
# check the person's right.
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "var" / "private")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT), "base_url": None},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# DJANGO_MEDIA_STORAGE=s3: the files go to an S3-compatible bucket (django-storages), so
# that the app servers keep nothing on their disks. The bucket stays private (no ACL is
# set: the bucket's own, private, applies): the portal streams the private files through
# core.downloads as on disk; a URL asked of a storage is signed and lasts 5 minutes.
_media_storage = env_str("DJANGO_MEDIA_STORAGE", "local")
if _media_storage == "s3":
    _s3_options = {
        "bucket_name": env_str("AWS_STORAGE_BUCKET_NAME"),
        # Credentials: these two, or boto3's own chain (instance role, ~/.aws) without them.
        "access_key": env_str("AWS_ACCESS_KEY_ID", None),
        "secret_key": env_str("AWS_SECRET_ACCESS_KEY", None),
        # Another provider than AWS (Scaleway, OVHcloud, MinIO…): its address and region.
        "endpoint_url": env_str("AWS_S3_ENDPOINT_URL", None),
        "region_name": env_str("AWS_S3_REGION_NAME", None),
        "addressing_style": env_str("AWS_S3_ADDRESSING_STYLE", None),
        "default_acl": None,
        "querystring_auth": True,
        "querystring_expire": 300,
        "file_overwrite": False,
    }
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {**_s3_options, "location": env_str("AWS_S3_MEDIA_PREFIX", "media")},
    }
    STORAGES["private"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {**_s3_options, "location": env_str("AWS_S3_PRIVATE_PREFIX", "prive")},
    }
elif _media_storage != "local":
    raise ImproperlyConfigured(
        f"DJANGO_MEDIA_STORAGE doit valoir local ou s3, pas « {_media_storage} »."
    )
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
ATTACHMENT_MAX_PER_PROJECT = 20
# Laureates' follow-up: reminders of a report this many days before its due date
# (then once on the day after it, when it is late): a job of manage.py run_scheduler
# (manage.py send_followup_reminders runs it by hand).
FOLLOWUP_REMINDER_DAYS = (14, 3)
# The periodic jobs (core.schedule), run by manage.py run_scheduler: it wakes up this often.
SCHEDULER_TICK_SECONDS = env_int("SCHEDULER_TICK_SECONDS", 60)
# The annual meeting's scheduled mails (network.services.notices): the reminder this many
# days before the meeting; after it, the mail with the material once the material is on its
# page, or this many days after its end without it; never for a meeting ended longer ago
# than MEETING_FOLLOWUP_WITHIN_DAYS (a scheduler started late does not mail old meetings).
MEETING_REMINDER_DAYS = env_int("MEETING_REMINDER_DAYS", 3)
MEETING_FOLLOWUP_WAIT_DAYS = 2
MEETING_FOLLOWUP_WITHIN_DAYS = 14
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# Mail: SMTP unless another backend is named (dev and tests name theirs).
_mail_backend = env_str("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
if _mail_backend.endswith("smtp.EmailBackend"):
    _mail_options = {
        "host": env_str("EMAIL_HOST"),
        "port": env_int("EMAIL_PORT", 587),
        "username": env_str("EMAIL_HOST_USER", ""),
        "password": env_str("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS", True),
        "timeout": 20,
    }
elif _mail_backend.endswith("filebased.EmailBackend"):
    _mail_options = {"file_path": str(BASE_DIR / "var" / "mails")}
else:
    _mail_options = {}
MAILERS = {"default": {"BACKEND": _mail_backend, "OPTIONS": _mail_options}}
DEFAULT_FROM_EMAIL = env_str(
    "DEFAULT_FROM_EMAIL", "Label Actions Innovantes <label-innovation@grandorlyseinebievre.fr>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_SUBJECT_PREFIX = "[Label Actions Innovantes] "

# Security headers. Behind a TLS-terminating proxy that sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
# The load balancer asks /healthz over plain HTTP, from inside: answer, do not redirect.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"
# No inline script, no third-party origin: everything is served from here.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

# The cache (public pages, sessions) is shared by every app server: in the database by
# default (table created by `manage.py migrate`, core.apps), or Redis / Memcached named by
# DJANGO_CACHE_URL (redis://host:6379/0, rediss://…, memcached://host:11211), whose client
# package (redis, pymemcache) is then to be installed.
CACHES = {"default": cache_settings(env_str("DJANGO_CACHE_URL", "db://"))}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Long work (receipts, PDF bundles) is queued in the database and run by
# `manage.py run_worker` (started by `make run`; a service in production, see deploy/).
TASKS = {
    "default": {
        "BACKEND": env_str("DJANGO_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# DJANGO_LOG_FORMAT=json: one JSON object per line (core.logs), for a log collector.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "core.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": env_str("DJANGO_LOG_FORMAT", "text"),
        }
    },
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

INVITATION_VALIDITY_DAYS = 14

# How often the mails anyone can cause may leave: {name: (how many, per period)}.
# Counted in the database (core.ratelimit), so shared by every process.
RATE_LIMITS = {
    # Per typed address, and per connection whatever the address.
    "password_reset_address": (1, timedelta(minutes=10)),
    "password_reset_ip": (20, timedelta(hours=1)),
    "confirmation_resend_address": (1, timedelta(minutes=10)),
    "confirmation_resend_ip": (20, timedelta(hours=1)),
    "signup_ip": (20, timedelta(hours=1)),
    # The "you already have an account" notice of a sign-up with a known address.
    "signup_known_address": (1, timedelta(minutes=10)),
    "invitation_association": (20, timedelta(days=1)),
    "invitation_actor": (40, timedelta(days=1)),
    "invitation_address": (3, timedelta(days=1)),
    # Project messages, per person.
    "message_author": (30, timedelta(hours=1)),
    # Public certificate verification, per connection: no code can be found by trying.
    "certificate_verify_ip": (30, timedelta(hours=1)),
    # Registrations to a meeting, per connection (a bot posting the form), and the mail
    # « déjà inscrite » with the links again, per address.
    "meeting_registration_ip": (30, timedelta(hours=1)),
    "meeting_registration_address": (1, timedelta(minutes=10)),
    # Personal-data archives (privacy.export), per person.
    "personal_data_export": (3, timedelta(days=1)),
}

# Who signs the label certificates (« Attestation de labellisation »).
LABEL_SIGNATORY_NAME = env_str(
    "LABEL_SIGNATORY_NAME", "La coordination du Label Actions Innovantes"
)
LABEL_SIGNATORY_TITLE = env_str(
    "LABEL_SIGNATORY_TITLE", "Établissement public territorial Grand-Orly Seine Bièvre"
)
