"""An editor adds an article from its address in a real browser: the form, the preview, "Save", the article."""

import re

import pytest

from tests.page_server import REPORT_TITLE, loopback_allowed, site  # noqa: F401
from tests.browser.conftest import log_in_as_editor, wait_until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_editor_adds_an_article_from_a_url_after_a_preview(live_server, page, site, loopback_allowed, artifacts):
    from timeline.models import Article

    csp_errors = log_in_as_editor(page, live_server)

    page.locator("#editor-shortcuts a[href$='/add-from-url/']").click()  # from the admin home
    page.wait_for_url(re.compile(r"/add-from-url/$"))
    page.locator("#id_url").fill(site.base + "/news/2023/09/12/corridor.html")
    page.locator("input[name=fetch]").click()
    page.wait_for_load_state()
    wait_until(page, "document.querySelector('#preview') !== null")
    preview = page.locator("#preview")
    assert REPORT_TITLE in preview.locator(".preview-title").inner_text()
    assert "2023-09-12" in preview.locator(".preview-date").inner_text()
    assert "%" in preview.locator(".preview-confidence").inner_text()
    assert preview.locator(".preview-topic").count() >= 1
    page.screenshot(path=str(artifacts / "add-from-url-preview.png"), full_page=True)
    assert Article.objects.count() == 0  # a preview stores nothing

    page.locator("input[name=save]").click()
    page.wait_for_url(re.compile(r"/admin/timeline/article/\d+/change/$"))
    article = Article.objects.get()
    assert article.title == REPORT_TITLE
    assert str(article.event) in page.locator(".messagelist").inner_text()  # the message names the event
    assert csp_errors == []
