#!/bin/sh
# Container entrypoint.
#   no arguments:   migrate (unless MIGRATE_ON_START is false), then serve with gunicorn
#   with arguments: run them instead, e.g. `docker run IMAGE python manage.py createsuperuser`
set -eu

if [ "$#" -gt 0 ]; then
    exec "$@"
fi

if [ -z "${DATABASE_URL:-}" ]; then
    echo "docker-entrypoint: DATABASE_URL must be set (postgresql://user:password@host:5432/dbname)" >&2
    exit 64
fi
if [ -z "${SECRET_KEY:-}" ]; then
    echo "docker-entrypoint: SECRET_KEY must be set" >&2
    exit 64
fi

case "$(printf '%s' "${MIGRATE_ON_START:-true}" | tr '[:upper:]' '[:lower:]')" in
    1 | true | yes | on)
        python manage.py migrate --noinput
        ;;
    0 | false | no | off | "")
        echo "docker-entrypoint: MIGRATE_ON_START is off, not migrating"
        ;;
    *)
        echo "docker-entrypoint: MIGRATE_ON_START must be true or false, got '${MIGRATE_ON_START}'" >&2
        exit 64
        ;;
esac

exec gunicorn config.wsgi:application \
    --bind "0.0.0.0:${PORT:-8000}" \
    --workers "${WEB_CONCURRENCY:-3}" \
    --worker-tmp-dir /dev/shm \
    --no-control-socket \
    --access-logfile - \
    --error-logfile -
