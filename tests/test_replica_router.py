"""Read replicas: with DATABASE_REPLICA_URLS pointing at the same server, pages read from the replica alias,
writes and what a request reads after its write stay on the primary, and migrations run on the primary only.

The app runs in a child process configured as in production (the settings read the environment once);
the replica URL names the same test database, so what is read is real and committed."""

import json
import os
import subprocess
import sys

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from tests.conftest import ROOT, SEEDS, live_database_url
from timeline.ingest import article_files, ingest_file
from timeline.reference import current_knowledge

SCRIPT = r"""
import json
import django
django.setup()
from django.conf import settings
from django.db import connections, router
from django.db.models import F
from django.test import Client
from django.test.utils import CaptureQueriesContext
from config.db_router import ReplicaMiddleware
from timeline.models import Event, Topic

def used(call):
    with CaptureQueriesContext(connections["default"]) as primary, CaptureQueriesContext(connections["replica1"]) as replica:
        result = call()
    # The shared cache's own table (DatabaseCache without REDIS_URL) always lives on the primary: not a read of the page's data.
    data = [q for q in primary if "timeline_cache" not in q["sql"] and not q["sql"].lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "BEGIN", "COMMIT", "ROLLBACK"))]
    return {"primary": len(data), "replica": len(replica), "result": result}

out = {"replicas": settings.DATABASE_REPLICAS, "routers": settings.DATABASE_ROUTERS}
reader = Client(REMOTE_ADDR="192.0.2.1")
out["page"] = used(lambda: reader.get("/").status_code)
event_url = Event.objects.first().get_absolute_url()
out["event"] = used(lambda: reader.get(event_url).status_code)
out["export"] = used(lambda: len(b"".join(reader.get("/events.json").streaming_content)))
out["outside_a_request"] = used(lambda: Event.objects.count())
editor = Client(REMOTE_ADDR="192.0.2.2")
out["login_post"] = used(lambda: editor.post(
    "/" + settings.ADMIN_PATH + "login/", {"username": "editor", "password": "a long enough password"}).status_code)
out["after_the_write"] = used(lambda: editor.get("/").status_code)
out["someone_else"] = used(lambda: Client(REMOTE_ADDR="192.0.2.3").get("/").status_code)

def view_that_writes(request):
    before = used(lambda: Topic.objects.count())
    written = used(lambda: Topic.objects.filter(slug="trade").update(position=F("position")))
    after = used(lambda: Topic.objects.count())
    return {"before": before, "write": written, "after": after}

class Request:
    method = "GET"
    COOKIES = {}
    META = {"REMOTE_ADDR": "192.0.2.4"}
out["read_write_read"] = ReplicaMiddleware(view_that_writes)(Request())
out["next_request_of_that_client"] = ReplicaMiddleware(lambda r: used(lambda: Topic.objects.count()))(Request())
out["migrate"] = {alias: router.allow_migrate(alias, "timeline", model_name="event") for alias in ("default", "replica1")}
print(json.dumps(out))
"""


@pytest.fixture
def served_with_a_replica(transactional_db):
    knowledge = current_knowledge()
    for path in article_files([SEEDS]):
        ingest_file(path, knowledge)
    get_user_model().objects.create_superuser("editor", "editor@example.org", "a long enough password")
    url = live_database_url(connection)
    env = dict(os.environ, DATABASE_URL=url, DATABASE_REPLICA_URLS=url + "?application_name=replica", DEBUG="1")
    env.pop("REDIS_URL", None)
    done = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_pages_read_from_the_replica_writes_and_reads_after_them_from_the_primary(served_with_a_replica):
    out = served_with_a_replica
    assert out["replicas"] == ["replica1"] and out["routers"] == ["config.db_router.ReplicaRouter"]
    for name in ("page", "event", "someone_else"):
        assert out[name]["result"] == 200
        assert out[name]["replica"] > 0 and out[name]["primary"] == 0, (name, out[name])
    # the export streams after the view returns: still from the replica, and complete
    assert out["export"]["replica"] > 0 and out["export"]["primary"] == 0 and out["export"]["result"] > 1000
    # commands and ingest: the primary
    assert out["outside_a_request"]["primary"] == 1 and out["outside_a_request"]["replica"] == 0
    # a POST (the login writes its session) uses the primary only, and that client's next page too
    assert out["login_post"]["result"] == 302
    assert out["login_post"]["replica"] == 0 and out["login_post"]["primary"] > 0
    assert out["after_the_write"]["result"] == 200
    assert out["after_the_write"]["replica"] == 0 and out["after_the_write"]["primary"] > 0

    # in one request: a read after a write stays on the primary
    steps = served_with_a_replica["read_write_read"]
    assert steps["before"]["replica"] == 1 and steps["before"]["primary"] == 0
    assert steps["write"]["primary"] == 1 and steps["write"]["replica"] == 0
    assert steps["after"]["primary"] == 1 and steps["after"]["replica"] == 0
    # and the same client's next request, within REPLICA_PIN_SECONDS, with no cookie set for it
    following = served_with_a_replica["next_request_of_that_client"]
    assert following["primary"] == 1 and following["replica"] == 0

    # migrations run on the primary only
    assert served_with_a_replica["migrate"] == {"default": True, "replica1": False}
