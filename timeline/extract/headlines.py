"""A headline in English and in Arabic composed from an event's structured data, never translated from its text.

What happened (the event type), who took part (people by rank, heads of state first; else countries) and where
(the city of the happening, by the name it had on that day): "State visit: Xi Jinping to Kazakhstan (Astana)",
"Talks: Wang Yi and Mukhtar Tleuberdi, Nur-Sultan", "Agreement signed: China and the five Central Asian states,
Astana". Also: whether an article's own title is too poor to stand for the event (a site name, a dateline, a
sentence cut short).
"""

import datetime
import functools
import re
from dataclasses import dataclass

from .arabic import normalize

from .event_types import EVENT_TYPES  # the event types' codes and names live with their classifier

VISITS = {"state_visit", "official_visit"}
# Smaller is higher. Heads of state first, then heads of government, ... ; people with no known office last.
ROLE_RANK = {
    "president": 0, "premier": 1, "vice-president": 2, "speaker": 3, "vice-premier": 4,
    "foreign-minister": 5, "state-secretary": 6, "official": 7, "ambassador": 8,
}
NO_ROLE = 9
# A participant is named near the top of a report (its headline, dateline and lead) or often.
PROMINENT_OFFSET = 400
PROMINENT_MENTIONS = 3
MAX_PEOPLE = 2
CENTRAL_ASIA = {"kazakhstan", "uzbekistan", "kyrgyzstan", "tajikistan", "turkmenistan"}
FIVE_STATES = ("the five Central Asian states", "دول آسيا الوسطى الخمس")


@dataclass(frozen=True)
class Participant:
    """A person or a country the event's reports name, with where they first name it and how often."""

    slug: str
    name_en: str
    name_ar: str
    kind: str = "person"  # "person" or "country"
    country: str = ""  # a person's country; a country's own slug
    roles: tuple = ()  # ({"role": "president", "from": "2013-03-14", "to": None}, …), as in the gazetteer
    first_offset: int = 10**9
    mentions: int = 1

    @property
    def prominent(self):
        return self.first_offset <= PROMINENT_OFFSET or self.mentions >= PROMINENT_MENTIONS


@dataclass(frozen=True)
class Place:
    """The happening's city and the country it is in (slug and names)."""

    name_en: str
    name_ar: str
    country: str = ""
    country_en: str = ""
    country_ar: str = ""


@dataclass(frozen=True)
class Headlines:
    en: str
    ar: str


def _day(value):
    if isinstance(value, datetime.date) or value is None:
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        return None


def role_rank(roles, on=None):
    """The highest rank among the offices held on `on` (any office when the day is unknown); NO_ROLE without one."""
    on = _day(on)
    ranks = [NO_ROLE]
    for role in roles or ():
        if not isinstance(role, dict):
            continue
        start, end = _day(role.get("from")), _day(role.get("to"))
        if on is not None and ((start and on < start) or (end and on > end)):
            continue
        ranks.append(ROLE_RANK.get(role.get("role"), NO_ROLE))
    return min(ranks)


def name_on(name_en, historic=(), on=None):
    """The English name a place had on a day: Nur-Sultan in 2022, Astana before 2019 and after September 2022."""
    on = _day(on)
    if on is None:
        return name_en
    for entry in historic or ():
        if not isinstance(entry, dict) or not entry.get("name_en"):
            continue
        start, end = _day(entry.get("from")), _day(entry.get("to"))
        if start is None and end is None:
            continue  # an old name with no dates says nothing about a given day
        if (start is None or start <= on) and (end is None or on <= end):
            return entry["name_en"]
    return name_en


def _join_en(names):
    names = [n for n in names if n]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _join_ar(names):
    names = [n for n in names if n]
    return " و".join(names)


def _country_phrase(countries):
    if not countries:
        return "", ""
    slugs = {c.slug for c in countries}
    if CENTRAL_ASIA <= slugs:
        others = [c for c in countries if c.slug not in CENTRAL_ASIA]
        return (
            _join_en([c.name_en for c in others] + [FIVE_STATES[0]]),
            _join_ar([c.name_ar for c in others] + [FIVE_STATES[1]]),
        )
    return _join_en([c.name_en for c in countries]), _join_ar([c.name_ar for c in countries])


def _leaders(participants, on):
    """The highest-ranking prominent people (all of the top rank), by where the texts first name them."""
    people = [p for p in participants if p.kind == "person" and p.prominent]
    if not people:
        return []
    ranked = sorted(people, key=lambda p: (role_rank(p.roles, on), p.first_offset, p.slug))
    top = role_rank(ranked[0].roles, on)
    return [p for p in ranked if role_rank(p.roles, on) == top]


def _countries(participants):
    return sorted(
        (p for p in participants if p.kind == "country" and p.prominent), key=lambda p: (p.first_offset, p.slug)
    )


def compose_headlines(event_type, participants=(), place=None, on=None):
    """Headlines(en, ar) for an event; both empty when the data says neither who nor where."""
    event_type = event_type if event_type in EVENT_TYPES else "other"
    label_en, label_ar = EVENT_TYPES[event_type]
    leaders = _leaders(participants, on)
    countries = _countries(participants)

    if event_type in VISITS and leaders:
        host = place.country if place and place.country else ""
        visitors = [p for p in leaders if p.country and p.country != host] or leaders
        visitor = visitors[0]
        host_country = next((c for c in countries if c.slug == host), None) if host else None
        if host_country is None:
            host_country = next((c for c in countries if c.slug != visitor.country), None)
        if host_country is None and place and place.country_en and place.country != visitor.country:
            host_country = Participant(place.country, place.country_en, place.country_ar, kind="country")
        if host_country is not None:
            where_en, where_ar = f" to {host_country.name_en}", f" إلى {host_country.name_ar}"
            if place:
                where_en += f" ({place.name_en})"
                where_ar += f" ({place.name_ar})"
            return Headlines(f"{label_en}: {visitor.name_en}{where_en}", f"{label_ar}: {visitor.name_ar}{where_ar}")
        who_en, who_ar = visitor.name_en, visitor.name_ar
    elif leaders and len(leaders) <= MAX_PEOPLE:
        if event_type == "message" and len(leaders) == 2:
            who_en = f"{leaders[0].name_en} to {leaders[1].name_en}"
            who_ar = f"{leaders[0].name_ar} إلى {leaders[1].name_ar}"
        else:
            who_en, who_ar = _join_en([p.name_en for p in leaders]), _join_ar([p.name_ar for p in leaders])
    elif countries or leaders:
        # More leaders than a headline holds: the countries they lead (six presidents: China and the five states).
        by_slug = {p.slug: p for p in participants if p.kind == "country"}
        # All people of the leaders' rank count here, however far down the report names them.
        top = role_rank(leaders[0].roles, on) if leaders else None
        peers = sorted(
            (p for p in participants if p.kind == "person" and role_rank(p.roles, on) == top),
            key=lambda p: (p.first_offset, p.slug),
        )
        theirs = list(dict.fromkeys(by_slug[p.country] for p in peers if p.country in by_slug))
        who_en, who_ar = _country_phrase(theirs if len(theirs) > 1 else countries)
    else:
        who_en = who_ar = ""

    where_en = place.name_en if place and event_type != "phone_call" else ""
    where_ar = place.name_ar if place and event_type != "phone_call" else ""
    if not who_en and not where_en:
        return Headlines("", "")
    body_en = ", ".join(x for x in (who_en, where_en) if x)
    body_ar = "، ".join(x for x in (who_ar, where_ar) if x)
    if event_type == "other":
        return Headlines(body_en, body_ar)
    return Headlines(f"{label_en}: {body_en}", f"{label_ar}: {body_ar}")


# A title is poor when it cannot tell a reader what happened.
_DATE_WORDS = re.compile(
    r"(?<![\w])(?:يناير|فبراير|مارس|ابريل|مايو|يونيو|يوليو|اغسطس|سبتمبر|اكتوبر|نوفمبر|ديسمبر|"
    r"كانون|شباط|اذار|نيسان|ايار|حزيران|تموز|اب|ايلول|تشرين|"
    r"السبت|الاحد|الاثنين|الثلاثاء|الاربعاء|الخميس|الجمعه|اليوم|امس)(?![\w])"
)
_SITE_WORDS = re.compile(r"(?<![\w])(?:نيوز|news|الاخباري|اخبار|الاخبارية|وكالات|وكاله|موقع|صحيفه|جريده|بوابه|"
                         r"online|net|com|tv|تي في)(?![\w])", re.IGNORECASE)
_CUT_ENDINGS = {"و", "في", "من", "على", "الى", "ان", "عن", "مع", "او", "ثم", "التي", "الذي", "بين", "حول", "كل"}
MIN_TITLE_WORDS = 3
MAX_TITLE_CHARS = 160


@functools.lru_cache(maxsize=4096)
def _name_pattern(name):
    """A name as a whole word, with a clinging و/ب/ل: compiled once (re's own cache of 512 thrashes over
    the thousands of place and outlet names an ingest meets)."""
    return re.compile(r"(?<![\w])(?:و|ب|ل)?" + re.escape(name) + r"(?![\w])")


@functools.lru_cache(maxsize=8192)
def _folded_name(name):
    """normalize(name).lower(), once per name: an event's outlets and places bring the same hundreds of names and
    spellings to every title tested (~80 normalisations and substitutions a title, 2 ms of each event's refresh)."""
    return normalize(name).lower()


def title_is_poor(title, generated=False, outlet_names=(), place_names=()):
    """True when an article's title is no headline: generated from the text, empty, a site's name, a dateline,
    a sentence cut short, or too long to be a headline."""
    if generated or not (title or "").strip():
        return True
    text = normalize(title).lower()
    if len(title) > MAX_TITLE_CHARS or re.search(r"(?:\.\.\.|…)\s*$", title):
        return True
    words = re.findall(r"\w+", text)
    if words and words[-1] in _CUT_ENDINGS:
        return True
    # What is left when names of outlets and places, dates, numbers and site words are taken away.
    rest = text
    for name in sorted({_folded_name(n) for n in (*outlet_names, *place_names) if n}, key=len, reverse=True):
        if name in rest:  # (a name the title does not hold cannot match: no substitution to try)
            rest = _name_pattern(name).sub(" ", rest)
    rest = _DATE_WORDS.sub(" ", rest)
    rest = _SITE_WORDS.sub(" ", rest)
    rest = re.sub(r"[\d\u0660-\u0669]+", " ", rest)
    remaining = [w for w in re.findall(r"\w+", rest) if len(w) > 1]
    return len(remaining) < MIN_TITLE_WORDS
