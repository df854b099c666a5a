"""Extraction time grows with the article, not with its square (issue 8, item 4).

The inputs are the hostile shapes that once took tens of seconds: many distinct short lines
(a repeated-line check over a list), many dates (each one checked against every earlier one),
many topic keywords (each hit compared with every other). The bound is generous: on a loaded
machine linear code extracts these in a second or two, quadratic code takes ten times more.
"""

import time

import pytest

from bench.adversarial import _HEAD, FAMILIES, _fill
from timeline.extract import extract_article
from timeline.extract.clean import clean_article

SIZE = 400_000  # bytes: well under the 1 MB limit, large enough for a square to show
BOUND_SECONDS = 8.0


@pytest.mark.parametrize("family", ["full dates", "ISO dates", "topic words"])
def test_hostile_article_is_extracted_in_linear_time(knowledge, family):
    text = _fill(FAMILIES[family], SIZE)
    extract_article(_HEAD * 3, knowledge)  # compiles the regexes outside the clock
    started = time.perf_counter()
    result = extract_article(text, knowledge)
    elapsed = time.perf_counter() - started
    assert result.body
    assert elapsed < BOUND_SECONDS, f"{family}: {elapsed:.1f} s for {SIZE // 1000} KB"


def test_many_distinct_short_lines_are_cleaned_in_linear_time(knowledge):
    """120,000 short lines (the issue's case: 34 s, past gunicorn's timeout) are cleaned at once."""
    text = "\n".join(f"سطر {number}" for number in range(120_000))
    started = time.perf_counter()
    cleaned = clean_article(text, knowledge)
    elapsed = time.perf_counter() - started
    assert len(cleaned.paragraphs) > 100_000
    assert elapsed < BOUND_SECONDS, f"{elapsed:.1f} s for 120,000 lines"
