"""The gazetteer's spellings as search synonyms, shared by all processes and rebuilt after an edit."""

import re
import uuid

from django.core.cache import cache
from django.db import connection, connections, router, transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from timeline.extract import knowledge as k
from timeline.extract.search import grouped_query, search_stems, synonym_index
from timeline.models import Entity, SearchTerm

_VERSION_KEY = "timeline:gazetteer-version"
_local = {"version": None, "index": {}}


def synonyms():
    """{stem sequence: all spellings} for the current gazetteer (one cache read when nothing changed)."""
    # A fresh random token, not a counter: a key that expired, was culled or rolled back can never come back
    # with a value some process already holds for an older gazetteer.
    version = cache.get_or_set(_VERSION_KEY, lambda: uuid.uuid4().hex, timeout=None)
    if _local["version"] != version:
        entities = [k.Entity(e.slug, e.kind, e.name_en, e.name_ar, tuple(e.aliases)) for e in Entity.objects.all()]
        _local.update(version=version, index=synonym_index(entities))
    return _local["index"]


@receiver([post_save, post_delete], sender=Entity)
def _gazetteer_changed(**kwargs):
    cache.set(_VERSION_KEY, uuid.uuid4().hex, timeout=None)


# "Did you mean": words of the corpus and names of the gazetteer, found again by trigram similarity (pg_trgm).

SUGGESTION_SIMILARITY = 0.4  # below this, a "correction" is more often another word than the same one misspelt
NAME_FREQUENCY = 1_000_000  # a gazetteer name outranks any word of the same similarity
MIN_WORD_LETTERS = 3
MIN_SUGGESTED_LETTERS = 4
MIN_NAME_PART_LETTERS = 5  # "جومابيكوف" alone suggests the whole name; "جين" is too short to mean anyone


def _name_rows(entities):
    """({normalised spelling: standard name}, {one long word of a person's name: standard name})."""
    rows, parts = {}, {}
    for entity in entities:
        for spelling in (entity.name_ar, entity.name_en, *entity.aliases):
            key = " ".join(search_stems(spelling).split())
            # Suggested as the name's standard spelling: توكاييق → قاسم جومارت توكاييف, Tokaev → Kassym-Jomart Tokayev.
            latin = not re.search(r"[\u0600-\u06ff]", spelling)
            standard = (entity.name_en if latin else entity.name_ar) or spelling
            if len(key) >= MIN_WORD_LETTERS:
                rows.setdefault(key, standard)
            if entity.kind == "person" and " " in key:
                for word in key.split():
                    if len(word) >= MIN_NAME_PART_LETTERS:
                        parts.setdefault(word, standard)
    return rows, parts


# As the data-version trigger does (migration 0012): a new number from the sequence.
BUMP_DATA_VERSION = """
INSERT INTO timeline_dataversion (id, version) VALUES (1, nextval('timeline_data_version_seq'))
ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version
"""


def rebuild_search_terms():
    """Recount the corpus's words and list every gazetteer spelling again (a command or a migration calls this)."""


    with transaction.atomic():
        SearchTerm.objects.all().delete()
        with connection.cursor() as cursor:
            cursor.execute(
                """
                INSERT INTO timeline_searchterm (normalized, display, frequency, is_name)
                SELECT word, word, count(DISTINCT id), false
                FROM timeline_event, unnest(string_to_array(search_document, ' ')) AS word
                WHERE length(word) >= %s AND length(word) <= 200
                GROUP BY word
                """,
                [MIN_WORD_LETTERS],
            )
        _upsert_names(_name_rows(Entity.objects.all()))
        with connection.cursor() as cursor:  # "did you mean" may change: pages cached before are not read again
            cursor.execute(BUMP_DATA_VERSION)


def _upsert_names(names):
    """Names replace what the words of the corpus said about the same key; a word of a name never does, and is
    itself replaced by the same word met in the corpus (frequency 0 marks it).

    One statement for each (it runs after every migrate, and in the tests after every flush): row by row, a
    later name with the same key (cut to 200 characters) replaced an earlier one and a later word did not, as
    the two dictionaries below keep them."""
    rows, parts = names
    replacing, first_only = {}, {}
    for key, display in rows.items():
        replacing[key[:200]] = display[:200]
    for key, display in parts.items():
        first_only.setdefault(key[:200], display[:200])
    with connection.cursor() as cursor:
        for values, frequency, conflict in (
            (replacing, NAME_FREQUENCY,
             "DO UPDATE SET display = EXCLUDED.display, frequency = EXCLUDED.frequency, is_name = true"),
            (first_only, 0, "DO NOTHING"),
        ):
            if values:
                cursor.execute(
                    "INSERT INTO timeline_searchterm (normalized, display, frequency, is_name) "
                    "SELECT key, display, %s, true FROM unnest(%s::text[], %s::text[]) AS name (key, display) "
                    f"ON CONFLICT (normalized) {conflict}",
                    [frequency, list(values), list(values.values())],
                )


def sync_name_terms():
    """Every gazetteer spelling listed as a name (idempotent)."""
    _upsert_names(_name_rows(Entity.objects.all()))


def search_words(search_document):
    """The words of a search document that "did you mean" may suggest."""
    return suggestible(set(search_document.split()))


def suggestible(words):
    """Those of a set of words that "did you mean" may suggest (search_words of documents: of their words' union)."""
    return {w for w in words if MIN_WORD_LETTERS <= len(w) <= 200}


def add_words(words):
    """Make these words (search_words of events' search documents) known; ingest calls this, counts wait for a rebuild."""
    words = sorted(words)
    if not words:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO timeline_searchterm (normalized, display, frequency, is_name)
            SELECT word, word, 1, false FROM unnest(string_to_array(%s, ' ')) AS word
            WHERE NOT EXISTS (SELECT FROM timeline_searchterm t WHERE t.normalized = word AND t.frequency <> 0)
            ON CONFLICT (normalized) DO UPDATE SET display = EXCLUDED.display, frequency = 1, is_name = false
            WHERE timeline_searchterm.frequency = 0
            """,
            # NOT EXISTS: the words already counted (nearly all of a batch's thousands) are left out before the
            # insert, which would otherwise lock each one's row (ON CONFLICT locks it even when its WHERE then
            # leaves it alone): 22 ms of CPU became 8-12 ms for a batch's 3,900 words at 10k events. The same rows; ON CONFLICT still settles
            # a word another writer adds meanwhile.
            # one string (words hold no space): a text array's every element went through psycopg's Python quoting
            [" ".join(words)],
        )


@receiver(post_save, sender=Entity)
def _names_changed(instance, raw=False, **kwargs):
    if raw:  # loading a fixture: the reference data's own seeding runs the rebuild
        return
    _upsert_names(_name_rows([instance]))


def suggestion(q):
    """A corrected query, or None: each query word that is neither a known word nor a name is replaced by the most
    similar one (one query, whatever the number of words)."""
    index = synonyms()
    words, checked = [], []
    for stems, _ in grouped_query(q or "", index):
        # A name the gazetteer knows, however it is spelt, needs no correction; a short word is too ambiguous.
        is_name = tuple(stems) in index  # listed as it is written
        for word in stems:
            words.append(word)
            checked.append(not is_name and len(word) >= MIN_SUGGESTED_LETTERS)
    if not any(checked):
        return None
    with connections[router.db_for_read(SearchTerm)].cursor() as cursor:  # a read: a replica may answer
        cursor.execute(
            """
            SELECT q.word, k.known,
                   -- the closest word only for an unknown one (a known word is kept whatever is close to it): the
                   -- trigram search reads most of the vocabulary (70-100 ms at 10k events) and grows with it
                   CASE WHEN NOT k.known THEN
                   (SELECT t.display FROM timeline_searchterm t
                     WHERE t.normalized %% q.word AND strpos(t.normalized, ' ') = 0
                       AND similarity(t.normalized, q.word) >= %s
                     ORDER BY similarity(t.normalized, q.word) DESC, t.frequency DESC, t.normalized LIMIT 1) END
            FROM unnest(%s::text[], %s::boolean[]) WITH ORDINALITY AS q(word, checked, position)
            CROSS JOIN LATERAL (SELECT NOT q.checked OR EXISTS (SELECT 1 FROM timeline_searchterm t
                                                              WHERE t.normalized = q.word) AS known) k
            ORDER BY q.position
            """,
            [SUGGESTION_SIMILARITY, words, checked],
        )
        rows = cursor.fetchall()
    changed = False
    corrected = []
    for word, known, closest in rows:
        if not known and closest and " ".join(search_stems(closest).split()) != word:
            corrected.append(closest)
            changed = True
        else:
            corrected.append(word)
    return " ".join(corrected) if changed else None
