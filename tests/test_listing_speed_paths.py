"""The fast paths of the listing give what the straightforward queries give: search through the stored vector (rare
words by the ids the index lists, common ones checked row by row), phrases the query no longer needs, pages fetched
by id, the event page's neighbours, the partial that swaps one page for another."""

import datetime
import random
import re

import pytest
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import json_of, make_events
from timeline import models
from timeline.extract.search import _phrase_query, build_tsquery, grouped_query, name_spellings, search_stems
from timeline.filtering import PAGE_SIZE
from timeline.models import Event
from timeline.search import synonyms

pytestmark = pytest.mark.django_db

WORDS = ["الصين", "كازاخستان", "قازاقستان", "توكاييف", "قاسم جومارت توكاييف", "شي جين بينغ", "الحزام", "والطريق",
         "تجارة", "Tokayev", "Xi Jinping", "استانا", "نور سلطان", "امن", "طاقة", "الغاز"]
QUERIES = ["الصين", "كازاخستان", "Tokayev", "توكاييف", '"الحزام والطريق"', "شي", "Xi Jinping", "نور سلطان", "الغاز تجارة",
           "نادرة"]


def unpruned_tsquery(q, synonyms):
    """build_tsquery as it was: every alternative, even a phrase another alternative implies."""
    clauses = []
    for stems, _ in grouped_query(q, synonyms):
        alternatives = {tuple(stems)} | name_spellings(stems, synonyms)
        clauses.append("(" + " | ".join(_phrase_query(list(a)) for a in sorted(alternatives)) + ")")
    return " & ".join(clauses) if clauses else None


def generated_events(n, seed=4):
    rng = random.Random(seed)
    events = []
    for i in range(n):
        day = datetime.date(2000 + rng.randrange(10), 1 + rng.randrange(12), 1 + rng.randrange(28))
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randrange(1, 8)))
        if i % 17 == 0:
            text += " نادرة"
        events.append(Event(slug=f"g{i}", title=f"حدث {i}", date_start=day, date_end=day, precision="day",
                            search_document=search_stems(text)))
    events.append(Event(slug="undated", title="بلا تاريخ", search_document=search_stems("الصين نادرة")))
    return Event.objects.bulk_create(events)


def plain_matches(tsquery):
    """The straightforward query: the document parsed again, no stored column, no index."""
    return list(
        Event.objects.dated().annotate(v=SearchVector("search_document", config="simple"))
        .filter(v=SearchQuery(tsquery, search_type="raw", config="simple")).order_by("date_start", "date_end", "pk")
        .values_list("slug", flat=True)
    )


def json_slugs(client, query):
    return [e["slug"] for e in json_of(client.get(f"/events.json?{query}"))["events"]]


def page_slugs(html):
    """The events the list shows (the time axis above it links to them too when they are few)."""
    return re.findall(r'href="/events/([\w-]+)/', html[html.index('id="events-page"'):])


def test_pruned_queries_match_what_every_alternative_matched(db):
    generated_events(150)
    for q in QUERIES:
        pruned, full = build_tsquery(q, synonyms()), unpruned_tsquery(q, synonyms())
        assert plain_matches(pruned) == plain_matches(full), q
    assert "<->" not in build_tsquery("Tokayev", synonyms())  # its full name's phrases add nothing


@pytest.mark.parametrize("rare_limit", [0, 5, 10_000])
def test_search_gives_the_plain_querys_events_whether_the_word_is_rare_or_common(client, db, monkeypatch, rare_limit):
    monkeypatch.setattr(models, "RARE_MATCHES", rare_limit)
    generated_events(150)
    for q in QUERIES:
        expected = plain_matches(build_tsquery(q, synonyms()))
        assert json_slugs(client, f"q={q}") == expected, q
        assert expected or q == "نادرة"
        html = client.get("/", {"q": q}).content.decode()
        assert page_slugs(html) == expected[:PAGE_SIZE], q


def test_ids_matching_lists_a_rare_words_events_and_declines_a_common_one(db):
    generated_events(150)
    rare, common = build_tsquery("نادرة", synonyms()), build_tsquery("الصين", synonyms())
    ids = Event.objects.ids_matching(rare, limit=50)
    assert ids is not None and sorted(Event.objects.filter(pk__in=ids).values_list("slug", flat=True)) == sorted(
        [*plain_matches(rare), "undated"])
    assert Event.objects.ids_matching(common, limit=5) is None
    with connection.cursor() as cursor:  # the planner settings the probe changes are restored
        cursor.execute("SHOW enable_seqscan")
        assert cursor.fetchone()[0] == "on"


def test_every_page_holds_the_events_of_a_plain_offset_and_deep_pages_work(client, db):
    make_events(260, start_year=2001)
    ordered = list(Event.objects.dated().order_by("date_start", "date_end", "pk").values_list("slug", flat=True))
    for page in (1, 2, 5, 6):
        html = client.get(f"/?page={page}").content.decode()
        assert page_slugs(html) == ordered[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    assert page_slugs(client.get("/?page=1000").content.decode()) == ordered[250:]  # the last page, reported


def test_a_pagination_link_swaps_only_the_page_without_counting_facets(client, db):
    make_events(120, start_year=2001)
    full = client.get("/?page=2", HTTP_HX_REQUEST="true")
    with CaptureQueriesContext(connection) as queries:
        only = client.get("/?page=2", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="events-page")
    html = only.content.decode()
    assert html.count('id="events-page"') == 1 and 'id="filters"' not in html
    assert page_slugs(html) == page_slugs(full.content.decode())
    # the page numbers shown outside the list follow, out of band
    assert re.search(r'id="result-count"[^>]*hx-swap-oob="true"[^>]*>[^<]*120[^<]*2', html)
    assert 'id="languages"' in html and only["HX-Push-Url"] == "/?page=2"
    assert len(only.content) < len(full.content) * 0.7
    assert len(queries) <= 6  # topics, data version + the cached block (its total), page, its topics, its articles: no facet counted
    assert "Vary" in only and "HX-Target" in only["Vary"]
    assert 'hx-target="#events-page"' in client.get("/").content.decode()  # and the links ask for it


def test_event_page_neighbours_follow_the_timeline_order_including_ties(client, db):
    day = datetime.date(2010, 5, 5)
    same = Event.objects.bulk_create(
        Event(slug=f"tie{i}", title=f"حدث {i}", date_start=day, date_end=day + datetime.timedelta(days=i % 2),
              precision="day") for i in range(4)
    )
    ordered = list(Event.objects.dated().order_by("date_start", "date_end", "pk"))
    assert {e.pk for e in ordered} == {e.pk for e in same}
    for i, event in enumerate(ordered):
        html = client.get(f"/events/{event.slug}/").content.decode()
        prev_link = re.search(r'rel="prev" href="/events/([\w-]+)/', html)
        next_link = re.search(r'rel="next" href="/events/([\w-]+)/', html)
        assert (prev_link and prev_link.group(1)) == (ordered[i - 1].slug if i else None)
        assert (next_link and next_link.group(1)) == (ordered[i + 1].slug if i + 1 < len(ordered) else None)


def test_a_passage_cut_from_the_head_of_a_long_text_is_the_one_the_whole_text_gives(db):
    from timeline import highlight
    from timeline.extract.search import highlight_pattern

    rng = random.Random(7)
    words = ["الصين", "وكازاخستان", "بالتعاون", "قازاقستان", "ـ", "َ", " ", "  ", "\n", "\n\n", "«الطاقة»", "والطريق",
             "الحزام", "Tokayev", "توكاييف"] + ["كلمة"] * 20
    patterns = [highlight_pattern(q, synonyms()) for q in ("الصين", "كازاخستان", "الحزام والطريق", "Tokayev")]
    for _ in range(300):
        text = "".join(rng.choice(words) + rng.choice([" ", "", "\n"]) for _ in range(rng.randrange(50, 900)))
        for pattern in patterns:
            whole = highlight._spans_of(pattern, text)
            expected = None
            if whole:  # the passage as computed from the whole text's spans
                start = max(0, whole[0][0] - 220 // 3)
                end = min(len(text), start + 220)
                local = [(s - start, e - start, "q") for s, e in whole if start <= s and e <= end]
                expected = ("…" if start else "") + highlight.marked(text[start:end], local) + (
                    "…" if end < len(text) else "")
            assert highlight.search_passage(text, pattern) == expected


def test_the_common_word_shortcut_weighs_the_estimate_against_the_table(db, monkeypatch):
    """A word expected in most events is common without a probe of the index; one expected in few is probed
    even above COMMON_ESTIMATE (at 100k events a rare name's many spellings are overestimated fortyfold)."""
    generated_events(150)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE timeline_event")
    monkeypatch.setattr(models, "COMMON_ESTIMATE", 0)
    common, rare = build_tsquery("الصين", synonyms()), build_tsquery("نادرة", synonyms())
    with CaptureQueriesContext(connection) as common_queries:
        assert Event.objects.ids_matching(common, limit=5) is None
    assert len(common_queries) == 1  # the EXPLAIN alone
    with CaptureQueriesContext(connection) as rare_queries:
        ids = Event.objects.ids_matching(rare, limit=50)
    assert sorted(Event.objects.filter(pk__in=ids).values_list("slug", flat=True)) == sorted(
        [*plain_matches(rare), "undated"])
    assert len(rare_queries) > 1
