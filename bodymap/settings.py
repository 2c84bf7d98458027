"""Bodymap settings, read from the environment.

Production is the default: development conveniences appear only when BODYMAP_ENV=development
(which `make run` and the test suite set). Production refuses to start without a real secret key
and allowed hosts.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from bodymap.env import cache_from_url, env_bool, env_int, env_list, env_secret, env_str

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(env_str("BODYMAP_VAR_DIR") or PROJECT_DIR / "var")

BODYMAP_ENV = (env_str("BODYMAP_ENV") or "production").strip().lower()
if BODYMAP_ENV not in {"production", "development"}:
    raise ImproperlyConfigured("BODYMAP_ENV must be 'production' or 'development'.")
DEVELOPMENT = BODYMAP_ENV == "development"
DEBUG = DEVELOPMENT and env_bool("DEBUG", False)

SECRET_KEY = env_secret("SECRET_KEY")
if not SECRET_KEY:
    if not DEVELOPMENT:
        raise ImproperlyConfigured("SECRET_KEY (or SECRET_KEY_FILE) must be set in production.")
    SECRET_KEY = "development-only-key-never-used-in-production-" + "x" * 20  # noqa: S105
elif not DEVELOPMENT and (len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure")):
    raise ImproperlyConfigured("SECRET_KEY must be a random string of at least 50 characters.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"] if DEVELOPMENT else [])
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must list the host names Bodymap is served on.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "axes",
    "bodymap.accounts",
    "bodymap.audit",
    "bodymap.clients",
    "bodymap.booking",
    "bodymap.portal",
    "bodymap.intake",
    "bodymap.consent",
    "bodymap.chart",
    "bodymap.notes",
    "bodymap.safety",
    "bodymap.billing",
    "bodymap.demo",
    "bodymap.integrity",
    "bodymap.exchange",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "bodymap.badinput.RejectNulBytesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "bodymap.accounts.middleware.StaffIdleTimeoutMiddleware",
    "bodymap.accounts.middleware.NoStoreMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "bodymap.urls"
WSGI_APPLICATION = "bodymap.wsgi.application"

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
                "bodymap.accounts.context_processors.membership",
            ],
            # Named here, not only found through the app, because booking pages load it too and
            # tests may run with a narrowed app registry.
            "libraries": {"billing": "bodymap.billing.templatetags.billing"},
        },
    },
]

# SQLite under var/ unless DATABASE_URL says otherwise (PostgreSQL in larger practices).
_DATABASE_URL = env_str("DATABASE_URL")
if not _DATABASE_URL:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        _DATABASE_URL or f"sqlite:///{VAR_DIR / 'bodymap.sqlite3'}",
        # Production keeps a connection for a minute (checked before reuse): opening one per request
        # halves signed-in throughput. Development and the tests open one per request.
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0 if DEVELOPMENT else 60, minimum=0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # JIT off: the access rules' nested subqueries inflate PostgreSQL's cost estimates past the JIT
    # threshold, and compiling them took 0.3 s on pages whose queries run in milliseconds. Bodymap's
    # queries are short index reads that JIT never speeds up.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Immediate transactions serialise writers instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"}
    )
    DATABASES["default"]["TEST"] = {"NAME": env_str("BODYMAP_TEST_SQLITE") or None}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
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
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Two-factor sign-in: the name authenticator apps show beside the code.
OTP_TOTP_ISSUER = env_str("BODYMAP_TOTP_ISSUER") or "Bodymap"

# Staff sessions end after this many idle minutes; each request slides the window.
BODYMAP_STAFF_IDLE_MINUTES = env_int("BODYMAP_STAFF_IDLE_MINUTES", 30, minimum=1)
# Intake links that staff send, or that go out with a booking, work for this many days.
BODYMAP_INTAKE_LINK_DAYS = env_int("BODYMAP_INTAKE_LINK_DAYS", 14, minimum=1)
# Client portal sign-in links are single use and short lived.
BODYMAP_PORTAL_LINK_MINUTES = env_int("BODYMAP_PORTAL_LINK_MINUTES", 30, minimum=1)
# Booking. Emails sent from background tasks (reminders, waitlist offers) need the site's address.
BODYMAP_SITE_URL = (env_str("BODYMAP_SITE_URL") or "").rstrip("/")
if not BODYMAP_SITE_URL:
    if DEVELOPMENT:
        BODYMAP_SITE_URL = "http://127.0.0.1:8000"
    elif ALLOWED_HOSTS[0].startswith((".", "*")):
        raise ImproperlyConfigured("BODYMAP_SITE_URL must be set when ALLOWED_HOSTS starts with a wildcard.")
    else:
        BODYMAP_SITE_URL = f"https://{ALLOWED_HOSTS[0]}"
if not BODYMAP_SITE_URL.startswith("https://" if not DEVELOPMENT else ("http://", "https://")):
    raise ImproperlyConfigured("BODYMAP_SITE_URL must be an https:// address in production.")
# The practice that /book/ and the public API serve when the request does not name one.
BODYMAP_BOOKING_PRACTICE = env_str("BODYMAP_BOOKING_PRACTICE") or ""
# One address may try this many online bookings per window (a 429 after that).
BODYMAP_BOOKING_RATE_LIMIT = env_int("BODYMAP_BOOKING_RATE_LIMIT", 10, minimum=1)
BODYMAP_BOOKING_RATE_WINDOW_SECONDS = env_int("BODYMAP_BOOKING_RATE_WINDOW_SECONDS", 600, minimum=1)
# Background tasks (reminders, the waitlist) are rows in the database, run by `bodymap db_worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Sign-in links and password resets: this many per address, and per email address, per window.
BODYMAP_SIGN_IN_RATE_LIMIT = env_int("BODYMAP_SIGN_IN_RATE_LIMIT", 5, minimum=1)
BODYMAP_SIGN_IN_RATE_WINDOW_SECONDS = env_int("BODYMAP_SIGN_IN_RATE_WINDOW_SECONDS", 900, minimum=1)
# Rate limits count in this cache. Every web process must count together, or each of gunicorn's
# workers grants its own allowance: production refuses a per-process cache.
CACHES = {"default": cache_from_url(env_str("CACHE_URL"), development=DEVELOPMENT)}
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 12, minimum=60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# django-axes: lock an account and address pair after repeated failures.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_ENABLED = env_bool("AXES_ENABLED", True)
# The address behind the proxy, never a header the client chose (see client_ip).
AXES_CLIENT_IP_CALLABLE = "bodymap.audit.log.client_ip"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env_str("TIME_ZONE") or "UTC"

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT") or VAR_DIR / "static")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEVELOPMENT
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEVELOPMENT
if DEVELOPMENT:
    # WhiteNoise expects the collected-files folder to exist even while it serves from the apps.
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)

# Email: the console in development, SMTP configured by the environment in production.
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL") or "Bodymap <no-reply@localhost>"
if DEVELOPMENT and not env_str("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = env_str("EMAIL_HOST") or "localhost"
    EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER") or ""
    EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD") or ""
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10, minimum=1)

# Transport security. Development serves plain HTTP on 127.0.0.1; everything else is HTTPS only.
SECURE_SSL_REDIRECT = not DEVELOPMENT and env_bool("SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = not DEVELOPMENT
CSRF_COOKIE_SECURE = not DEVELOPMENT
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = 0 if DEVELOPMENT else env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEVELOPMENT
SECURE_HSTS_PRELOAD = not DEVELOPMENT and env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Behind our own reverse proxies, trust the headers they set and nothing a client could send past
# them: X-Forwarded-Proto, and the X-Forwarded-For entry BODYMAP_PROXY_COUNT places from the right
# (`bodymap.audit.log.client_ip`, used by audit entries, rate limits and sign-in lockouts).
BODYMAP_BEHIND_PROXY = env_bool("BEHIND_PROXY", False)
BODYMAP_PROXY_COUNT = env_int("BODYMAP_PROXY_COUNT", 1, minimum=1)
if BODYMAP_BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL") or "INFO"},
    "loggers": {"axes": {"level": "WARNING"}},
}

# Online card payments through Stripe Checkout: off unless STRIPE_ENABLED turns them on, and then
# refused without both keys, so a half-configured practice never sends a client to pay.
STRIPE_ENABLED = env_bool("STRIPE_ENABLED", False)
STRIPE_SECRET_KEY = env_secret("STRIPE_SECRET_KEY") or ""
STRIPE_WEBHOOK_SECRET = env_secret("STRIPE_WEBHOOK_SECRET") or ""
# Where the stripe library sends its requests; the tests point it at a local stand-in.
STRIPE_API_BASE = "https://api.stripe.com"
if STRIPE_ENABLED:
    if not STRIPE_SECRET_KEY:
        raise ImproperlyConfigured("STRIPE_ENABLED needs STRIPE_SECRET_KEY (or STRIPE_SECRET_KEY_FILE).")
    if not STRIPE_WEBHOOK_SECRET:
        raise ImproperlyConfigured(
            "STRIPE_ENABLED needs STRIPE_WEBHOOK_SECRET (or STRIPE_WEBHOOK_SECRET_FILE), the endpoint's "
            "signing secret, so that webhooks can be verified."
        )
    # The portal's "Pay online" form is answered with a redirect to Stripe's hosted page.
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"].append("https://checkout.stripe.com")
