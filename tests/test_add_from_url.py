"""Editors: "Add from URL" in the admin, and `manage.py ingest_urls`."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management import CommandError, call_command

from tests.page_server import PAGES, REPORT_HTML, REPORT_TITLE, loopback_allowed, site  # noqa: F401
from timeline.extract import extract_article
from timeline.models import Article, Event
from timeline.reference import current_knowledge

pytestmark = pytest.mark.django_db

ADD = "/admin/timeline/article/add-from-url/"


def token_of(response):
    match = re.search(r'name="token" value="([^"]+)"', response.content.decode())
    return match.group(1) if match else None


def preview(client, url):
    response = client.post(ADD, {"url": url})
    assert response.status_code == 200
    return response


# --- the way in -----------------------------------------------------------------------------------


def test_the_form_is_linked_from_the_article_list_and_the_admin_home(editor_client):
    assert ADD in editor_client.get("/admin/timeline/article/").content.decode()
    assert ADD in editor_client.get("/admin/").content.decode()
    page = editor_client.get(ADD)
    assert page.status_code == 200 and 'name="url"' in page.content.decode() and 'name="token"' not in page.content.decode()


def test_only_staff_with_the_right_to_add_articles_may_use_it(client, site, loopback_allowed):
    assert client.get(ADD).status_code == 302  # to the login page
    user = get_user_model().objects.create_user("reader", "", "a-long-test-password", is_staff=True)
    client.force_login(user)
    assert client.post(ADD, {"url": site.base + "/news/x.html"}).status_code == 403
    assert site.requests == []  # nothing fetched for someone who may not add
    user.user_permissions.add(Permission.objects.get(codename="add_article"))
    assert client.get(ADD).status_code == 200


def test_the_form_is_protected_against_cross_site_posts(site, loopback_allowed):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(get_user_model().objects.create_superuser("editor", "", "a-long-test-password"))
    assert client.post(ADD, {"url": site.base + "/news/x.html"}).status_code == 403
    assert site.requests == []


# --- preview, then save ---------------------------------------------------------------------------


def test_preview_shows_what_would_be_stored_and_stores_nothing(editor_client, site, loopback_allowed):
    response = preview(editor_client, site.base + "/news/2023/09/12/corridor.html")
    html = response.content.decode()
    assert REPORT_TITLE in html
    assert "كونا" in html or "Kuwait News Agency" in html  # the outlet, from the dateline
    assert "2023-09-12" in html and "سطر التاريخ في الخبر" in html  # the date and how it was found
    assert "(كونا)" in html  # the evidence
    assert re.search(r"\d+%", html)  # the confidence
    assert re.search(r"2023-09-12 — address: <span dir=\"auto\">/2023/09/12/</span>", html)  # published, and how it was found
    assert "السكك الحديدية" in html  # a topic's matched words
    entities = response.context["preview"]["entities"]
    assert entities and all(e["name_ar"] in html for e in entities)
    assert token_of(response)
    assert Article.objects.count() == 0 and Event.objects.count() == 0


def test_save_stores_the_previewed_page_without_fetching_again(editor_client, site, loopback_allowed):
    url = site.base + "/news/2023/09/12/corridor.html"
    token = token_of(preview(editor_client, url))
    fetched = len(site.requests)
    response = editor_client.post(ADD, {"token": token}, follow=True)
    assert len(site.requests) == fetched  # the page the editor saw, not a new copy
    article = Article.objects.get()
    assert response.redirect_chain[-1][0] == f"/admin/timeline/article/{article.pk}/change/"
    assert (article.url, article.raw_text, article.title) == (url, REPORT_HTML, REPORT_TITLE)
    assert (article.date_start, article.precision, article.date_method) == (datetime.date(2023, 9, 12), "day", "dateline")
    assert article.published_on == datetime.date(2023, 9, 12)
    assert article.event is not None
    message = " ".join(str(m) for m in response.context["messages"])
    assert str(article.event) in message  # which event it joined
    assert "transport" in {m.topic.slug for m in article.topic_matches.all()}


def test_a_saved_page_is_stored_as_the_paste_and_file_paths_read_it(editor_client, site, loopback_allowed):
    url = site.base + "/pages/jsonld_sidebar_comments.html"
    editor_client.post(ADD, {"token": token_of(preview(editor_client, url))})
    article = Article.objects.get()
    expected = extract_article((PAGES / "jsonld_sidebar_comments.html").read_text(encoding="utf-8"), current_knowledge(), url=url)
    assert (article.title, article.body, article.content_hash) == (expected.title, expected.body, expected.content_hash)
    assert article.date_start == (expected.date.start if expected.date else None)
    assert article.published_on == expected.published


def test_a_redirected_page_is_stored_under_its_final_address(editor_client, site, loopback_allowed):
    response = preview(editor_client, site.base + "/hops/1")
    assert "/hops/1" in response.content.decode()  # shown as a hop
    editor_client.post(ADD, {"token": token_of(response)})
    assert Article.objects.get().url == site.base + "/news/2023/09/12/corridor.html"


def test_a_duplicate_is_named_in_the_preview_and_refused_at_save(editor_client, site, loopback_allowed):
    url = site.base + "/news/2023/09/12/corridor.html"
    first_token = token_of(preview(editor_client, url))
    second_token = token_of(preview(editor_client, site.base + "/news/copy.html"))  # same text elsewhere
    editor_client.post(ADD, {"token": first_token})
    original = Article.objects.get()

    again = preview(editor_client, url)
    link = f"/admin/timeline/article/{original.pk}/change/"
    assert link in again.content.decode() and token_of(again) is None  # nothing to save

    response = editor_client.post(ADD, {"token": second_token}, follow=True)
    message = " ".join(str(m) for m in response.context["messages"])
    assert link in message and str(original.event) in message
    assert Article.objects.count() == 1


def test_an_altered_or_borrowed_token_saves_nothing(editor_client, client, site, loopback_allowed):
    token = token_of(preview(editor_client, site.base + "/news/2023/09/12/corridor.html"))
    altered = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    response = editor_client.post(ADD, {"token": altered}, follow=True)
    assert response.status_code == 200 and "تعذر التحقق من المعاينة" in response.content.decode()

    other = get_user_model().objects.create_superuser("second", "", "a-long-test-password")
    client.force_login(other)
    response = client.post(ADD, {"token": token}, follow=True)
    assert "تعذر التحقق من المعاينة" in response.content.decode()
    assert Article.objects.count() == 0


def test_an_old_preview_must_be_fetched_again(editor_client, site, loopback_allowed, monkeypatch):
    token = token_of(preview(editor_client, site.base + "/news/2023/09/12/corridor.html"))
    monkeypatch.setattr("timeline.add_from_url.TOKEN_MAX_AGE", -1)
    response = editor_client.post(ADD, {"token": token}, follow=True)
    assert "أكثر من ساعة" in response.content.decode()
    assert Article.objects.count() == 0


@pytest.mark.parametrize("url", ["http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/", "file:///etc/passwd",
                                 "http://0x7f000001/", "not a url at all"])
def test_refused_addresses_get_a_message_not_an_error(editor_client, url):
    response = preview(editor_client, url)
    assert 'id="fetch-refusal"' in response.content.decode()
    assert token_of(response) is None and Article.objects.count() == 0


def test_a_page_without_an_article_gets_a_message(editor_client, site, loopback_allowed):
    site.pages["/empty.html"] = (200, [("Content-Type", "text/html")], b"<html><body><nav></nav></body></html>")
    response = preview(editor_client, site.base + "/empty.html")
    assert 'id="fetch-refusal"' in response.content.decode() and token_of(response) is None


def test_article_text_in_the_preview_is_escaped(editor_client, site, loopback_allowed):
    evil = REPORT_HTML.replace("</h1>", "</h1><p>&lt;script&gt;alert(1)&lt;/script&gt; وقال المتحدث.</p>")
    site.pages["/evil.html"] = (200, [("Content-Type", "text/html; charset=utf-8")], evil.encode())
    html = preview(editor_client, site.base + "/evil.html").content.decode()
    assert "<script>alert(1)" not in html


# --- the command ----------------------------------------------------------------------------------


def test_ingest_urls_reads_a_list_and_goes_on_after_failures(site, loopback_allowed, tmp_path, capsys):
    listing = tmp_path / "urls.txt"
    listing.write_text(
        f"# this week's links\n{site.base}/news/2023/09/12/corridor.html\n\n{site.base}/image.png\n"
        "http://169.254.169.254/latest/meta-data/\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError) as failed:
        call_command("ingest_urls", str(listing), site.base + "/plain.txt")
    assert failed.value.returncode == 1
    out, err = capsys.readouterr()
    assert "2 new, 0 unchanged, 2 failed" in out
    assert f"new       {site.base}/news/2023/09/12/corridor.html — 2023-09-12" in out
    assert "image/png" in err and "169.254.169.254" in err
    assert sorted(Article.objects.values_list("url", flat=True)) == [
        f"{site.base}/news/2023/09/12/corridor.html", f"{site.base}/plain.txt"
    ]


def test_ingest_urls_twice_changes_nothing(site, loopback_allowed, capsys):
    call_command("ingest_urls", site.base + "/news/2023/09/12/corridor.html")
    call_command("ingest_urls", site.base + "/news/2023/09/12/corridor.html")
    out = capsys.readouterr().out
    assert "0 new, 1 unchanged, 0 failed" in out
    assert Article.objects.count() == 1


def test_ingest_urls_names_a_missing_list(tmp_path, capsys):
    with pytest.raises(CommandError):
        call_command("ingest_urls", str(tmp_path / "nope.txt"))
    assert "nope.txt" in capsys.readouterr().err
