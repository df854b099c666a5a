import datetime
import functools
import json

import pghistory
from django.contrib.postgres.fields import ArrayField, DateRangeField
from django.contrib.postgres.indexes import GinIndex, GistIndex
from django.contrib.postgres.search import SearchQuery, SearchVector, SearchVectorField
from django.core.exceptions import ValidationError
from django.db import connections, models, router
from django.db.models import Count, Prefetch, Q
from django.db.models.fields.json import KeyTransform
from django.db.models.functions import Cast
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from timeline.extract import REVIEW_CONFIDENCE  # noqa: F401  (re-exported: below it, an item is reviewed)
from timeline.extract.arabic import normalize, strip_controls


class NamedInBothLanguages:
    """`name` in the interface's language: English when the page is English and there is one, else Arabic."""

    @property
    def name(self):
        english = (get_language() or "").startswith("en")
        return self.name_en if english and self.name_en else self.name_ar


class Precision(models.TextChoices):
    DAY = "day", _("يوم")
    MONTH = "month", _("شهر")
    YEAR = "year", _("سنة")


class DateMethod(models.TextChoices):
    DATELINE = "dateline", _("سطر التاريخ في الخبر")
    EXPLICIT = "explicit", _("تاريخ صريح في النص")
    RELATIVE = "relative", _("كلمة نسبية مرتبطة بتاريخ معروف")
    CALENDAR = "calendar", _("التقويم المرجعي للاجتماعات")
    ANNIVERSARY = "anniversary", _("ذكرى سنوية")
    PUBLICATION = "publication", _("تاريخ النشر")
    EDITOR = "editor", _("أدخله محرر")


class EventType(models.TextChoices):
    """What happened (docs/event-types.md); the codes and labels are timeline.extract.event_types.EVENT_TYPES."""

    STATE_VISIT = "state_visit", _("زيارة دولة")
    OFFICIAL_VISIT = "official_visit", _("زيارة رسمية")
    SUMMIT = "summit", _("قمة")
    TALKS = "talks", _("محادثات")
    PHONE_CALL = "phone_call", _("اتصال هاتفي")
    MESSAGE = "message", _("رسالة أو برقية")
    AGREEMENT_SIGNED = "agreement_signed", _("توقيع اتفاقية")
    AGREEMENT_IN_FORCE = "agreement_in_force", _("دخول اتفاقية حيز التنفيذ")
    FORUM = "forum", _("منتدى أو معرض")
    PROJECT_OPENED = "project_opened", _("تدشين مشروع")
    STATEMENT = "statement", _("تصريح أو مقابلة")
    OTHER = "other", _("أخرى")


class ReviewReason(models.TextChoices):
    """Why an article waits for an editor: the codes of timeline.extract.review.REVIEW_REASONS."""

    UNDATED = "undated", _("بلا تاريخ")
    LOW_CONFIDENCE = "low_confidence", _("ثقة منخفضة بالتاريخ")
    WEEKDAY_CONTRADICTION = "weekday_contradiction", _("يوم الأسبوع يناقض التاريخ")
    TWO_DATELINES = "two_datelines", _("سطرا تاريخ مختلفان")
    STAMP_BEFORE_EVENT = "stamp_before_event", _("تاريخ النشر يسبق الحدث")
    HIJRI_MISMATCH = "hijri_mismatch", _("التاريخان الهجري والميلادي لا يتفقان")
    MEETING_MISMATCH = "meeting_mismatch", _("رقم الدورة لا يوافق مكان الاجتماع")
    CONFLICTING_ANNIVERSARIES = "conflicting_anniversaries", _("ذكريات سنوية متعارضة")
    PARTIAL_TEXT = "partial_text", _("قرئ جزء من النص فقط")
    PROPOSED_ENTITY = "proposed_entity", _("شخص أو مكان جديد مقترح")
    POSSIBLE_DUPLICATE = "possible_duplicate", _("قد تكون مكررة")


class ArticleLock(models.TextChoices):
    """An article's fields an editor can set and re-extraction never overwrites (Article.locked_fields)."""

    TITLE = "title", _("العنوان")
    DATE = "date", _("التاريخ")
    PUBLISHED = "published", _("تاريخ النشر")
    OUTLET = "outlet", _("وسيلة الإعلام")
    TOPICS = "topics", _("المواضيع")


@functools.cache
def _text_attnames(model):
    """The attribute names of a model's text columns (CharField, TextField and their subclasses)."""
    return tuple(f.attname for f in model._meta.concrete_fields if isinstance(f, (models.CharField, models.TextField)))


class CleanStoredText:
    """Text fields are stored without control characters or bidi overrides, whoever wrote them
    (extraction, an editor in the admin, a command): a feed or page can then never be broken by them."""

    def strip_stored_text(self):
        for attname in _text_attnames(type(self)):
            value = getattr(self, attname)
            if isinstance(value, str):
                setattr(self, attname, strip_controls(value))

    def save(self, *args, **kwargs):
        self.strip_stored_text()
        super().save(*args, **kwargs)


class DatedFields(CleanStoredText, models.Model):
    """A date claim: value, precision and the evidence behind it."""

    date_start = models.DateField(_("بداية التاريخ"), null=True, blank=True)
    date_end = models.DateField(_("نهاية التاريخ"), null=True, blank=True)
    precision = models.CharField(_("الدقة"), max_length=5, choices=Precision.choices, blank=True)
    date_method = models.CharField(_("طريقة التأريخ"), max_length=12, choices=DateMethod.choices, blank=True)
    date_evidence = models.TextField(_("الدليل"), blank=True)
    date_confidence = models.FloatField(_("الثقة"), default=0.0)
    needs_review = models.BooleanField(_("بحاجة إلى مراجعة"), default=True)
    # The machine's own claim ({start, end, precision, method, evidence, confidence}, as date_claim()), kept
    # whatever an editor sets: the admin shows it beside the editor's date.
    machine_date = models.JSONField(_("التاريخ كما استخرجته الآلة"), null=True, blank=True, editable=False)

    class Meta:
        abstract = True

    @property
    def is_dated(self):
        return self.date_start is not None

    def date_claim(self):
        """The date as the JSON exports show it, or None when undated."""
        if not self.is_dated:
            return None
        return {
            "start": self.date_start.isoformat(),
            "end": (self.date_end or self.date_start).isoformat(),
            "precision": self.precision,
            "method": self.date_method,
            "evidence": self.date_evidence,
            "confidence": round(self.date_confidence, 2),
        }


class Topic(NamedInBothLanguages, models.Model):
    slug = models.SlugField(_("المعرف في الرابط"), unique=True)
    name_ar = models.CharField(_("الاسم بالعربية"), max_length=100)
    name_en = models.CharField(_("الاسم بالإنجليزية"), max_length=100)
    position = models.PositiveSmallIntegerField(_("الترتيب"), default=0)

    class Meta:
        ordering = ["position", "slug"]
        verbose_name = _("موضوع")
        verbose_name_plural = _("المواضيع")

    def __str__(self):
        return f"{self.name_ar} / {self.name_en}"


class TopicKeyword(models.Model):
    """One entry of a topic's lexicon: an Arabic word or phrase that signals the topic."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="keywords", verbose_name=_("الموضوع"))
    phrase = models.CharField(_("الكلمة أو العبارة"), max_length=200)
    normalized = models.CharField(max_length=200, editable=False)

    class Meta:
        ordering = ["topic", "phrase"]
        constraints = [models.UniqueConstraint(fields=["topic", "normalized"], name="unique_keyword_per_topic")]
        verbose_name = _("كلمة مفتاحية")
        verbose_name_plural = _("معجم المواضيع")

    def save(self, *args, **kwargs):
        self.normalized = normalize(self.phrase)
        super().save(*args, **kwargs)

    def __str__(self):
        return self.phrase


class Outlet(NamedInBothLanguages, CleanStoredText, models.Model):
    slug = models.SlugField(_("المعرف في الرابط"), unique=True, max_length=100)
    name_ar = models.CharField(_("الاسم بالعربية"), max_length=200)
    name_en = models.CharField(_("الاسم بالإنجليزية"), max_length=200, blank=True)
    aliases = ArrayField(
        models.CharField(max_length=200), blank=True, default=list, verbose_name=_("أسماء أخرى"),
        help_text=_("أسماء أخرى تظهر في النصوص"),
    )
    website = models.URLField(_("الموقع"), blank=True)
    domains = ArrayField(
        models.CharField(max_length=200), blank=True, default=list, verbose_name=_("النطاقات"),
        help_text=_("نطاقات مواقعها (arabic.news.cn): رابط مقالة على أحدها أو على نطاق فرعي منه يسمّي هذه الوسيلة"),
    )

    class Meta:
        ordering = ["name_ar"]
        verbose_name = _("وسيلة إعلام")
        verbose_name_plural = _("وسائل الإعلام")

    def __str__(self):
        return self.name_en or self.name_ar


class VisitorOffice(models.TextChoices):
    """Who makes a visit of a visit series: the head of state or the head of government."""

    PRESIDENT = "president", _("رئيس الدولة")
    PREMIER = "premier", _("رئيس الحكومة")


class MeetingSeries(models.Model):
    """A recurring meeting (SCO summit, China–Central Asia summit, …) and the words that name it."""

    slug = models.SlugField(_("المعرف في الرابط"), unique=True)
    name_ar = models.CharField(_("الاسم بالعربية"), max_length=200)
    name_en = models.CharField(_("الاسم بالإنجليزية"), max_length=200)
    patterns = ArrayField(
        models.CharField(max_length=300), verbose_name=_("العبارات"),
        help_text=_("عبارات تعني هذا الاجتماع في النص (تقارن بعد توحيد الكتابة العربية)"),
    )
    multilateral = models.BooleanField(
        _("متعدد الأطراف"),
        default=True,
        help_text=_("اجتماع لعدة دول (قمة، منتدى). الزيارات واللجان الثنائية ليست كذلك: لا تجعل المقالة «متعددة الأطراف»"),
    )
    # Who visits whom, for a series of visits (blank for the others): the date finder reads a visit from these,
    # never from the names, which an editor may reword.
    visitor_country = models.CharField(
        _("بلد الزائر"), max_length=40, blank=True,
        help_text=_("لسلسلة زيارات: بلد الزائر كما يكتبه معجم الكيانات (china، kazakhstan). يترك فارغا لغير الزيارات"),
    )
    visitor_office = models.CharField(_("منصب الزائر"), max_length=12, blank=True, choices=VisitorOffice.choices)
    host_country = models.CharField(
        _("البلد المضيف"), max_length=40, blank=True, help_text=_("لسلسلة زيارات: البلد الذي يزوره، كما يكتبه معجم الكيانات"),
    )

    class Meta:
        ordering = ["slug"]
        verbose_name = _("سلسلة اجتماعات")
        verbose_name_plural = _("سلاسل الاجتماعات")

    def __str__(self):
        return self.name_en

    def clean(self):
        """A visit series names both countries, as the gazetteer writes them, and the visitor's office; others none."""
        self.visitor_country = self.visitor_country.strip().lower()
        self.host_country = self.host_country.strip().lower()
        visit = {"visitor_country": self.visitor_country, "visitor_office": self.visitor_office,
                 "host_country": self.host_country}
        if not any(visit.values()):
            return
        if self.multilateral:
            raise ValidationError({"multilateral": _("زيارة بلد لبلد ليست اجتماعا متعدد الأطراف: أزل العلامة أو "
                                                     "اترك بلدي الزيارة ومنصب الزائر فارغة.")})
        errors = {name: _("سلسلة الزيارات تسمي بلد الزائر والبلد المضيف ومنصب الزائر معا: أكمل الثلاثة أو اتركها "
                          "فارغة.") for name, value in visit.items() if not value}
        known = set(Entity.objects.exclude(country="").values_list("country", flat=True).distinct())
        for name in ("visitor_country", "host_country"):
            if visit[name] and visit[name] not in known:
                errors[name] = _("لا يحمل أي كيان في المعجم البلد «%(country)s»: اكتبه كما يكتبه المعجم "
                                 "(china، kazakhstan).") % {"country": visit[name]}
        if not errors and self.visitor_country == self.host_country:
            errors["host_country"] = _("الزائر يأتي من بلد غير البلد المضيف.")
        if errors:
            raise ValidationError(errors)


class ReferenceMeeting(models.Model):
    """One meeting of the reference calendar, with its place and dates."""

    series = models.ForeignKey(
        MeetingSeries, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("سلسلة الاجتماعات")
    )
    ordinal = models.PositiveSmallIntegerField(
        _("الدورة"), null=True, blank=True, help_text=_("رقم الدورة، إن كان معروفا")
    )
    start = models.DateField(_("اليوم الأول"))
    end = models.DateField(_("اليوم الأخير"))
    session_day = models.DateField(
        _("يوم الجلسة"),
        null=True,
        blank=True,
        help_text=_("يوم جلسة القادة حين يشمل الاجتماع أيام وصول ولقاءات ثنائية؛ «عشية القمة» هو اليوم الذي قبله. "
                    "إن ترك فارغا فاليوم الأول."),
    )
    city_ar = models.CharField(_("المدينة بالعربية"), max_length=100)
    city_en = models.CharField(_("المدينة بالإنجليزية"), max_length=100)
    note = models.CharField(_("ملاحظة"), max_length=300, blank=True)

    class Meta:
        ordering = ["series", "start"]
        constraints = [models.UniqueConstraint(fields=["series", "start"], name="unique_meeting_per_series_start")]
        verbose_name = _("اجتماع مرجعي")
        verbose_name_plural = _("التقويم المرجعي")

    def __str__(self):
        return f"{self.series.name_en} {self.start:%Y} ({self.city_en})"


class Anchor(models.Model):
    """A founding date that anniversaries count from (diplomatic relations, the Belt proposal, …)."""

    slug = models.SlugField(_("المعرف في الرابط"), unique=True)
    name_ar = models.CharField(_("الاسم بالعربية"), max_length=200)
    name_en = models.CharField(_("الاسم بالإنجليزية"), max_length=200)
    date = models.DateField(_("التاريخ"))
    patterns = ArrayField(
        models.CharField(max_length=300), verbose_name=_("العبارات"), help_text=_("عبارات تشير إلى هذا الحدث")
    )

    class Meta:
        ordering = ["date"]
        verbose_name = _("تاريخ مرجعي للذكرى")
        verbose_name_plural = _("تواريخ الذكرى")

    def __str__(self):
        return f"{self.name_en} ({self.date})"


class EntityKind(models.TextChoices):
    PERSON = "person", _("شخص")
    PLACE = "place", _("مكان")
    ORGANISATION = "organisation", _("منظمة")


class Entity(NamedInBothLanguages, CleanStoredText, models.Model):
    """A person, place or organisation of the gazetteer, with every spelling outlets use."""

    slug = models.SlugField(_("المعرف في الرابط"), unique=True, max_length=120)
    kind = models.CharField(_("النوع"), max_length=12, choices=EntityKind.choices)
    name_en = models.CharField(_("الاسم بالإنجليزية"), max_length=200)
    name_ar = models.CharField(_("الاسم بالعربية"), max_length=200)
    aliases = ArrayField(
        models.CharField(max_length=200), blank=True, default=list, verbose_name=_("أسماء أخرى"),
        help_text=_("كل طرق الكتابة والأسماء التاريخية"),
    )
    country = models.CharField(_("البلد"), max_length=40, blank=True)
    is_country = models.BooleanField(_("دولة"), default=False, help_text=_("دولة (لا تحسب في تقييم الكيانات)"))
    roles = models.JSONField(_("المناصب"), default=list, blank=True)
    historic = models.JSONField(_("الأسماء التاريخية"), default=list, blank=True)

    class Meta:
        ordering = ["kind", "name_en"]
        verbose_name = _("كيان")
        verbose_name_plural = _("الأشخاص والأماكن والمنظمات")
        indexes = [models.Index(fields=["kind", "name_en"], name="entity_kind_name")]  # admin list and facets

    def __str__(self):
        return f"{self.name_en} / {self.name_ar}"


SEARCH_VECTOR = SearchVector("search_document", config="simple")
# Up to this many matches a search is "rare": its ids are read from the GIN index once per request and every query
# of the request (page, count, facets) selects by id; above it, a page walks the date index checking the stored vector.
RARE_MATCHES = 5000
# A word the planner expects in more events than this, and in more than COMMON_SHARE of all events, is taken as
# common without asking the index (at 100k events the planner expects a rare name with thirty spellings, each a
# prefix, in 10–15 % of them: 14,392 for one found in 378, which then cost a 770 ms walk of the date index).
COMMON_ESTIMATE = 10_000
COMMON_SHARE = 0.25


def int_array(values):
    """Integers as the text of a PostgreSQL array ('{1,2,3}'), for a `%s::bigint[]` parameter: one string for psycopg
    to quote, where a list is dumped element by element in Python (thousands of ids a batch of ingest)."""
    return "{" + ",".join(map(str, values)) + "}"


def text_array(values):
    """Strings as the text of a PostgreSQL array, each element quoted (as int_array, for `%s::text[]`)."""
    return "{" + ",".join('"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"' for v in values) + "}"


def bool_array(values):
    return "{" + ",".join("t" if v else "f" for v in values) + "}"


@models.Field.register_lookup
class AnyOf(models.Lookup):
    """`field = ANY(%s)`: a list of values as one array parameter, cast to the column's type. An IN list carries one
    parameter per value, so every length is a new statement text for psycopg to parse and each value is quoted."""

    lookup_name = "any_of"
    prepare_rhs = False

    def get_db_prep_lookup(self, value, connection):
        value = list(value)
        # ids and texts as the array's text (int_array, text_array): the same array, without psycopg's per-element dump
        if all(type(v) is int for v in value):
            return "%s", [int_array(value)]
        if all(type(v) is str for v in value):
            return "%s", [text_array(value)]
        return "%s", [value]

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY({rhs}::{self.lhs.output_field.db_type(connection)}[])", (*lhs_params, *rhs_params)


models.ForeignObject.register_lookup(AnyOf)  # (a relation's lookups are its own, not Field's)


def _subplan_rows(plan):
    """The planner's row estimates of the two scalar subqueries of ids_matching's EXPLAIN: (matches, table rows),
    each read from the scan under its aggregate."""

    def scanned(node):
        while node.get("Plans") and "Scan" not in node["Node Type"]:
            node = node["Plans"][0]
        return node["Plan Rows"]

    subplans = [node for node in plan.get("Plans", []) if node.get("Parent Relationship") == "InitPlan"]
    return tuple(scanned(node) for node in subplans[:2])


class EventQuerySet(models.QuerySet):
    def dated(self):
        return self.filter(date_start__isnull=False)

    def between(self, first_year=None, last_year=None):
        """Events whose dates overlap the years first_year..last_year (inclusive)."""
        qs = self
        if first_year is not None:
            qs = qs.filter(date_end__gte=datetime.date(first_year, 1, 1))
        if last_year is not None:
            qs = qs.filter(date_start__lte=datetime.date(last_year, 12, 31))
        return qs

    def within(self, first_day=None, last_day=None):
        """Events whose dates overlap first_day..last_day (inclusive; the time axis's window)."""
        qs = self
        if first_day is not None:
            qs = qs.filter(date_end__gte=first_day)
        if last_day is not None:
            qs = qs.filter(date_start__lte=last_day)
        return qs

    def about(self, topic_ids):
        """Events with any of the given topics (ids; served by the GIN index on topic_ids)."""
        if not topic_ids:
            return self
        return self.filter(topic_ids__overlap=list(topic_ids))

    def involving(self, entity_ids):
        """Events that mention all of the given entities (ids; served by the GIN index on entity_ids)."""
        if not entity_ids:
            return self
        return self.filter(entity_ids__contains=list(entity_ids))

    def of_types(self, codes):
        """Events of any of the given event types (codes; served by the index on event_type)."""
        if not codes:
            return self
        return self.filter(event_type__in=list(codes))

    def ids_matching(self, tsquery, limit=None):
        """Ids of the events whose stored vector matches a to_tsquery('simple') string, or None when more than
        `limit` (RARE_MATCHES) do.

        The planner's estimate comes first: a word it expects in more than COMMON_ESTIMATE events and in more
        than COMMON_SHARE of the table is common, and listing it would cost the index a bitmap of most of the
        table (150–600 ms at 100k), so None at once. Its estimates of common words are good; a rare word it can
        overestimate fortyfold (a name's many prefix spellings), so a lower estimate is checked by reading the ids
        from the GIN index alone: the planner is told not to scan the table nor walk another index, since it
        cannot know what a match costs per row (the vector read from TOAST) and, misjudging the count, would read
        thousands of rows to find a rare word. One EXPLAIN gives both estimates, the word's and the table's."""
        limit = RARE_MATCHES if limit is None else limit
        matching = "SELECT id FROM timeline_event WHERE search_vector @@ to_tsquery('simple'::regconfig, %s)"
        estimates = f"SELECT (SELECT count(*) FROM ({matching}) m), (SELECT count(*) FROM timeline_event)"
        with connections[self.db].cursor() as cursor:  # the database the router reads from
            cursor.execute("EXPLAIN (FORMAT JSON) " + estimates, [tsquery])
            plan = cursor.fetchone()[0]
            plan = json.loads(plan) if isinstance(plan, str) else plan
            expected, table = _subplan_rows(plan[0]["Plan"])
            if expected > max(COMMON_ESTIMATE, COMMON_SHARE * table):
                return None
            # A phrase is probed as its words alone (`&`): the index answers that without reading a row, where
            # checking word positions reads each candidate's vector (290 ms for a name spelt with a phrase of a
            # short common word, at 100k); only a short list of candidates is then checked as the phrase.
            probe = tsquery.replace("<->", "&")
            cursor.execute("SET enable_seqscan = off; SET enable_indexscan = off")
            try:
                cursor.execute(matching + " LIMIT %s", [probe, limit + 1])
                ids = [row[0] for row in cursor.fetchall()]
                if probe != tsquery and len(ids) <= limit:
                    cursor.execute(matching + " AND id = ANY(%s::bigint[])", [tsquery, ids])
                    ids = [row[0] for row in cursor.fetchall()]
            finally:
                cursor.execute("RESET enable_seqscan; RESET enable_indexscan")
        return ids if len(ids) <= limit else None

    def matching(self, tsquery, ids=None):
        """Events whose search document matches a to_tsquery('simple') string (see extract/search.py); `ids`, when
        given, are those events (ids_matching(tsquery)), found once for the whole request."""
        if not tsquery:
            return self
        if ids is not None:
            return self.filter(pk__any_of=ids)
        # The stored, GIN-indexed column: a rare word is found through the index, a common one is checked row by
        # row against the stored vector while walking the date index, never by re-parsing the document.
        return self.filter(search_vector=SearchQuery(tsquery, search_type="raw", config="simple"))

    def from_outlets(self, outlet_ids):
        """Events with an article from any of these outlets (served by the GIN index on outlet_ids)."""
        if not outlet_ids:
            return self
        return self.filter(outlet_ids__overlap=list(outlet_ids))

    def chronological(self):
        return self.order_by("date_start", "date_end", "pk")

    def for_listing(self, with_bodies=False):
        """What the timeline shows of each event: its topics and its articles' outlets; the articles' cleaned text
        only when a search passage is cut from it. Never the search document nor the raw texts (kilobytes each)."""
        # only what the listing reads of an article (its outlet; its text for a passage): no dates, no JSON to parse
        fields = ["id", "event_id", "outlet__id", "outlet__slug", "outlet__name_ar", "outlet__name_en"]
        articles = Article.objects.select_related("outlet").order_by("pk").only(*fields, *(["body"] if with_bodies else []))
        return self.defer("search_document", "search_vector").prefetch_related(
            "topics", Prefetch("articles", queryset=articles)
        )

    def page_of(self, number, size):
        """Events of page `number` (from 1), in this queryset's order: the page's ids are found first (on the
        timeline's order an index-only scan of event_chronology that reads no event row), then only their rows."""
        ids = self.values("pk")[(number - 1) * size : number * size]
        return Event.objects.filter(pk__in=ids).order_by(*self.query.order_by)

    def for_export(self, as_json):
        """Each event's exported fields (exports.EXPORT_COLUMNS, in that order): its own fields, its topic and entity
        ids as the text of their arrays ('{1,5}'), and its articles as `article_rows` (NULL when it has none), in
        id order: for /events.csv the outlet id of each ('3,-,5', '-' for none); for /events.json (as_json) their
        JSON text, written by PostgreSQL (to_json escapes exactly what json.dumps(…, ensure_ascii=False) does)
        with '%(3)s' where an outlet's name goes ('%(-)s' for none) and any other '%' doubled, for Python's %
        operator. One query, no article text, no join to the small name tables (exports.ExportNames reads them
        once); exports.export_rows() reads it through a server-side cursor, so memory stays flat at any size."""
        articles = EXPORT_ARTICLES_JSON if as_json else EXPORT_ARTICLES_CSV
        return self.values(
            "slug", "title", "date_start", "date_end", "precision", "date_method", "date_evidence", "date_confidence",
            "event_type",
            topic_set=Cast("topic_ids", models.TextField()),  # the denormalised arrays the filters read
            entity_set=Cast("entity_ids", models.TextField()),
            article_rows=models.expressions.RawSQL(articles, [], output_field=models.TextField()),
        )

    def year_counts(self):
        """[(year, count)] by the year each event starts in."""
        return list(
            self.dated()
            .order_by()
            .values_list(models.functions.ExtractYear("date_start"))
            .annotate(n=Count("pk"))
            .order_by(models.functions.ExtractYear("date_start"))
        )

    def refresh_denormalised(self):
        """Rewrite these events' topic_ids, entity_ids and outlet_ids from their topics, entities and
        articles' outlets, in one set-based UPDATE (ingest, the admin and bulk loaders call it after a change)."""
        ids, params = self.order_by().values("pk").query.sql_with_params()
        with connections[self.db].cursor() as cursor:
            cursor.execute(REFRESH_DENORMALISED_SQL.format(ids=ids), params)
            return cursor.rowcount


# An event's articles for the exports (EventQuerySet.for_export), in id order: for the CSV their outlet ids, for the
# JSON their JSON text with '%(<outlet id>)s' where the outlet's name goes ('-' for none). (% doubled: RawSQL.)
EXPORT_ARTICLES_CSV = """(SELECT string_agg(coalesce(a.outlet_id::text, '-'), ',' ORDER BY a.id)
 FROM timeline_article a WHERE a.event_id = "timeline_event"."id")"""
EXPORT_ARTICLES_JSON = """(SELECT string_agg(concat('{"title": ', replace(to_json(a.title)::text, '%%', '%%%%'),
 ', "outlet": %%(', coalesce(a.outlet_id::text, '-'), ')s, "url": ',
 CASE WHEN a.url <> '' THEN replace(to_json(a.url)::text, '%%', '%%%%') ELSE 'null' END, '}'), ', ' ORDER BY a.id)
 FROM timeline_article a WHERE a.event_id = "timeline_event"."id")"""


# The arrays as the timeline filters and facets read them (sorted, no duplicates, empty when none).
REFRESH_DENORMALISED_SQL = """
UPDATE timeline_event e SET
  topic_ids = ARRAY(SELECT t.topic_id FROM timeline_event_topics t WHERE t.event_id = e.id ORDER BY 1),
  entity_ids = ARRAY(SELECT n.entity_id FROM timeline_event_entities n WHERE n.event_id = e.id ORDER BY 1),
  outlet_ids = ARRAY(SELECT DISTINCT a.outlet_id FROM timeline_article a
                     WHERE a.event_id = e.id AND a.outlet_id IS NOT NULL ORDER BY 1)
WHERE e.id IN ({ids})
"""


def _history(model_name, exclude):
    """Every insert, update and delete of the model's rows, by a PostgreSQL trigger: edits in the admin,
    ingest's bulk updates and raw SQL alike, each with its context (the editor's id or the command, a reason)."""
    return pghistory.track(
        pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent(),
        exclude=exclude, model_name=model_name, obj_field=pghistory.ObjForeignKey(related_name="history"),
    )


# Not kept in the history: derived from other fields (the search document and vector, the filter arrays), the time of every save (updated_at).
@_history("EventHistory", exclude=["search_document", "search_vector", "topic_ids", "entity_ids", "outlet_ids", "updated_at"])
class Event(DatedFields):
    slug = models.SlugField(_("المعرف في الرابط"), unique=True, max_length=120)
    title = models.CharField(_("العنوان"), max_length=500)
    lead = models.TextField(_("الفقرة الأولى"), blank=True)
    topics = models.ManyToManyField(Topic, related_name="events", blank=True, editable=False, verbose_name=_("المواضيع"))
    entities = models.ManyToManyField(
        Entity, related_name="events", blank=True, editable=False, verbose_name=_("الأشخاص والأماكن والمنظمات")
    )
    # Stems of every article's title and text and the names of its outlets, topics and entities.
    search_document = models.TextField(blank=True, editable=False)
    # The document parsed once, on write: what ?q= is matched against (see EventQuerySet.matching).
    search_vector = models.GeneratedField(expression=SEARCH_VECTOR, output_field=SearchVectorField(), db_persist=True)
    # An editor who fixes the date by hand keeps it: ingest stops recomputing it.
    date_locked = models.BooleanField(
        _("تاريخ ثابت"), default=False, help_text=_("يحفظ التاريخ الذي أدخله المحرر فلا يعاد حسابه من المقالات")
    )
    # From the articles (the most common type among them, the primary article's on a tie) unless an editor set it.
    event_type = models.CharField(
        _("نوع الحدث"), max_length=24, choices=EventType.choices, default=EventType.OTHER
    )
    event_type_locked = models.BooleanField(
        _("نوع ثابت"), default=False, help_text=_("يحفظ النوع الذي اختاره المحرر فلا يعاد حسابه من المقالات")
    )

    # Headlines and summaries an editor writes win over everything composed; blank means "use the composed one".
    headline_en = models.CharField(_("العنوان بالإنجليزية (يكتبه محرر)"), max_length=300, blank=True,
                                   help_text=_("يظهر بدل العنوان المركب في الصفحات الإنجليزية؛ يترك فارغا لاستعمال المركب"))
    headline_ar = models.CharField(_("العنوان بالعربية (يكتبه محرر)"), max_length=300, blank=True,
                                   help_text=_("يظهر بدل عنوان المقالة في الصفحات العربية؛ يترك فارغا لاستعمال عنوان المقالة"))
    summary_en = models.TextField(_("ملخص بالإنجليزية"), blank=True, help_text=_("فقرة واحدة"))
    summary_ar = models.TextField(_("ملخص بالعربية"), blank=True, help_text=_("فقرة واحدة"))
    # Composed from the event type, participants and place on every refresh (extract/headlines.py); never typed in.
    composed_headline_en = models.CharField(_("العنوان المركب بالإنجليزية"), max_length=300, blank=True, editable=False)
    composed_headline_ar = models.CharField(_("العنوان المركب بالعربية"), max_length=300, blank=True, editable=False)
    # The speaking article's own title says nothing (a site name, a dateline, a cut sentence): Arabic pages show the
    # composed Arabic headline instead.
    title_poor = models.BooleanField(_("عنوان المقالة لا يصلح عنوانا"), default=False, editable=False)
    created_at = models.DateTimeField(_("أنشئ في"), auto_now_add=True)
    updated_at = models.DateTimeField(_("آخر تعديل"), auto_now=True)
    # Copies of the event's topics, entities and its articles' outlets, for the filters and facets (GIN).
    # Written by EventQuerySet.refresh_denormalised() and ingest.refresh_event(), never by a plain save().
    topic_ids = ArrayField(models.BigIntegerField(), default=list, blank=True, editable=False)
    entity_ids = ArrayField(models.BigIntegerField(), default=list, blank=True, editable=False)
    outlet_ids = ArrayField(models.BigIntegerField(), default=list, blank=True, editable=False)

    objects = EventQuerySet.as_manager()

    def headline(self, language=None):
        """The headline a reader sees in `language` (the page's by default): the editor's, else the composed one
        in English, else the article's title (the composed Arabic one when that title is poor)."""
        english = (language or get_language() or "").startswith("en")
        if english:
            return self.headline_en or self.composed_headline_en or self.headline("ar")
        if self.headline_ar:
            return self.headline_ar
        if self.title_poor and self.composed_headline_ar:
            return self.composed_headline_ar
        return self.title

    def headline_language(self, language=None):
        """The language the headline for `language` is written in: an English page may fall back to Arabic."""
        english = (language or get_language() or "").startswith("en")
        return "en" if english and (self.headline_en or self.composed_headline_en) else "ar"

    def summary(self, language=None):
        english = (language or get_language() or "").startswith("en")
        return self.summary_en if english else self.summary_ar

    class Meta:
        ordering = ["date_start", "date_end", "pk"]
        verbose_name = _("حدث")
        verbose_name_plural = _("الأحداث")
        indexes = [
            # the timeline: ordered by date (the id breaks ties), filtered by year range; a page's ids come from an
            # index-only scan of it, the event page's neighbours from one step along it
            models.Index(fields=["date_start", "date_end", "id"], name="event_chronology"),
            # ?type= with the timeline's order: an index-only scan for a page of any type (and the admin's filter)
            models.Index(fields=["event_type", "date_start", "date_end", "id"], name="event_type_chronology"),
            # ingest: candidate events overlapping an article's dates
            models.Index(fields=["date_end"], name="event_date_end"),
            # admin review queue
            models.Index(fields=["needs_review"], name="event_needs_review", condition=Q(needs_review=True)),
            # the timeline's free-text search (?q=)
            GinIndex(fields=["search_vector"], name="event_search_vector"),
            # the topic, entity and outlet filters
            GinIndex(fields=["topic_ids"], name="event_topic_ids"),
            GinIndex(fields=["entity_ids"], name="event_entity_ids"),
            GinIndex(fields=["outlet_ids"], name="event_outlet_ids"),
        ]

    def __str__(self):
        return self.title

    DENORMALISED = ("topic_ids", "entity_ids", "outlet_ids")

    def save(self, *args, denormalised=False, **kwargs):
        """denormalised=True: the caller has set topic_ids, entity_ids and outlet_ids to what the links will be
        (ingest.refresh_event). Otherwise they are left as stored: an instance loaded before a
        refresh_denormalised() must not write its stale arrays back."""
        if not denormalised and self.pk is not None and not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                f.name for f in self._meta.concrete_fields if not f.primary_key and f.name not in self.DENORMALISED
            ]
        adding = self._state.adding
        super().save(*args, **kwargs)
        if adding and self.slug:  # every address an event was given stays (EventSlug)
            EventSlug.objects.get_or_create(slug=self.slug, defaults={"event": self})

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("timeline:event", kwargs={"slug": self.slug})


# An article's dates as one range, for the index that finds the articles overlapping a new one (ingest).
# GREATEST: a row whose end an editor set before its start still gives a valid range (its start day).
ARTICLE_SPAN = models.Func(
    models.F("date_start"),
    models.Func(models.F("date_start"), models.F("date_end"), function="GREATEST"),
    models.Value("[]"),
    function="daterange",
    output_field=DateRangeField(),
)



class EventSlugQuerySet(models.QuerySet):
    def holder_of(self, slug):
        """The event now holding the happening an address was issued for (any slug ever given), or None."""
        alias = self.select_related("event").filter(slug=slug).first()
        return alias.event if alias else None


class EventSlug(models.Model):
    """Every address an event was ever given. The event's own slug never changes; a slug of an event that
    was merged into another (or emptied by regrouping) points to the event now holding that happening,
    and its page redirects there."""

    slug = models.SlugField(_("المعرف في الرابط"), unique=True, max_length=120)
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="slugs", verbose_name=_("الحدث"))
    created_at = models.DateTimeField(_("أنشئ في"), auto_now_add=True)

    objects = EventSlugQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("عنوان حدث")
        verbose_name_plural = _("عناوين الأحداث")

    def __str__(self):
        return self.slug


class ArticleQuerySet(models.QuerySet):
    def for_review(self):
        """What waits for an editor, newest first."""
        return self.filter(needs_review=True).order_by("-created_at", "-pk")

    def with_reason(self, code):
        return self.filter(review_reasons__contains=[code]) if code else self

    def possible_duplicates_of(self, article, days=7):
        """Other articles with the same (real) title from the same outlet, or dated within `days` of it."""
        if not article.title or article.title_generated:
            return self.none()
        same = self.filter(title=article.title, title_generated=False).exclude(pk=article.pk)
        near = Q(outlet_id=article.outlet_id) if article.outlet_id else Q(pk__in=[])
        if article.date_start:
            slack = datetime.timedelta(days=days)
            near |= Q(date_start__lte=article.date_start + slack, date_start__gte=article.date_start - slack)
        else:
            near |= Q(date_start__isnull=True)
        return same.filter(near)


# Not kept in the history: the text (never changed after ingest, and large) and what is derived from it.
@_history("ArticleHistory", exclude=["raw_text", "body", "lead", "signature", "date_candidates"])
class Article(DatedFields):
    # (no index of its own: article_event, on the event and the id, serves every lookup by event)
    event = models.ForeignKey(
        Event, on_delete=models.SET_NULL, null=True, blank=True, related_name="articles", verbose_name=_("الحدث"),
        db_index=False,
    )
    title = models.CharField(_("العنوان"), max_length=500, blank=True)
    title_generated = models.BooleanField(_("عنوان مستنتج من النص"), default=False, editable=False)
    raw_text = models.TextField(_("النص كما ورد"))
    body = models.TextField(_("النص بعد التنظيف"), editable=False)
    lead = models.TextField(editable=False, blank=True)
    outlet = models.ForeignKey(
        Outlet, on_delete=models.PROTECT, null=True, blank=True, related_name="articles",
        verbose_name=_("وسيلة الإعلام"),
    )
    url = models.URLField(_("الرابط"), max_length=1000, blank=True)
    published_on = models.DateField(_("تاريخ النشر"), null=True, blank=True)
    published_evidence = models.CharField(_("دليل تاريخ النشر"), max_length=300, blank=True, editable=False)
    editor = models.CharField(_("المحرر"), max_length=200, blank=True, editable=False)
    language = models.CharField(_("اللغة"), max_length=8, default="ar", editable=False)
    source_name = models.CharField(_("اسم الملف المصدر"), max_length=300, blank=True, editable=False)
    content_hash = models.CharField(_("بصمة النص"), max_length=64, unique=True, editable=False)
    # What the event matcher compares: meeting, happening kinds, actors.
    signature = models.JSONField(default=dict, blank=True, editable=False)
    # An editor put this article on its event (merge, split): regrouping never moves it again.
    event_locked = models.BooleanField(
        _("الحدث ثابت"), default=False,
        help_text=_("وضعه محرر على هذا الحدث (دمج أو فصل): لا تنقله إعادة التجميع إلى حدث آخر"),
    )
    # What the extractor found the article reports (extract/event_types.py), and from which words.
    event_type = models.CharField(
        _("نوع الحدث"), max_length=24, choices=EventType.choices, default=EventType.OTHER, editable=False
    )
    event_type_evidence = models.CharField(_("دليل النوع"), max_length=300, blank=True, editable=False)
    created_at = models.DateTimeField(_("أضيفت في"), auto_now_add=True)
    # Why it waits in the review queue (ReviewReason codes), and the dates its text allows, ranked.
    review_reasons = ArrayField(
        models.CharField(max_length=32, choices=ReviewReason.choices), blank=True, default=list, editable=False,
        verbose_name=_("أسباب المراجعة"),
    )
    date_candidates = models.JSONField(_("التواريخ المرشحة"), default=list, blank=True, editable=False)
    # What an editor set and re-extraction must keep (ArticleLock codes): set when they change the field in
    # the admin, cleared only by them. The date is also locked when its method is "editor".
    locked_fields = ArrayField(
        models.CharField(max_length=16, choices=ArticleLock.choices), blank=True, default=list,
        verbose_name=_("حقول ثابتة"),
        help_text=_("ما أدخله محرر: لا تغيره إعادة الاستخراج"),
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("مقالة")
        verbose_name_plural = _("المقالات")
        indexes = [
            # event page and listing prefetch: articles of an event
            models.Index(fields=["event", "id"], name="article_event"),
            models.Index(fields=["needs_review"], name="article_needs_review", condition=Q(needs_review=True)),
            # ingest: the dated articles whose dates overlap a new article's (timeline.ingest.candidates)
            GistIndex(ARTICLE_SPAN, name="article_span", condition=Q(date_start__isnull=False)),
            # ...and one of their links (ingest.candidates, _BatchMatcher): a shared meeting, the same visit, a shared
            # kind of happening on an exact day. Where few articles have links these find them without reading every
            # article dated near the batch's (at 200k generated articles: 83,000 rows read, 260 ms a batch); where many
            # do, the planner keeps to the dates.
            GinIndex(KeyTransform("meetings", "signature"), name="article_meetings", condition=Q(date_start__isnull=False)),
            models.Index(KeyTransform("visit", "signature"), name="article_visit", condition=Q(date_start__isnull=False)),
            GinIndex(
                KeyTransform("kinds", "signature"), name="article_day_kinds", condition=Q(date_start__isnull=False, precision="day")
            ),
            # the review queue's reason filter; the duplicate check at ingest
            GinIndex(fields=["review_reasons"], name="article_review_reasons"),
            # the duplicate check at ingest (ingest._earlier_twins): the first articles by id with the same real title
            # from the same outlet, or dated within days of it (or undated), each an ordered range of one of these
            models.Index(fields=["title", "outlet", "id"], name="article_title_outlet", condition=Q(title_generated=False)),
            models.Index(fields=["title", "date_start", "id"], name="article_title_date", condition=Q(title_generated=False)),
        ]

    def __str__(self):
        return self.title or self.source_name or f"#{self.pk}"

    def is_locked(self, field):
        """Whether re-extraction must keep this field (an ArticleLock code) as an editor left it."""
        return field in self.locked_fields or (field == ArticleLock.DATE and self.date_method == DateMethod.EDITOR)

    @property
    def locks(self):
        """The ArticleLock codes in force (the date's too when an editor set it)."""
        return [code for code in ArticleLock.values if self.is_locked(code)]

    @property
    def review_reason_labels(self):
        return [ReviewReason(code).label for code in self.review_reasons if code in ReviewReason.values]


class ArticleTopic(models.Model):
    # (no index of its own: unique_article_topic, on the article and the topic, serves every lookup by article)
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="topic_matches", verbose_name=_("المقالة"), db_index=False
    )
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="article_matches", verbose_name=_("الموضوع"))
    evidence = ArrayField(models.CharField(max_length=200), default=list, verbose_name=_("الكلمات الدالة"))

    class Meta:
        verbose_name = _("موضوع المقالة")
        verbose_name_plural = _("مواضيع المقالة")
        constraints = [models.UniqueConstraint(fields=["article", "topic"], name="unique_article_topic")]
        ordering = ["topic__position"]

    def __str__(self):
        return f"{self.topic.slug}: {', '.join(self.evidence)}"


class ArticleEntity(models.Model):
    # (no index of its own: unique_article_entity, on the article and the entity, serves every lookup by article)
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="entity_matches", verbose_name=_("المقالة"), db_index=False
    )
    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="article_matches", verbose_name=_("الكيان"))
    # [[start, end], …] offsets in the article's cleaned text
    mentions = models.JSONField(_("مواضع الذكر"), default=list)

    class Meta:
        verbose_name = _("كيان في المقالة")
        verbose_name_plural = _("الأشخاص والأماكن والمنظمات في المقالة")
        constraints = [models.UniqueConstraint(fields=["article", "entity"], name="unique_article_entity")]
        ordering = ["entity__kind", "entity__name_en"]

    def __str__(self):
        return f"{self.entity.name_en} ×{len(self.mentions)}"


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", _("مقترح")
    ACCEPTED = "accepted", _("مقبول")
    REJECTED = "rejected", _("مرفوض")


class ProposedEntity(models.Model):
    """A name found after a title that the gazetteer lacks, waiting for an editor to accept or reject it.

    A rejected proposal keeps its row so that its key is never proposed again.
    """

    name_ar = models.CharField(_("الاسم بالعربية"), max_length=200)
    # The name with its spelling variants folded (extract.discovery.name_key): one proposal per person or place.
    key = models.CharField(max_length=200, unique=True, editable=False)
    kind = models.CharField(_("النوع"), max_length=12, choices=EntityKind.choices)
    country = models.CharField(_("البلد"), max_length=40, blank=True)
    evidence = models.CharField(_("الدليل"), max_length=300, blank=True, help_text=_("اللقب الذي سبق الاسم في النص"))
    # Other spellings met under the same key: the accepted entity's aliases, so every article's mention is found.
    spellings = ArrayField(models.CharField(max_length=200), blank=True, default=list, editable=False)
    status = models.CharField(
        _("الحالة"), max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PROPOSED
    )
    name_en = models.CharField(
        _("الاسم بالإنجليزية"), max_length=200, blank=True, help_text=_("يستعمل الاسم العربي عند القبول إن ترك فارغا")
    )
    entity = models.ForeignKey(
        Entity, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="proposals",
        verbose_name=_("الكيان في المعجم"),
    )
    articles = models.ManyToManyField(
        Article, related_name="proposals", blank=True, editable=False, verbose_name=_("المقالات")
    )
    created = models.DateTimeField(_("اقترح في"), auto_now_add=True)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("كيان مقترح")
        verbose_name_plural = _("كيانات مقترحة")
        indexes = [
            # the admin list: newest first, filtered by status
            models.Index(fields=["status", "-created"], name="proposal_status_created"),
        ]

    def __str__(self):
        return self.name_ar


class SearchTerm(models.Model):
    """A word of the corpus or a name of the gazetteer, normalised, for "did you mean" (pg_trgm similarity).

    Words come from the events' search documents (ingest adds new ones; `manage.py build_search_terms` recounts),
    names from the gazetteer (kept in step with it on every save).
    """

    normalized = models.CharField(max_length=200, unique=True)
    display = models.CharField(max_length=200)
    frequency = models.PositiveIntegerField(default=1)  # events holding the word; a name counts as very frequent
    is_name = models.BooleanField(default=False)

    class Meta:
        indexes = [
            # "did you mean": the most similar known term to an unknown query word (the % operator)
            GinIndex(fields=["normalized"], name="searchterm_trigram", opclasses=["gin_trgm_ops"]),
        ]

    def __str__(self):
        return self.display


class DataVersion(models.Model):
    """One row whose version changes with every statement that writes events, articles, topics, entities,
    outlets or the events' topic and entity links (a trigger: see migration 0012_h9f). Cached facets are keyed
    by it, so a write is seen by the next request in every process."""

    version = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "data version"

    @classmethod
    def current(cls):
        # read by every public request (timeline/page_cache.py): plain SQL, no queryset to compile
        with connections[router.db_for_read(cls)].cursor() as cursor:
            cursor.execute(f'SELECT "version" FROM "{cls._meta.db_table}" WHERE "id" = 1')
            row = cursor.fetchone()
        return (row and row[0]) or 0


class EntityCount(models.Model):
    """Dated events per entity (what the timeline's entity facets are ranked by), kept by triggers (migration
    0023_cold_entity_counts) in the writing statement's transaction: a link added or removed, an event inserted,
    deleted, or given or stripped of its date. Counting it instead took one GROUP BY over every event-entity link
    (2.7 M at 100k events: seconds) on the first uncached request after each write (facets._corpus).
    A bulk load with the triggers off (bench/scale.py's COPY) recounts afterwards: recount(), or RECOUNT_ENTITIES_SQL on
    a connection of its own."""

    entity_id = models.BigIntegerField(primary_key=True)  # no foreign key: a deleted entity's row is simply unread
    events = models.IntegerField()

    class Meta:
        verbose_name = "entity count"

    @classmethod
    def recount(cls, using="default"):
        with connections[using].cursor() as cursor:
            cursor.execute(RECOUNT_ENTITIES_SQL)


RECOUNT_ENTITIES_SQL = """
DELETE FROM timeline_entitycount;
INSERT INTO timeline_entitycount (entity_id, events)
SELECT n.entity_id, count(*) FROM timeline_event_entities n JOIN timeline_event e ON e.id = n.event_id
WHERE e.date_start IS NOT NULL GROUP BY n.entity_id;
"""


@receiver(post_delete, sender=Article)
def _article_deleted(sender, instance, **kwargs):
    """The event loses that article's outlet."""
    if instance.event_id:
        Event.objects.filter(pk=instance.event_id).refresh_denormalised()


@receiver(post_delete, sender=Topic)
@receiver(post_delete, sender=Entity)
def _tag_deleted(sender, instance, **kwargs):
    """Its id leaves the events' arrays (the links themselves went with it)."""
    field = "topic_ids" if sender is Topic else "entity_ids"
    Event.objects.filter(**{f"{field}__contains": [instance.pk]}).refresh_denormalised()


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("في الانتظار")
    RUNNING = "running", _("قيد التنفيذ")
    DONE = "done", _("انتهى")
    FAILED = "failed", _("فشل")


class ReextractJob(models.Model):
    """A re-extraction run in the background (timeline/jobs.py): what it covers and how far it got.

    The worker writes `done`, `failed` and the report as it goes; the admin shows them while it runs."""

    article_ids = ArrayField(models.BigIntegerField(), default=list, blank=True, editable=False)
    every_article = models.BooleanField(_("كل المقالات"), default=False, editable=False)
    requested_by = models.CharField(_("طلبه"), max_length=150, blank=True, editable=False)
    status = models.CharField(_("الحالة"), max_length=8, choices=JobStatus.choices, default=JobStatus.QUEUED)
    total = models.PositiveIntegerField(_("المجموع"), default=0)
    done = models.PositiveIntegerField(_("أنجز"), default=0)
    failed = models.PositiveIntegerField(_("فشل"), default=0)
    counts = models.JSONField(_("الأعداد"), default=dict, blank=True)
    lines = models.JSONField(_("التغييرات"), default=list, blank=True)  # one line per changed or failed article
    error = models.TextField(_("الخطأ"), blank=True)
    task_id = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(_("أنشئ"), auto_now_add=True)
    finished_at = models.DateTimeField(_("انتهى في"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("إعادة استخراج")
        verbose_name_plural = _("عمليات إعادة الاستخراج")

    def __str__(self):
        return f"#{self.pk} ({self.done}/{self.total})"

