"""Main text of an HTML page: today's tag filter (html_to_text) vs trafilatura vs both together.

    .venv/bin/python bench/html_text.py

Runs on the HTML articles of tests/corpus and the pages built for the tests (tests/pages: menus,
comments, related links, sidebars, footers). For each way it prints whether clean_article then
finds the headline, the body's length, how many planted debris lines are left in title and body,
and whether the dateline (the date's evidence) is still there.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import trafilatura  # noqa: E402

from timeline.extract.clean import clean_article, html_to_text  # noqa: E402
from timeline.extract.metadata import main_text_from_html  # noqa: E402
from timeline.reference import fixture_knowledge  # noqa: E402

CORPUS, PAGES = ROOT / "tests" / "corpus", ROOT / "tests" / "pages"

# page: (headline, dateline, debris lines a reader would not call part of the article)
CASES = {
    CORPUS / "060_html_xinhua_alashankou_freight.txt": (
        "ارتفاع عدد قطارات الشحن الصينية-الأوروبية عبر ميناء ألاشانكو",
        "أورومتشي 5 يناير 2024 (شينخوا)",
        ["الرئيسية", "Arabic.news.cn", "window.dataLayer"],
    ),
    CORPUS / "061_html_sana_sco_astana_tammuz.txt": (
        "قادة منظمة شنغهاي للتعاون يعتمدون «إعلان أستانا»",
        "4 تموز 2024",
        ["الوسوم", "alert(", "– سانا"],
    ),
    PAGES / "wordpress_meta_time.html": (
        "الصين وكازاخستان توقعان اتفاقية لتوسيع ممر النقل العابر",
        "أستانا - (الأناضول) - وقعت",
        ["عاجل:", "عربي ودولي", "روسيا تعلن", "أسعار الذهب", "خطوة ممتازة", "متى سيبدأ", "جميع الحقوق", "سياسة الخصوصية",
         "فيسبوك", "موقع الأفق الإخباري"],
    ),
    PAGES / "jsonld_sidebar_comments.html": (
        "وزير الخارجية الصيني يبحث مع نظيره الكازاخستاني التعاون الأمني",
        "بكين 27 مارس 2019 (شينخوا)",
        ["30 نوفمبر 2026", "تسجيل الدخول", "الأكثر قراءة", "أسعار العملات", "طقس الأسبوع", "نتائج مباريات",
         "الصين دولة عظيمة", "أضف تعليقك", "جميع الحقوق", "- الشرق اليوم"],
    ),
    PAGES / "time_only_read_also.html": (
        "ميناء أكتاو يستقبل أول شحنة حبوب صينية عبر بحر قزوين",
        "يوم الخميس",
        ["تعريف الارتباط", "كازاخستان تطلق خط", "مركزا لوجستيا", "المزيد من الأخبار", "البنك المركزي", "حملة تطعيم",
         "جميع الحقوق", "شارك"],
    ),
}


def trafilatura_only(markup):
    body = trafilatura.extract(markup, include_comments=False, include_tables=True, favor_precision=True) or ""
    metadata = trafilatura.extract_metadata(markup)
    return ((metadata.title + "\n\n") if metadata and metadata.title else "") + body


WAYS = {"html_to_text": html_to_text, "trafilatura": trafilatura_only, "trafilatura+head": main_text_from_html}


def measure(markup, headline, dateline, debris, way, knowledge):
    cleaned = clean_article(WAYS[way](markup), knowledge)
    shown = cleaned.title + "\n" + cleaned.body
    return {
        "title": cleaned.title == headline,
        "body chars": len(cleaned.body),
        "debris left": sum(1 for d in debris if d in shown),
        "dateline": dateline in shown or dateline in cleaned.published_stamp,
    }


def main():
    knowledge = fixture_knowledge()
    print(f"{'page':38} {'way':17} {'title':>5} {'body':>6} {'debris':>6} {'dateline':>8}")
    totals = {way: [0, 0, 0, 0] for way in WAYS}
    for path, (headline, dateline, debris) in CASES.items():
        markup = path.read_text(encoding="utf-8")
        for way in WAYS:
            m = measure(markup, headline, dateline, debris, way, knowledge)
            print(f"{path.name[:38]:38} {way:17} {'yes' if m['title'] else 'no':>5} {m['body chars']:>6} "
                  f"{m['debris left']:>3}/{len(debris):<2} {'kept' if m['dateline'] else 'LOST':>8}")
            t = totals[way]
            t[0] += m["title"]
            t[1] += m["debris left"]
            t[2] += m["dateline"]
            t[3] += len(debris)
    print()
    for way, (titles, debris, datelines, planted) in totals.items():
        print(f"{way:17} titles {titles}/{len(CASES)}, debris left {debris}/{planted}, datelines kept {datelines}/{len(CASES)}")


if __name__ == "__main__":
    main()
