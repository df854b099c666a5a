# syntax=docker/dockerfile:1
#
# Production image: gunicorn serving Django, static files by whitenoise
# (CompressedManifestStaticFilesStorage, collected at build time).
#
#   docker build -t timeline .
#   docker run -p 8000:8000 \
#     -e SECRET_KEY=... -e DATABASE_URL=postgresql://user:pass@db:5432/timeline \
#     -e ALLOWED_HOSTS=timeline.example.org \
#     -e CSRF_TRUSTED_ORIGINS=https://timeline.example.org \
#     -e BEHIND_TLS_PROXY=1 timeline
#
# Runtime environment
#   required:
#     SECRET_KEY            long random string (settings refuse to start without it when DEBUG=0)
#     DATABASE_URL          postgresql://user:password@host:5432/dbname (PostgreSQL only; without
#                           it the settings would try to start an embedded server, which this
#                           image does not support - the entrypoint refuses to start instead)
#     ALLOWED_HOSTS         comma-separated host names, e.g. timeline.example.org,.example.org
#     CSRF_TRUSTED_ORIGINS  comma-separated origins with scheme, e.g. https://timeline.example.org
#                           (needed for admin/form POSTs over HTTPS)
#     BEHIND_TLS_PROXY      1 when a proxy terminates TLS and sets X-Forwarded-Proto: https
#                           (otherwise SECURE_SSL_REDIRECT would loop); leave unset/0 otherwise
#   optional:
#     PORT (8000), WEB_CONCURRENCY (3 gunicorn workers), MIGRATE_ON_START (true),
#     REDIS_URL (shared cache; set it when running more than one container),
#     CONN_MAX_AGE (60), LOG_LEVEL (INFO), SECURE_HSTS_SECONDS (31536000),
#     SECURE_HSTS_PRELOAD, SECURE_SSL_REDIRECT, SECURE_COOKIES,
#     FORWARDED_ALLOW_IPS (gunicorn: proxies trusted for X-Forwarded-* scheme headers)
#
# With several replicas, set MIGRATE_ON_START=0 on all but one (or run
# `docker run ... timeline python manage.py migrate` as a release step).

FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_INPUT=1

WORKDIR /app

# An unprivileged user to run the app; the code stays owned by root (read-only to the app).
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /app --no-create-home --shell /usr/sbin/nologin app

# Dependencies first, so code changes do not reinstall them (psycopg[binary] needs no compiler).
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

COPY . .

# Hashed, compressed static files for whitenoise's manifest storage. The settings need
# a SECRET_KEY and a DATABASE_URL to import (nothing connects to the database here);
# these build-only values exist for this one step and are not kept in the image.
RUN DEBUG=0 \
    SECRET_KEY=build-only-not-a-secret \
    DATABASE_URL=postgresql://build@localhost/build \
    python manage.py collectstatic --noinput \
    && python -m compileall -q /app/config /app/timeline \
    && chmod 0755 /app/docker-entrypoint.sh

ENV DEBUG=0 \
    PORT=8000

USER 10001:10001

EXPOSE 8000

# /healthz checks the database too. Sent with the first ALLOWED_HOSTS name as Host
# (".example.org" is sent as "example.org"; "*" or nothing as "localhost"); /healthz is
# exempt from the HTTPS redirect (SECURE_REDIRECT_EXEMPT), so no proxy header is needed.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request as u; h = (os.getenv('ALLOWED_HOSTS', '').split(',')[0].strip().lstrip('.*') or 'localhost'); r = u.urlopen(u.Request('http://127.0.0.1:%s/healthz' % os.getenv('PORT', '8000'), headers={'Host': h}), timeout=4); raise SystemExit(0 if r.status == 200 else 1)"]

ENTRYPOINT ["/app/docker-entrypoint.sh"]
