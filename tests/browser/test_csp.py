"""The Content-Security-Policy holds in a real browser: every page type, in both languages, with the htmx
interactions and the admin, runs without a single violation (the browser reports each one as a
`securitypolicyviolation` event and a console error)."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation

from tests.browser.conftest import htmx_settled, wait_for_htmx


pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Runs before any script of each page; the policy does not apply to it. Each violation is kept in the
# page's sessionStorage so that one seen just before a navigation is still read after it.
RECORD_VIOLATIONS = """
document.addEventListener('securitypolicyviolation', (e) => {
  const seen = JSON.parse(sessionStorage.getItem('csp-violations') || '[]');
  seen.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} on ${e.documentURI}`);
  sessionStorage.setItem('csp-violations', JSON.stringify(seen));
});
"""


@pytest.fixture
def watched(page):
    """The page, with every CSP violation it meets collected from the console and from the DOM event."""
    console = []
    page.on("console", lambda m: console.append(m.text) if m.type == "error" and "Content Security Policy" in m.text else None)
    page.context.add_init_script(RECORD_VIOLATIONS)

    def violations():
        recorded = page.evaluate("JSON.parse(sessionStorage.getItem('csp-violations') || '[]')")
        return recorded + console

    page.violations = violations
    return page


def visit(page, url):
    response = page.goto(url)
    policy = response.headers.get("content-security-policy", "")
    assert "default-src 'self'" in policy and "unsafe-inline" not in policy, (url, policy)
    return response


def test_public_pages_and_htmx_interactions_meet_no_csp_violation(live_server, watched, seeded):
    from timeline.models import Event

    page = watched
    event = Event.objects.filter(articles__isnull=False).order_by("-date_start").distinct().first()
    for language, prefix in (("ar", ""), ("en", "/en")):
        visit(page, live_server.url + prefix + "/")
        wait_for_htmx(page)
        with htmx_settled(page):
            page.locator("#topic-security").check()  # a facet
        page.wait_for_url(re.compile(r"topic=security"))
        page.locator("#q").fill("كازاخستان")
        with htmx_settled(page):
            page.locator("#q").press("Enter")  # the search
        page.wait_for_url(re.compile(r"[?&]q="))
        with htmx_settled(page):
            page.locator(".chips a.chip").first.click()  # a chip removed
        with htmx_settled(page):
            page.locator("#axis .axis-bars a").first.click()  # the time axis (an SVG link, axis.js)
        page.wait_for_url(re.compile(r"[?&]from="))
        with htmx_settled(page):
            page.locator("#axis .axis-trail a").first.click()  # zoomed out again
        page.wait_for_url(re.compile(r"^(?!.*from=)"))
        page.go_back()
        page.wait_for_load_state()
        page.locator("#languages a").first.click()  # the language switch, a full page
        page.wait_for_load_state()

        with translation.override(language):
            event_url = live_server.url + event.get_absolute_url()
        visit(page, event_url)
        page.locator("a[rel=next], a[rel=prev]").first.click()
        page.wait_for_load_state()
        visit(page, live_server.url + prefix + "/?page=abc&year_from=nope&topic=unknown")  # ignored values listed
        assert visit(page, live_server.url + prefix + "/no-such-page/").status == 404
    assert page.violations() == []


def test_admin_pages_meet_no_csp_violation(live_server, watched, seeded):
    from timeline.models import Article, Event

    get_user_model().objects.create_superuser("editor", "", "a-long-test-password")
    page = watched
    visit(page, live_server.url + "/admin/")
    page.locator("#id_username").fill("editor")
    page.locator("#id_password").fill("a-long-test-password")
    page.locator("input[type=submit]").click()  # the login form posts to this origin (form-action 'self')
    page.wait_for_url(re.compile(r"/admin/$"))
    article, event = Article.objects.first(), Event.objects.dated().first()
    for path in ["/admin/timeline/article/", "/admin/timeline/article/add/", f"/admin/timeline/article/{article.pk}/change/",
                 "/admin/timeline/event/?needs_review=yes", f"/admin/timeline/event/{event.pk}/change/",
                 "/admin/timeline/entity/", "/admin/auth/user/"]:
        visit(page, live_server.url + path)
        page.wait_for_load_state("networkidle")
    page.locator("#logout-form button, #logout-form input[type=submit]").first.click()
    page.wait_for_load_state()
    assert page.violations() == []
