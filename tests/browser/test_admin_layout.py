"""The admin's lists at 1280 px in Arabic: the results table fits the page (no column cut off or scrolled out of
sight) and a title keeps to a few lines (never one word per line)."""

import re

import pytest
from django.contrib.auth import get_user_model

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Every list's measurements, in the page: the table against its box and the viewport, the tallest title cell.
MEASURE = """(titleCell) => {
  const table = document.querySelector('#result_list');
  const box = table.getBoundingClientRect();
  const holder = table.parentElement;
  const cells = [...document.querySelectorAll('#result_list tbody ' + titleCell)];
  const line = parseFloat(getComputedStyle(cells[0]).lineHeight) || 1.2 * parseFloat(getComputedStyle(cells[0]).fontSize);
  return {
    viewport: document.documentElement.clientWidth,
    pageScroll: document.documentElement.scrollWidth,
    left: box.left, right: box.right,
    tableWidth: table.scrollWidth, holderWidth: holder.clientWidth,
    rows: cells.length,
    tallest: Math.max(...cells.map(c => c.getBoundingClientRect().height)),
    narrowest: Math.min(...cells.map(c => c.getBoundingClientRect().width)),
    line: line,
  };
}"""


def log_in(page, live_server):
    get_user_model().objects.create_superuser("editor", "", "a-long-test-password")
    page.goto(live_server.url + "/admin/")
    page.locator("#id_username").fill("editor")
    page.locator("#id_password").fill("a-long-test-password")
    page.locator("input[type=submit]").click()
    page.wait_for_url(re.compile(r"/admin/$"))


@pytest.mark.parametrize("path, title_cell", [
    ("/admin/timeline/article/", "th.field-__str__"),
    ("/admin/timeline/event/", "th.field-title"),
])
def test_lists_fit_1280_pixels_in_arabic(live_server, page, seeded, path, title_cell):
    csp_errors = []
    page.on("console", lambda m: csp_errors.append(m.text) if "Content Security Policy" in m.text else None)
    log_in(page, live_server)
    page.goto(live_server.url + path)
    assert page.locator("html").get_attribute("dir") == "rtl"
    m = page.evaluate(MEASURE, title_cell)
    assert m["rows"] >= 4
    assert m["pageScroll"] <= m["viewport"]  # the page itself does not scroll sideways
    assert m["left"] >= 0 and m["right"] <= m["viewport"] + 1  # the table is on screen …
    assert m["tableWidth"] <= m["holderWidth"] + 1  # … whole, not cut off in a scrolled box
    assert m["tallest"] <= 3.5 * m["line"] + 16  # at most about three lines of title (plus the cell's padding)
    assert m["narrowest"] >= 12 * m["line"] / 1.5  # a title column wide enough for several words a line
    assert csp_errors == []
