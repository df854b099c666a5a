"""/about/: what the timeline covers, how dates are found and how well, the data dictionary, and coverage."""

import json
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import make_events
from timeline.exports import CSV_HEADER

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def html_of(response):
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("prefix, language", [("", "ar"), ("/en", "en")])
def test_about_page_in_both_languages_has_every_section(client, ingested, prefix, language):
    html = html_of(client.get(prefix + "/about/"))
    assert f'<html lang="{language}"' in html
    for section in ("covers", "coverage", "dates", "confidence", "accuracy", "editors", "data", "cite"):
        assert f'id="{section}"' in html
    if language == "ar":
        assert "كيف يُعرف التاريخ" in html and "قاموس البيانات" in html


def test_methods_are_listed_strongest_first(client, db):
    html = html_of(client.get("/en/about/"))
    methods = re.search(r'<ol class="methods">(.*?)</ol>', html, re.S).group(1)
    order = [m.strip() for m in re.findall(r"<strong>([^<]+)</strong>", methods)]
    assert order[0].startswith("dateline") and "publication" in order[-2] and "editor" in order[-1].lower()
    assert order.index("reference calendar of meetings") < order.index("anniversary")


def test_every_csv_column_is_in_the_data_dictionary_with_a_meaning(client, db):
    html = html_of(client.get("/en/about/"))
    table = re.search(r'<caption id="csv-caption">.*?</table>', html, re.S).group(0)
    rows = re.findall(r'<code dir="ltr">([^<]+)</code></th><td>([^<]*)</td>', table)
    assert [column for column, _ in rows] == CSV_HEADER
    assert all(meaning.strip() for _, meaning in rows), [column for column, meaning in rows if not meaning.strip()]


def test_every_json_field_of_the_export_is_described(client, ingested):
    html = html_of(client.get("/en/about/"))
    table = re.search(r'<caption id="json-caption">.*?</table>', html, re.S).group(0)
    described = " ".join(re.findall(r'<code dir="ltr">([^<]+)</code>', table))
    exported = json.loads(b"".join(client.get("/events.json").streaming_content))
    for key in exported:
        assert key in described
    for key in exported["events"][0]:
        assert key in described, key


def test_accuracy_figures_come_from_the_committed_summary(client, db, tmp_path, monkeypatch):
    from timeline import evaluation

    path = tmp_path / "accuracy.json"
    evaluation.write_summary(path, {"all": {"articles": 107, "date_exact": 0.841, "wrong_dates": 0},
                                    "all, no address": {"articles": 107, "date_exact": 0.794}}, "tests/corpus")
    monkeypatch.setattr(evaluation, "SUMMARY_PATH", path)
    monkeypatch.setattr("timeline.about.read_summary", lambda: evaluation.read_summary(path))
    html = html_of(client.get("/en/about/"))
    table = re.search(r'<caption id="accuracy-caption">.*?</table>', html, re.S).group(0)
    assert "84.1%" in table and "79.4%" in table and ">107<" in table
    path.write_text("not json")
    assert "Not measured yet" in html_of(client.get("/en/about/"))


def test_the_committed_summary_is_the_evaluate_commands_output():
    from timeline.evaluation import read_summary

    summary = read_summary()
    assert summary is not None, "run manage.py evaluate --write-summary and commit timeline/fixtures/accuracy.json"
    figures = summary["columns"]["all"]
    assert figures["articles"] >= 100 and 0 < figures["date_exact"] <= 1 and figures["wrong_dates"] == 0


def test_coverage_counts_events_and_reports_per_year_by_outlet_with_empty_years_and_links(client, ingested):
    html = html_of(client.get("/en/about/"))
    table = re.search(r'<caption id="coverage-outlets">.*?</table>', html, re.S).group(0)
    years = re.findall(r'<th scope="col"><bdi dir="ltr">(\d{4})</bdi></th>', table)
    assert years == [str(y) for y in range(2017, 2026)]  # 2018–2021 and 2023 have no events and are shown
    xinhua = re.search(r'<tr><th scope="row"[^>]*>Xinhua</th>(.*?)</tr>', table, re.S).group(1)
    links = re.findall(r'<a href="([^"]+)"', xinhua)
    assert links == ["/en/?year_from=2017&amp;year_to=2017&amp;outlet=xinhua",
                     "/en/?year_from=2022&amp;year_to=2022&amp;outlet=xinhua"]
    # The bar's link leads to the timeline with exactly that outlet's events of that year.
    listed = html_of(client.get(links[1].replace("&amp;", "&")))
    assert "وزيرا الخارجية الصيني والقازاقي" in listed and re.search(r'result-count">\s*1 event', listed)
    languages = re.search(r'<caption id="coverage-languages">.*?</table>', html, re.S).group(0)
    assert re.search(r'<th scope="row" lang="ar">العربية</th>', languages)
    assert "<strong>4</strong>" in languages and "(5 reports)" in languages


def test_an_unknown_outlet_is_a_row_of_its_own(client, ingested):
    from timeline.models import Article

    Article.objects.filter(event__date_start__year=2025).update(outlet=None)
    html = html_of(client.get("/en/about/"))
    row = re.search(r'<tr><th scope="row">outlet unknown</th>(.*?)</tr>', html, re.S).group(1)
    assert '/en/?year_from=2025&amp;year_to=2025"' in row


def test_about_runs_a_fixed_number_of_queries_and_caches_the_coverage(client, db):
    make_events(5)
    with CaptureQueriesContext(connection) as small:
        client.get("/about/")
    cache.clear()
    make_events(60, start_year=1995)
    with CaptureQueriesContext(connection) as large:
        html = html_of(client.get("/about/"))
    # 4 counting queries, plus the shared cache's own (a table in the database without REDIS_URL)
    assert len(small) == len(large)
    assert sum(q["sql"].lstrip().upper().startswith("SELECT") and "timeline_cache" not in q["sql"] for q in large) <= 4
    assert 'href="/?year_from=1995&amp;year_to=1995&amp;outlet=bulk-60"' in html
    with CaptureQueriesContext(connection) as cached:
        client.get("/en/about/")
    assert all("timeline_cache" in q["sql"] for q in cached)  # served from the cache: no event or article read


def test_about_with_no_events_says_so(client, db):
    html = html_of(client.get("/en/about/"))
    assert "No dated events yet." in html
