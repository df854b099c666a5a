"""Worst-case extraction time on hostile inputs (a benchmark, not a test).

    .venv/bin/python bench/adversarial.py [--size BYTES] [--family NAME ...] [--scale]

Every family builds one text of about --size bytes of UTF-8 (default: just under the
1,000,000-byte limit an article is accepted up to; pages: just under the 5,000,000-byte page limit) that stresses one part of the
extractor: a loop over lines, dates, topic hits, weekdays, meeting names, parentheses…
Each text goes through timeline.extract.extract_article once (after a warm-up on a
small article, so the lazy regex compilation is not counted) and the table gives the
time per family, worst first. The issue-8 budget is 2 s for any accepted input.

--scale also times each family at a quarter of the size: linear code takes about 4×
longer on the full text, quadratic code about 16×.
"""

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from timeline.extract import ExtractionError, extract_article  # noqa: E402
from timeline.extract.decode import MAX_ARTICLE_BYTES, MAX_PAGE_BYTES  # noqa: E402

BUDGET_SECONDS = 2.0
_ARABIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
_MONTHS = ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"]
_WEEKDAYS = ["الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"]
_HEAD = "أستانا 8 يونيو 2017 (شينخوا) أجرى الرئيس الصيني شي جين بينغ محادثات مع الرئيس الكازاخستاني في أستانا اليوم.\n\n"


def _counter(i):
    """A distinct short Arabic word for each i (Arabic-Indic digits keep the lines unlike each other)."""
    return "".join(_ARABIC_DIGITS[int(d)] for d in str(i))


def _fill(unit, size, head=_HEAD):
    """head + unit(0) + unit(1) + … up to `size` bytes of UTF-8."""
    parts, used, i = [head], len(head.encode("utf-8")), 0
    while True:
        piece = unit(i)
        cost = len(piece.encode("utf-8"))
        if used + cost > size:
            return "".join(parts)
        parts.append(piece)
        used += cost
        i += 1


# name -> unit(i): the text repeated (with variation) to fill the size.
FAMILIES = {
    # clean.py: "if line in kept" over a list
    "short distinct lines": lambda i: f"سطر {_counter(i)}\n",
    "short repeated lines": lambda i: "تعاون\n",
    "one-word English lines (menu check)": lambda i: f"menu{i}\n",
    "read-also blocks": lambda i: f"اقرأ أيضا: خبر {_counter(i)}\n" if i % 3 == 0 else f"عنوان {_counter(i)}\n",
    "headline-like lines": lambda i: f"الرئيس يزور المدينة رقم {_counter(i)}\n\n",
    # dates.py: explicit_dates' free() over every earlier date
    "full dates": lambda i: f"في {1 + i % 28} {_MONTHS[i % 12]} {1990 + i % 35} ",
    "ISO dates": lambda i: f"{1990 + i % 35}-{1 + i % 12:02d}-{1 + i % 28:02d} ",
    "day-month dates": lambda i: f"{1 + i % 28} {_MONTHS[i % 12]} ",
    "month-year dates": lambda i: f"{_MONTHS[i % 12]} {1990 + i % 35} ",
    "date ranges": lambda i: f"من {1 + i % 28} {_MONTHS[i % 12]} إلى {1 + i % 27} {_MONTHS[(i + 1) % 12]} {1990 + i % 35} ",
    "hijri dates": lambda i: f"{1 + i % 28} رمضان {1400 + i % 40} هـ ",
    "relative words": lambda i: "أمس الأربعاء واليوم الخميس وغدا ",
    "weekdays": lambda i: f"يوم {_WEEKDAYS[i % 7]} ",
    "last week": lambda i: "الأسبوع الماضي ",
    "bare numbers": lambda i: f"{i} {i % 100}.{i % 10} ",
    "digits without spaces": lambda i: "1",
    # topics.py: _list_items compares every hit with every other
    "topic words": lambda i: "التجارة والطاقة والنقل والثقافة والأمن ",
    "one topic word": lambda i: "التجارة ",
    # calendar, anniversaries, entities, cities
    "meeting names": lambda i: f"قمة منظمة شنغهاي للتعاون في أستانا عام {2001 + i % 25} ",
    "meeting ordinals": lambda i: "القمة الثانية بين الصين ودول آسيا الوسطى ",
    "anniversaries": lambda i: f"مرور {1 + i % 40} عاما على إقامة العلاقات الدبلوماسية ",
    "entity names": lambda i: "شي جين بينغ وقاسم جومارت توكاييف ووانغ يي في أستانا ونور سلطان ",
    "city names": lambda i: "أستانا بكين ألماتي طشقند بيشكيك ",
    "unknown capitalised names": lambda i: f"السيد {_counter(i)} رئيس شركة {_counter(i + 1)} ",
    # punctuation and brackets: regex backtracking
    "parentheses": lambda i: "(شينخوا) ",
    "unclosed parentheses": lambda i: "((",
    "dashes and colons": lambda i: "- : – — ",
    "slashes": lambda i: "/ا/ ",
    "dots": lambda i: ".",
    "quotes": lambda i: "«\"",
    "one long Arabic word": lambda i: "ب",
    "spaces": lambda i: " \t",
    "Latin text": lambda i: "The president met his counterpart in Astana on Tuesday. ",
    "Chinese text": lambda i: "中国与哈萨克斯坦关系",
    "mixed scripts": lambda i: "中国 China الصين ",
    "tashkeel": lambda i: "بِسْمِ ",
    "HTML-like tags": lambda i: f"<p>فقرة {_counter(i)}</p>",
}

_PAGE_HEAD = (
    "<html><head><title>الصين وكازاخستان</title></head><body><article><h1>الصين وكازاخستان توقعان اتفاقية</h1>"
    f"<p>{_HEAD}</p></article>"
)
# Saved web pages: accepted up to MAX_PAGE_BYTES (inline scripts and styles make pages heavy).
PAGE_FAMILIES = {
    "page: many elements": lambda i: f"<div class='m'><p>قائمة {_counter(i)}</p></div>",
    "page: nested elements": lambda i: "<div><span>",
    "page: inline script": lambda i: f"<script>var x{i} = '{'ب' * 200}';</script>",
    "page: unclosed scripts and comments": lambda i: "<script <!-- <style ",
    "page: many paragraphs of text": lambda i: f"<p>وبحث الجانبان التعاون في مجالات التجارة والطاقة يوم {_WEEKDAYS[i % 7]} {_counter(i)}.</p>",
}


def run(text, knowledge):
    started = time.perf_counter()
    try:
        extract_article(text, knowledge)
        outcome = "extracted"
    except ExtractionError:
        outcome = "refused"
    return time.perf_counter() - started, outcome


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=MAX_ARTICLE_BYTES - 1000, help="bytes per input")
    parser.add_argument("--family", action="append", help="only these families (repeatable)")
    parser.add_argument("--page-size", type=int, default=MAX_PAGE_BYTES - 1000, help="bytes per page input")
    parser.add_argument("--scale", action="store_true", help="also time a quarter-size input (growth factor)")
    args = parser.parse_args(argv)

    from timeline.reference import fixture_knowledge

    knowledge = fixture_knowledge()
    run(_HEAD * 3, knowledge)  # warm-up: compiles the knowledge's regexes
    families = [(name, unit, args.size, _HEAD) for name, unit in FAMILIES.items()]
    families += [(name, unit, args.page_size, _PAGE_HEAD) for name, unit in PAGE_FAMILIES.items()]
    rows = []
    for name, unit, size, head in families:
        if args.family and name not in args.family:
            continue
        text = _fill(unit, size, head)
        seconds, outcome = run(text, knowledge)
        quarter = run(_fill(unit, size // 4, head), knowledge)[0] if args.scale else None
        rows.append((seconds, name, len(text.encode("utf-8")), outcome, quarter))
        print(f"  {name}: {seconds:.2f} s", file=sys.stderr, flush=True)
    rows.sort(reverse=True)
    width = max(len(name) for _, name, *_ in rows)
    print(f"extract_article on hostile inputs (budget {BUDGET_SECONDS:.0f} s each)")
    header = f"{'family':<{width}}  {'KB':>6}  {'outcome':>9}  {'seconds':>8}"
    print(header + ("  growth ×4" if args.scale else ""))
    print("-" * (len(header) + (11 if args.scale else 0)))
    for seconds, name, size, outcome, quarter in rows:
        growth = f"  {seconds / quarter:>9.1f}" if quarter else ""
        print(f"{name:<{width}}  {size / 1024:>6.0f}  {outcome:>9}  {seconds:>8.2f}{growth}")
    worst = rows[0]
    print("-" * (len(header) + (11 if args.scale else 0)))
    print(f"worst: {worst[0]:.2f} s ({worst[1]})" + ("  OVER BUDGET" if worst[0] > BUDGET_SECONDS else ""))
    return 1 if worst[0] > BUDGET_SECONDS else 0


if __name__ == "__main__":
    sys.exit(main())
