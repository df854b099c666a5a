"""Read replicas (DATABASE_REPLICA_URLS): reads of a web request go to a replica, everything else to the primary.

- A request with a safe method (GET, HEAD, OPTIONS) reads from one replica, chosen per request, until it
  writes: from its first write on, and inside any transaction, it reads from the primary ("default").
- A request with another method (POST, …) uses the primary only.
- After a request that wrote, the same client (its session cookie, else its address: no cookie is set for
  this) reads from the primary for REPLICA_PIN_SECONDS, so the page it is sent to next shows what it just
  saved even where the replica lags. The pin lives in the shared cache (Redis in production), so it holds
  whichever app process serves the next request.
- Outside a web request (management commands, ingest, migrations) everything uses the primary, and
  migrations run on the primary only.
"""

import contextvars
import hashlib
import random

from django.conf import settings
from django.core.cache import cache
from django.db import connections

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
# Who is signed in and the login throttle: always read from the primary (small, and must be current).
PRIMARY_APPS = frozenset({"sessions", "auth", "axes", "admin"})
# The shared cache when it is the database's (DatabaseCache, app label "django_cache"): always the primary, and
# writing a cache entry is not a write of the request's data, so it pins nothing.
CACHE_APP = "django_cache"


class _State:
    __slots__ = ("replica", "wrote")

    def __init__(self, replica):
        self.replica = replica  # the alias this request reads from; None once pinned to the primary
        self.wrote = False


_state = contextvars.ContextVar("db_replica_state", default=None)


def replica_aliases():
    return getattr(settings, "DATABASE_REPLICAS", [])


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        state = _state.get()
        if state is None or state.replica is None or connections["default"].in_atomic_block:
            return "default"
        if model._meta.app_label in PRIMARY_APPS or model._meta.app_label == CACHE_APP:
            return "default"
        return state.replica

    def db_for_write(self, model, **hints):
        state = _state.get()
        if state is not None and model._meta.app_label != CACHE_APP:
            state.replica = None
            state.wrote = True
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replicas hold the primary's data

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


def _key(who):
    return "replica-pin:" + hashlib.blake2b(who.encode(), digest_size=12).hexdigest()


def _pin_keys(request, response=None):
    """The client's keys: its address and, when it has one, its session (the new one a login just set)."""
    from config.auth import client_ip

    keys = [_key("address:" + (client_ip(request) or ""))]
    session = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    cookies = getattr(response, "cookies", None) or {}
    if settings.SESSION_COOKIE_NAME in cookies:
        session = cookies[settings.SESSION_COOKIE_NAME].value or session
    if session:
        keys.append(_key("session:" + session))
    return keys


def _pin(request, response):
    cache.set_many(dict.fromkeys(_pin_keys(request, response), 1), settings.REPLICA_PIN_SECONDS)


class ReplicaMiddleware:
    """Decides, per request, whether its reads may go to a replica (see the module's docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        replicas = replica_aliases()
        if not replicas:
            return self.get_response(request)
        pinned = request.method not in SAFE_METHODS or bool(cache.get_many(_pin_keys(request)))
        state = _State(None if pinned else random.choice(replicas))
        token = _state.set(state)
        try:
            response = self.get_response(request)
        finally:
            _state.reset(token)
        if getattr(response, "streaming", False):
            # an export reads while it streams, after this returns: with the same decision
            response.streaming_content = _streamed_with(state, response.streaming_content, request, response)
        elif state.wrote:
            _pin(request, response)
        return response


def _streamed_with(state, content, request, response):
    _state.set(state)
    try:
        yield from content
    finally:
        _state.set(None)
        if state.wrote:
            _pin(request, response)
