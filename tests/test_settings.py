"""Settings fail closed: production is the default and refuses to start half-configured."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def bodymap(*args, tmp_path, **env):
    clean = {
        k: v
        for k, v in os.environ.items()
        # DATABASE_URL too: `check` reads the database, and these runs use a throwaway SQLite one.
        if not k.startswith(("BODYMAP_", "DJANGO_", "SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "DATABASE_URL"))
    }
    clean.update({"BODYMAP_VAR_DIR": str(tmp_path), **env})
    return subprocess.run(  # noqa: S603 - our own command line, fixed arguments
        [sys.executable, "-m", "bodymap.cli", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def production(**extra):
    return {
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "bodymap.example.com",
        "CACHE_URL": "db://bodymap_cache",
        **extra,
    }


def test_it_passes_the_deployment_checklist_in_production(tmp_path):
    result = bodymap("check", "--deploy", "--fail-level", "WARNING", tmp_path=tmp_path, **production())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_it_is_production_unless_told_otherwise(tmp_path):
    result = bodymap(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings as s; "
        "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.SECURE_HSTS_SECONDS > 0, "
        "s.PASSWORD_HASHERS[0].endswith('Argon2PasswordHasher'), s.EMAIL_BACKEND)",
        tmp_path=tmp_path,
        **production(DEBUG="true"),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "False",
        "True",
        "True",
        "True",
        "django.core.mail.backends.smtp.EmailBackend",
    ]


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"ALLOWED_HOSTS": "bodymap.example.com"}, "SECRET_KEY"),
        ({"SECRET_KEY": "short", "ALLOWED_HOSTS": "bodymap.example.com"}, "at least 50 characters"),
        ({"SECRET_KEY": secrets.token_urlsafe(60)}, "ALLOWED_HOSTS"),
        ({**production(), "AXES_FAILURE_LIMIT": "many"}, "AXES_FAILURE_LIMIT must be a whole number"),
        ({**production(), "EMAIL_USE_TLS": "perhaps"}, "EMAIL_USE_TLS must be true or false"),
        ({**production(), "BODYMAP_ENV": "staging"}, "BODYMAP_ENV must be"),
        ({**production(), "CACHE_URL": ""}, "CACHE_URL must name a cache every web process shares"),
        ({**production(), "CACHE_URL": "locmem://"}, "keeps counts per process"),
        ({**production(), "CACHE_URL": "memcached://cache:11211"}, "CACHE_URL must start with"),
        ({**production(), "BODYMAP_PROXY_COUNT": "0"}, "BODYMAP_PROXY_COUNT must be at least 1"),
        ({**production(), "STRIPE_ENABLED": "true"}, "STRIPE_ENABLED needs STRIPE_SECRET_KEY"),
        (
            {**production(), "STRIPE_ENABLED": "true", "STRIPE_SECRET_KEY": "sk_test_x"},
            "STRIPE_ENABLED needs STRIPE_WEBHOOK_SECRET",
        ),
        ({**production(), "STRIPE_ENABLED": "maybe"}, "STRIPE_ENABLED must be true or false"),
    ],
)
def test_it_refuses_to_start_misconfigured(tmp_path, env, message):
    result = bodymap("check", tmp_path=tmp_path, **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and message in result.stderr


def test_it_reads_the_secret_key_from_a_file(tmp_path):
    key_file = tmp_path / "secret"
    key_file.write_text(secrets.token_urlsafe(60) + "\n")
    result = bodymap(
        "check",
        tmp_path=tmp_path,
        SECRET_KEY_FILE=str(key_file),
        ALLOWED_HOSTS="bodymap.example.com",
        CACHE_URL="db://bodymap_cache",
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("url", "backend"),
    [
        ("redis://cache.internal:6379/0", "django.core.cache.backends.redis.RedisCache"),
        ("db://bodymap_cache", "django.core.cache.backends.db.DatabaseCache"),
    ],
)
def test_it_counts_rate_limits_in_the_shared_cache_it_is_given(tmp_path, url, backend):
    result = bodymap(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings as s; print(s.CACHES['default']['BACKEND'])",
        tmp_path=tmp_path,
        **production(CACHE_URL=url),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [backend]


def test_it_keeps_database_connections_for_a_minute_in_production(tmp_path):
    # Opening a connection per request halves signed-in throughput; a kept one is checked before reuse.
    result = bodymap(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings as s; d = s.DATABASES['default']; "
        "print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])",
        tmp_path=tmp_path,
        **production(),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["60", "True"]


def test_it_turns_postgresql_jit_off(tmp_path):
    result = bodymap(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings as s; print(s.DATABASES['default']['OPTIONS']['options'])",
        tmp_path=tmp_path,
        **production(DATABASE_URL="postgres://bodymap@127.0.0.1:5432/bodymap"),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "-c jit=off"
