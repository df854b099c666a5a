import os
import re
import shutil
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = os.getenv("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        message = f"Chromium not found at {CHROMIUM}: apt-get install chromium (never 'playwright install')"
        if os.getenv("CI"):
            pytest.fail(message)  # in CI a missing browser is a failure, not a skip
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ar")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def artifacts():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


AXE = "/static/vendor/axe-core-4.14.1.min.js"


@pytest.fixture
def seeded(transactional_db):
    """The five seeds ingested, committed so that the live server's thread sees them."""
    from tests.conftest import SEEDS
    from timeline.ingest import article_files, ingest_file
    from timeline.reference import current_knowledge

    knowledge = current_knowledge()
    for path in article_files([SEEDS]):
        ingest_file(path, knowledge)


def event_titles(page):
    return page.locator("li.event h4").all_inner_texts()


def event_slugs(page):
    """The events listed, by address (the same in both languages; a headline is not)."""
    return [a.get_attribute("href").split("?")[0].removeprefix("/en").strip("/")
            for a in page.locator("li.event h4 a").all()]


def wait_until(page, expression, timeout=30):
    """Wait until a JavaScript expression is true on the page, polled from here.

    Playwright's own wait_for_function compiles its predicate with eval() inside the page, which the site's
    Content-Security-Policy (no 'unsafe-eval') refuses; an expression evaluated from here is not the page's.
    """
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout} s: {expression}")
        page.wait_for_timeout(50)


def wait_for_htmx(page):
    wait_until(page, "window.htmx !== undefined")


@contextmanager
def htmx_settled(page, target="#timeline"):
    """After the block, wait until htmx has replaced `target` and settled (the DOM is the new one).

    Waiting for the URL is not enough: htmx pushes it before the swap, and a control touched in
    between belongs to the page that is about to be replaced.
    """
    page.evaluate(f"document.querySelector('{target}').dataset.replaced = 'not yet'")
    yield
    wait_until(
        page,
        f"document.querySelector('{target}') && !document.querySelector('{target}').dataset.replaced"
        " && !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
    )


def axe_violations(page):
    """axe-core's violations on the page as it is now (the vendored copy, injected: never linked from a page).

    Injected by address, from this origin: the Content-Security-Policy refuses an inline script."""
    page.add_script_tag(url=AXE)
    return page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ['violations']})).violations.map(v => ({
            id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map(n => n.target.join(' ') + ': ' + n.failureSummary.replace(/\\s+/g, ' '))}))"""
    )


def describe_violations(violations):
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']}\n" + "\n".join(f"    {n}" for n in v["nodes"][:10])
        for v in violations
    )


def log_in_as_editor(page, live_server):
    """A superuser "editor", logged in through the admin's login form; returns the list of CSP errors seen."""
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_superuser("editor", "", "a-long-test-password")
    csp_errors = []
    page.on("console", lambda message: csp_errors.append(message.text) if "Content Security Policy" in message.text else None)
    page.goto(live_server.url + "/admin/")
    page.locator("#id_username").fill("editor")
    page.locator("#id_password").fill("a-long-test-password")
    page.locator("input[type=submit]").click()
    page.wait_for_url(re.compile(r"/admin/$"))
    return csp_errors
