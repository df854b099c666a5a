"""Metadata that comes with an article: its address, its page's HTML, the outlet of its site."""

import datetime
from pathlib import Path

import pytest

from timeline.extract import extract_article
from timeline.extract.clean import clean_article
from timeline.extract.metadata import date_from_html, date_from_url, main_text_from_html

D = datetime.date
PAGES = Path(__file__).resolve().parent / "pages"
TODAY = datetime.date.today()
BODY = (
    "وقال الوزير إن البلدين سيوقعان اتفاقيات جديدة في مجالات الطاقة والنقل والزراعة خلال الأشهر المقبلة، "
    "وإن حجم التبادل التجاري بينهما ارتفع بشكل ملحوظ."
)


def page(head="", body=""):
    return f"<html><head><meta charset='utf-8'>{head}</head><body>{body}<p>{BODY}</p><p>{BODY}</p></body></html>"


# --- the address ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url, day, segment",
    [
        ("https://www.aljazeera.net/news/2022/9/14/china-kazakhstan", D(2022, 9, 14), "/2022/9/14/"),
        ("http://arabic.news.cn/2015-08/26/c_134558093.htm", D(2015, 8, 26), "/2015-08/26/"),
        ("https://example.com/politics/2023-11-10/xi-tokayev", D(2023, 11, 10), "/2023-11-10/"),
        ("https://example.com/2013/09/06/", D(2013, 9, 6), "/2013/09/06/"),
        # Not read by htmldate (no separator between month and day): the complement in metadata.py.
        # People's Daily Arabic (arabic.people.com.cn, arabic.peopledaily.com.cn):
        ("http://arabic.people.com.cn/n3/2016/0506/c31664-9053986.html", D(2016, 5, 6), "/2016/0506/"),
        # Sputnik Arabic (sarabic.ae):
        ("https://sarabic.ae/20170608/1024726548.html", D(2017, 6, 8), "/20170608/"),
    ],
)
def test_publication_date_is_read_from_each_form_of_address(url, day, segment):
    found = date_from_url(url)
    assert (found.date, found.method, found.evidence) == (day, "address", segment)


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/2013/02/30/no-such-day",
        "https://example.com/20231345/an-id-not-a-date",
        "https://example.com/1985/03/04/before-the-relations",
        f"https://example.com/{TODAY.year + 1}/01/02/future",
        "https://example.com/news/2023/11/month-only",
        "https://example.com/news/123456789",
        "",
    ],
)
def test_an_address_without_a_real_day_gives_no_date(url):
    assert date_from_url(url) is None


def test_never_today_s_date_from_an_address_or_a_page():
    url = f"https://example.com/{TODAY.year}/{TODAY.month}/{TODAY.day}/today"
    assert date_from_url(url) is None
    stamp = f'<meta property="article:published_time" content="{TODAY.isoformat()}T08:00:00">'
    assert date_from_html(page(stamp)) is None
    assert date_from_html(page("<title>خبر بلا تاريخ</title>")) is None


# --- the page ---------------------------------------------------------------------------------


def test_page_metadata_gives_the_original_not_the_updated_date():
    head = (
        '<meta property="article:published_time" content="2022-09-14T08:30:00+03:00">'
        '<meta property="article:modified_time" content="2022-10-01T11:00:00+03:00">'
    )
    found = date_from_html(page(head))
    assert (found.date, found.method) == (D(2022, 9, 14), "page metadata")
    assert "article:published_time" in found.evidence


def test_json_ld_date_published_is_read():
    head = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "dateModified": "2019-04-02T09:00:00Z", '
        '"datePublished": "2019-03-27T14:05:00Z"}</script>'
    )
    found = date_from_html(page(head))
    assert found.date == D(2019, 3, 27)
    assert found.evidence.startswith('"datePublished"')


def test_time_element_is_read():
    found = date_from_html(page(body='<p class="date"><time datetime="2023-11-10">10/11/2023</time></p>'))
    assert found.date == D(2023, 11, 10)
    assert "<time" in found.evidence


def test_a_heavy_page_is_dated_from_its_head_and_top_whatever_follows():
    # htmldate reads the head and the first HTMLDATE_MAX_MARKUP characters after it; 2 MB of elements follow.
    filler = "".join(f"<div class='m'><p>قائمة {i}</p></div>" for i in range(60_000))
    head = '<meta property="article:published_time" content="2022-09-14T08:30:00+03:00">'
    assert date_from_html(page(head, body=filler)).date == D(2022, 9, 14)
    top = '<p class="date"><time datetime="2023-11-10">10/11/2023</time></p>'
    assert date_from_html(page(body=top + filler)).date == D(2023, 11, 10)


def test_a_date_only_in_the_article_s_prose_is_not_the_page_s():
    prose = "<p>وقال المتحدث إن الاتفاقية الموقعة في 2019-03-27 ستدخل حيز التنفيذ قريبا بعد مصادقة البرلمانين عليها.</p>"
    assert date_from_html(page(body=prose)) is None


def test_html_page_keeps_headline_and_dateline_and_drops_menus_comments_related_and_footer(knowledge):
    cleaned = clean_article(main_text_from_html((PAGES / "wordpress_meta_time.html").read_text(encoding="utf-8")), knowledge)
    assert cleaned.title == "الصين وكازاخستان توقعان اتفاقية لتوسيع ممر النقل العابر"
    assert cleaned.body.startswith("أستانا - (الأناضول) - وقعت")
    shown = cleaned.title + cleaned.body
    for debris in ("عربي ودولي", "أسعار الذهب", "خطوة ممتازة", "جميع الحقوق", "سياسة الخصوصية", "موقع الأفق"):
        assert debris not in shown


def test_a_date_line_above_the_body_survives_the_main_text(knowledge):
    from tests.conftest import ROOT

    markup = next((ROOT / "tests" / "corpus").glob("061_*")).read_text(encoding="utf-8")
    result = extract_article(markup, knowledge)
    assert (result.published, result.published_method) == (D(2024, 7, 4), "text stamp")
    assert result.title == "قادة منظمة شنغهاي للتعاون يعتمدون «إعلان أستانا»"


# --- which publication date, and relative words counted from it ------------------------------


def test_relative_word_resolves_against_the_address_date_and_says_so(knowledge):
    text = "الصين وكازاخستان تبحثان التعاون في النقل\n\nبحث وزيرا خارجية الصين وكازاخستان أمس التعاون في مجال النقل.\n\n" + BODY
    result = extract_article(text, knowledge, url="https://www.aljazeera.net/news/2022/9/14/talks")
    assert (result.published, result.published_method, result.published_evidence) == (
        D(2022, 9, 14), "address", "/2022/9/14/"
    )
    assert (result.date.start, result.date.method) == (D(2022, 9, 13), "relative")
    assert result.date.evidence == "«أمس» + تاريخ النشر 2022-09-14 from the address /2022/9/14/"
    assert result.as_dict()["published_method"] == "address"


def test_weekday_resolves_against_the_page_metadata_date(knowledge):
    result = extract_article((PAGES / "time_only_read_also.html").read_text(encoding="utf-8"), knowledge)
    assert (result.published_method, result.date.start) == ("page metadata", D(2023, 11, 9))  # the Thursday before
    assert "from the page metadata <time" in result.date.evidence


def test_supplied_date_beats_the_address_which_beats_the_page(knowledge):
    markup = (PAGES / "wordpress_meta_time.html").read_text(encoding="utf-8")  # page metadata: 2022-09-14
    from_address = extract_article(markup, knowledge, url="https://alofoq-news.com/2022/09/15/corridor")
    assert (from_address.published, from_address.published_method) == (D(2022, 9, 15), "address")
    supplied = extract_article(markup, knowledge, published=D(2022, 9, 16), url="https://alofoq-news.com/2022/09/15/c")
    assert (supplied.published, supplied.published_method) == (D(2022, 9, 16), "supplied")
    assert extract_article(markup, knowledge).published_method == "page metadata"


def test_without_any_publication_date_relative_words_stay_undated(knowledge):
    text = "الصين وكازاخستان تبحثان التعاون\n\nبحث وزيرا خارجية الصين وكازاخستان أمس التعاون في النقل.\n\n" + BODY
    result = extract_article(text, knowledge, url="https://example.com/news/talks")
    assert result.published is None and result.date is None


# --- the outlet from the address ----------------------------------------------------------------


@pytest.mark.parametrize(
    "url, outlet",
    [
        ("http://arabic.news.cn/2015-08/26/c_134558093.htm", "Xinhua"),
        ("https://www.news.cn/world/20230608/abc/c.html", "Xinhua"),
        ("http://arabic.people.com.cn/n3/2016/0506/c31664-9053986.html", "People's Daily"),
        ("http://arabic.peopledaily.com.cn/31662/8123.html", "People's Daily"),
        ("https://www.aa.com.tr/ar/سياسة/123", "Anadolu Agency"),
    ],
)
def test_a_known_domain_names_the_outlet_even_when_the_text_names_an_agency(knowledge, url, outlet):
    text = "عنوان الخبر عن الصين وكازاخستان\n\nأستانا - (رويترز) - بحث البلدان التعاون في الطاقة.\n\n" + BODY
    assert extract_article(text, knowledge, url=url).outlet.name_en == outlet


def test_an_unknown_domain_is_the_outlet_only_when_the_text_names_none(knowledge):
    plain = "عنوان الخبر عن الصين وكازاخستان\n\nبحث البلدان التعاون في الطاقة والنقل.\n\n" + BODY
    result = extract_article(plain, knowledge, url="https://news.albayda-news.com/2023/05/03/x")
    assert (result.outlet.name_ar, result.outlet.domains) == ("albayda-news.com", ("albayda-news.com",))
    named = "عنوان الخبر عن الصين وكازاخستان\n\nأستانا - (الأناضول) - بحث البلدان التعاون.\n\n" + BODY
    assert extract_article(named, knowledge, url="https://albayda-news.com/x").outlet.name_en == "Anadolu Agency"


def test_a_supplied_outlet_name_wins(knowledge):
    text = "عنوان الخبر عن الصين وكازاخستان\n\nأستانا - (الأناضول) - بحث البلدان التعاون.\n\n" + BODY
    result = extract_article(text, knowledge, url="http://arabic.news.cn/2015-08/26/c_1.htm", outlet="وكالة رويترز")
    assert result.outlet.name_en == "Reuters"


# --- an outlet is never a weekday, a month, a date word, a number or a place ---------------------


@pytest.mark.parametrize(
    "line",
    ["الجمعة - وكالات", "بكين - الثلاثاء:", "أستانا - كازاخستان:", "2024 - بكين:", "أستانا - يونيو:",
     "بكين - اليوم:", "الرياض - ٢٠٢٤:", "أستانا - بكين الجمعة:", "المصدر: رمضان", "بكين - ذو الحجة:",
     "الرياض - 13 شوال:"],
)
def test_a_weekday_month_date_word_number_or_place_is_never_the_outlet(knowledge, line):
    text = "الصين وكازاخستان تعززان التعاون\n\n" + line + "\n\n" + BODY
    assert extract_article(text, knowledge).outlet is None


def test_a_weekday_line_stays_for_the_date_finder(knowledge):
    text = "الصين وكازاخستان تعززان التعاون\n\nبكين - الثلاثاء:\n\n" + BODY
    result = extract_article(text, knowledge, published=D(2024, 7, 5))
    assert result.date.start == D(2024, 7, 2)  # the Tuesday before publication


@pytest.mark.parametrize("site", ["الأفق 24", "كازاخستان اليوم"])
def test_a_site_name_with_a_number_or_a_place_is_still_an_outlet(knowledge, site):
    text = f"الصين وكازاخستان تعززان التعاون\n\n{site} -\n\n" + BODY
    assert extract_article(text, knowledge).outlet.name_ar == site


def test_a_place_and_an_agency_in_brackets_still_give_the_agency(knowledge):
    text = "الصين وكازاخستان تعززان التعاون\n\nأستانا - (الأناضول)\n\n" + BODY
    assert extract_article(text, knowledge).outlet.name_en == "Anadolu Agency"


def test_page_text_that_starts_like_an_address_is_never_fetched(monkeypatch):
    """htmldate downloads a str that looks like an address; pasted text must stay text (no request forgery)."""
    import htmldate.utils

    def refuse(url):
        raise AssertionError(f"fetched {url}")

    monkeypatch.setattr(htmldate.utils, "fetch_url", refuse)
    assert date_from_html("http://169.254.169.254/latest/meta-data/\n<p>خبر</p>\n<p>نص</p>") is None


@pytest.mark.parametrize("url, expected", [
    ("https://elaph.com/Web/news/2010/1/529253.htm", (2010, 1)),
    ("https://elaph.com/amp/Web/Economics/2009/12/512726.htm", (2009, 12)),
    ("https://www.aljazeera.net/news/2022/9/14/story", None),  # a day: the full date's business
    ("http://arabic.news.cn/2015-08/26/c_134556.htm", None),
    ("https://example.org/2031/5/123.htm", None),  # not yet published
    ("https://example.org/ar/article/1644072419", None),
])
def test_an_address_with_only_a_year_and_a_month_gives_the_month(url, expected):
    from timeline.extract.metadata import month_from_url

    found = month_from_url(url, today=datetime.date(2026, 1, 1))
    assert (found[:2] if found else None) == expected
