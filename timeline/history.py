"""What changed in an article or event, from what to what, by whom or what, when and why.

The rows are written by database triggers (django-pghistory): an editor's save in the admin, ingest's
bulk regrouping and raw SQL are all recorded. Each row carries the context it was written in: the
editor's user id (pghistory's middleware), or the command (`machine("ingest")`), and a reason.
"""

import datetime
from dataclasses import dataclass, field
from types import SimpleNamespace

import json

import pghistory
from django.contrib.auth import get_user_model
from pghistory import config as _pghistory_config
from pghistory import runtime as _pghistory_runtime
from django.utils.translation import gettext as _

_inject_into_statement = _pghistory_runtime._inject_history_context


def _inject_history_context(execute, sql, params, many, context):
    """pghistory's context, also for `executemany`.

    pghistory puts the context's values before the statement's parameters, which breaks executemany (a
    list of parameter rows: "query parameters should be a sequence or a mapping"; django-pghistory issue
    258, open). For executemany the context is set by a statement of its own just before; set_config(…, true)
    holds to the end of the transaction, and the admin's writes run in one.
    """
    if not many:
        return _inject_into_statement(execute, sql, params, many, context)
    text = sql.decode() if isinstance(sql, bytes) else sql
    tracker = getattr(_pghistory_runtime._tracker, "value", None)
    if tracker is not None and _pghistory_runtime._can_inject_variable(context["cursor"], text):
        metadata = json.dumps(tracker.metadata, cls=_pghistory_config.json_encoder())
        context["cursor"].execute(
            "SELECT set_config('pghistory.context_id', %s, true), set_config('pghistory.context_metadata', %s, true)",
            [str(tracker.id), metadata],
        )
    return execute(sql, params, many, context)


# pghistory.context looks the wrapper up when it is entered: every context from now on uses this one.
_pghistory_runtime._inject_history_context = _inject_history_context

#: Fields the history list leaves out: bookkeeping, not something an editor or a reader changes.
QUIET_FIELDS = {"id", "created_at"}


def machine(command):
    """The context for changes a command makes: `with machine("ingest"): …` records "ingest" as their author."""
    return pghistory.context(command=command)


def record_reason(reason, correction=False):
    """Attach an editor's reason (and whether the change corrects a date) to the changes of this request."""
    metadata = {}
    if reason:
        metadata["reason"] = reason
    if correction:
        metadata["correction"] = True
    return pghistory.context(**metadata)


@dataclass
class Change:
    when: datetime.datetime
    label: str  # insert, update or delete
    by: str
    reason: str
    fields: list = field(default_factory=list)  # [(field's name as shown, old value, new value)]


def _tracked(history_model):
    return [f for f in history_model._meta.concrete_fields if not f.name.startswith("pgh_") and f.name not in QUIET_FIELDS]


def _authors(rows):
    """{row's pgh_id: who or what made it}, with one query for the editors' names."""
    ids = {r.pgh_context.metadata.get("user") for r in rows if r.pgh_context and r.pgh_context.metadata.get("user")}
    names = dict(get_user_model().objects.filter(pk__in=ids).values_list("pk", "username")) if ids else {}
    authors = {}
    for row in rows:
        metadata = row.pgh_context.metadata if row.pgh_context else {}
        if metadata.get("user") and metadata.get("command"):  # the machine's work, asked for by an editor
            authors[row.pgh_id] = _("command “%(command)s”, asked by %(user)s") % {
                "command": metadata["command"], "user": names.get(metadata["user"], f"#{metadata['user']}"),
            }
        elif metadata.get("user"):
            authors[row.pgh_id] = names.get(metadata["user"], f"#{metadata['user']}")
        elif metadata.get("command"):
            authors[row.pgh_id] = _("command “%(command)s”") % {"command": metadata["command"]}
        else:
            authors[row.pgh_id] = _("unrecorded (outside the app)")
    return authors


def changes(obj, limit=200):
    """The changes to `obj`, newest first: each with every field it changed as (name, old, new)."""
    history_model = obj.history.model
    tracked = _tracked(history_model)
    rows = list(obj.history.select_related("pgh_context").order_by("-pgh_id")[:limit])[::-1]
    authors = _authors(rows)
    result, previous = [], None
    for row in rows:
        metadata = row.pgh_context.metadata if row.pgh_context else {}
        change = Change(row.pgh_created_at, row.pgh_label, authors[row.pgh_id], metadata.get("reason", ""))
        for f in tracked:
            new = getattr(row, f.attname)
            # No earlier row: the record began after the object (rows older than the history are not known).
            old = getattr(previous, f.attname) if previous is not None else (None if row.pgh_label == "insert" else "?")
            if previous is None and row.pgh_label == "insert" and new in (None, "", [], {}):
                continue
            if previous is None or old != new:
                if row.pgh_label != "delete":
                    change.fields.append((_field_name(obj, f), old, new))
        result.append(change)
        previous = row
    return result[::-1]


def _field_name(obj, history_field):
    try:
        return str(type(obj)._meta.get_field(history_field.name).verbose_name)
    except Exception:  # noqa: BLE001 - a field the model no longer has keeps its own name
        return history_field.name


def date_corrections(event):
    """The editors' corrections of the event's date, oldest first, for the public page (no editor's name):
    [{on, old, new, reason}] where old and new have date_start, date_end and precision (the `when` filter).

    Only an event whose date is an editor's now has any (set on the event, or on the article it takes its
    date from: an editor's date outranks every other): other event pages read no history at all.
    """
    if event.date_method != "editor":
        return []
    rows = event.history.order_by("pgh_id").values(
        "pgh_created_at", "date_start", "date_end", "precision", "pgh_context__metadata"
    )
    corrections, previous = [], None
    for row in rows:
        metadata = row["pgh_context__metadata"] or {}
        dates = (row["date_start"], row["date_end"], row["precision"])
        if previous is not None and dates != previous and metadata.get("correction"):
            corrections.append({
                "on": row["pgh_created_at"],
                "old": SimpleNamespace(date_start=previous[0], date_end=previous[1], precision=previous[2]),
                "new": SimpleNamespace(date_start=dates[0], date_end=dates[1], precision=dates[2]),
                "reason": metadata.get("reason", ""),
            })
        previous = dates
    return corrections
