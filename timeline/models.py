import datetime

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import models
from django.db.models import Count, Prefetch, Q
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


class CleanStoredText:
    """Text fields are stored without control characters or bidi overrides, whoever wrote them
    (extraction, an editor in the admin, a command): a feed or page can then never be broken by them."""

    def save(self, *args, **kwargs):
        for field in self._meta.concrete_fields:
            if isinstance(field, (models.CharField, models.TextField)):
                value = getattr(self, field.attname)
                if isinstance(value, str):
                    setattr(self, field.attname, strip_controls(value))
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
    slug = models.SlugField(unique=True)
    name_ar = models.CharField(_("الاسم بالعربية"), max_length=100)
    name_en = models.CharField(_("الاسم بالإنجليزية"), max_length=100)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "slug"]
        verbose_name = _("موضوع")
        verbose_name_plural = _("المواضيع")

    def __str__(self):
        return f"{self.name_ar} / {self.name_en}"


class TopicKeyword(models.Model):
    """One entry of a topic's lexicon: an Arabic word or phrase that signals the topic."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="keywords")
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


class OutletQuerySet(models.QuerySet):
    def facet_counts(self, events, selected=()):
        """[(outlet, count, selected)] for every outlet with articles; count = events among `events`."""
        chosen = {o.pk for o in selected}
        rows = self.filter(articles__isnull=False).annotate(
            n=Count("articles__event", distinct=True, filter=Q(articles__event__in=events.order_by().values("pk")))
        ).order_by("-n", "name_ar")
        return [(outlet, outlet.n, outlet.pk in chosen) for outlet in rows]


class Outlet(NamedInBothLanguages, CleanStoredText, models.Model):
    slug = models.SlugField(unique=True, max_length=100)
    name_ar = models.CharField(_("الاسم بالعربية"), max_length=200)
    name_en = models.CharField(_("الاسم بالإنجليزية"), max_length=200, blank=True)
    aliases = ArrayField(
        models.CharField(max_length=200), blank=True, default=list, help_text=_("أسماء أخرى تظهر في النصوص")
    )
    website = models.URLField(blank=True)
    domains = ArrayField(
        models.CharField(max_length=200), blank=True, default=list,
        help_text=_("نطاقات مواقعها (arabic.news.cn): رابط مقالة على أحدها أو على نطاق فرعي منه يسمّي هذه الوسيلة"),
    )

    objects = OutletQuerySet.as_manager()

    class Meta:
        ordering = ["name_ar"]
        verbose_name = _("وسيلة إعلام")
        verbose_name_plural = _("وسائل الإعلام")

    def __str__(self):
        return self.name_en or self.name_ar


class MeetingSeries(models.Model):
    """A recurring meeting (SCO summit, China–Central Asia summit, …) and the words that name it."""

    slug = models.SlugField(unique=True)
    name_ar = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200)
    patterns = ArrayField(
        models.CharField(max_length=300),
        help_text=_("عبارات تعني هذا الاجتماع في النص (تقارن بعد توحيد الكتابة العربية)"),
    )

    class Meta:
        ordering = ["slug"]
        verbose_name = _("سلسلة اجتماعات")
        verbose_name_plural = _("سلاسل الاجتماعات")

    def __str__(self):
        return self.name_en


class ReferenceMeeting(models.Model):
    """One meeting of the reference calendar, with its place and dates."""

    series = models.ForeignKey(MeetingSeries, on_delete=models.CASCADE, related_name="meetings")
    ordinal = models.PositiveSmallIntegerField(null=True, blank=True, help_text=_("رقم الدورة، إن كان معروفا"))
    start = models.DateField()
    end = models.DateField()
    city_ar = models.CharField(max_length=100)
    city_en = models.CharField(max_length=100)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["series", "start"]
        constraints = [models.UniqueConstraint(fields=["series", "start"], name="unique_meeting_per_series_start")]
        verbose_name = _("اجتماع مرجعي")
        verbose_name_plural = _("التقويم المرجعي")

    def __str__(self):
        return f"{self.series.name_en} {self.start:%Y} ({self.city_en})"


class Anchor(models.Model):
    """A founding date that anniversaries count from (diplomatic relations, the Belt proposal, …)."""

    slug = models.SlugField(unique=True)
    name_ar = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200)
    date = models.DateField()
    patterns = ArrayField(models.CharField(max_length=300), help_text=_("عبارات تشير إلى هذا الحدث"))

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


class EntityQuerySet(models.QuerySet):
    def facet_counts(self, events, selected=(), per_kind=8):
        """{kind: [(entity, count in `events`, selected)]} for the most mentioned entities overall and the selected.

        The options stay the same whatever the filters; only their counts change (zero: shown disabled).
        """
        chosen = {e.pk for e in selected}
        rows = (
            self.annotate(
                total=Count("events", distinct=True),
                n=Count("events", distinct=True, filter=Q(events__in=events.order_by().values("pk"))),
            )
            .filter(Q(total__gt=0) | Q(pk__in=chosen))
            .order_by("-total", "name_en")
        )
        facets = {kind: [] for kind, _ in EntityKind.choices}
        for entity in rows:
            options = facets[entity.kind]
            if len(options) < per_kind or entity.pk in chosen:
                options.append((entity, entity.n, entity.pk in chosen))
        return facets


class Entity(NamedInBothLanguages, CleanStoredText, models.Model):
    """A person, place or organisation of the gazetteer, with every spelling outlets use."""

    slug = models.SlugField(unique=True, max_length=120)
    kind = models.CharField(max_length=12, choices=EntityKind.choices)
    name_en = models.CharField(_("الاسم بالإنجليزية"), max_length=200)
    name_ar = models.CharField(_("الاسم بالعربية"), max_length=200)
    aliases = ArrayField(
        models.CharField(max_length=200), blank=True, default=list, help_text=_("كل طرق الكتابة والأسماء التاريخية")
    )
    country = models.CharField(max_length=40, blank=True)
    is_country = models.BooleanField(default=False, help_text=_("دولة (لا تحسب في تقييم الكيانات)"))
    roles = models.JSONField(default=list, blank=True)
    historic = models.JSONField(default=list, blank=True)

    objects = EntityQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "name_en"]
        verbose_name = _("كيان")
        verbose_name_plural = _("الأشخاص والأماكن والمنظمات")
        indexes = [models.Index(fields=["kind", "name_en"], name="entity_kind_name")]  # admin list and facets

    def __str__(self):
        return f"{self.name_en} / {self.name_ar}"


SEARCH_VECTOR = SearchVector("search_document", config="simple")


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

    def about(self, topic_slugs):
        """Events with any of the given topics."""
        if not topic_slugs:
            return self
        return self.filter(
            pk__in=Event.topics.through.objects.filter(topic__slug__in=topic_slugs).values("event_id")
        )

    def involving(self, entity_slugs):
        """Events that mention all of the given entities."""
        qs = self
        for slug in entity_slugs:
            qs = qs.filter(pk__in=Event.entities.through.objects.filter(entity__slug=slug).values("event_id"))
        return qs

    def matching(self, tsquery):
        """Events whose search document matches a to_tsquery('simple') string (see extract/search.py)."""
        if not tsquery:
            return self
        return self.annotate(search=SEARCH_VECTOR).filter(search=SearchQuery(tsquery, search_type="raw", config="simple"))

    def from_outlets(self, outlet_ids):
        """Events with an article from any of these outlets."""
        if not outlet_ids:
            return self
        return self.filter(pk__in=Article.objects.filter(outlet_id__in=outlet_ids).values("event_id"))

    def chronological(self):
        return self.order_by("date_start", "date_end", "pk")

    def for_listing(self):
        return self.prefetch_related(
            "topics",
            "entities",
            Prefetch("articles", queryset=Article.objects.select_related("outlet").order_by("pk")),
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

    def topic_counts(self):
        """{topic slug: number of these events with that topic}, in one query."""
        rows = Topic.objects.annotate(n=Count("events", filter=Q(events__in=self.values("pk")))).values_list(
            "slug", "n"
        )
        return dict(rows)


class Event(DatedFields):
    slug = models.SlugField(unique=True, max_length=120)
    title = models.CharField(_("العنوان"), max_length=500)
    lead = models.TextField(_("الفقرة الأولى"), blank=True)
    topics = models.ManyToManyField(Topic, related_name="events", blank=True, editable=False)
    entities = models.ManyToManyField(Entity, related_name="events", blank=True, editable=False)
    # Stems of every article's title and text and the names of its outlets, topics and entities.
    search_document = models.TextField(blank=True, editable=False)
    # An editor who fixes the date by hand keeps it: ingest stops recomputing it.
    date_locked = models.BooleanField(
        _("تاريخ ثابت"), default=False, help_text=_("يحفظ التاريخ الذي أدخله المحرر فلا يعاد حسابه من المقالات")
    )
    # From the articles (the most common type among them, the primary article's on a tie) unless an editor set it.
    event_type = models.CharField(
        _("نوع الحدث"), max_length=24, choices=EventType.choices, default=EventType.OTHER, db_index=True
    )
    event_type_locked = models.BooleanField(
        _("نوع ثابت"), default=False, help_text=_("يحفظ النوع الذي اختاره المحرر فلا يعاد حسابه من المقالات")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["date_start", "date_end", "pk"]
        verbose_name = _("حدث")
        verbose_name_plural = _("الأحداث")
        indexes = [
            # the timeline: ordered by date, filtered by year range
            models.Index(fields=["date_start", "date_end"], name="event_dates"),
            # ingest: candidate events overlapping an article's dates
            models.Index(fields=["date_end"], name="event_date_end"),
            # admin review queue
            models.Index(fields=["needs_review"], name="event_needs_review", condition=Q(needs_review=True)),
            # the timeline's free-text search (?q=)
            GinIndex(SEARCH_VECTOR, name="event_search"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("timeline:event", kwargs={"slug": self.slug})


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


class Article(DatedFields):
    event = models.ForeignKey(Event, on_delete=models.SET_NULL, null=True, blank=True, related_name="articles")
    title = models.CharField(_("العنوان"), max_length=500, blank=True)
    title_generated = models.BooleanField(default=False, editable=False)
    raw_text = models.TextField(_("النص كما ورد"))
    body = models.TextField(_("النص بعد التنظيف"), editable=False)
    lead = models.TextField(editable=False, blank=True)
    outlet = models.ForeignKey(Outlet, on_delete=models.PROTECT, null=True, blank=True, related_name="articles")
    url = models.URLField(_("الرابط"), max_length=1000, blank=True)
    published_on = models.DateField(_("تاريخ النشر"), null=True, blank=True)
    published_evidence = models.CharField(max_length=300, blank=True, editable=False)
    editor = models.CharField(_("المحرر"), max_length=200, blank=True, editable=False)
    language = models.CharField(max_length=8, default="ar", editable=False)
    source_name = models.CharField(_("اسم الملف المصدر"), max_length=300, blank=True, editable=False)
    content_hash = models.CharField(max_length=64, unique=True, editable=False)
    # What the event matcher compares: meeting, happening kinds, actors.
    signature = models.JSONField(default=dict, blank=True, editable=False)
    # What the extractor found the article reports (extract/event_types.py), and from which words.
    event_type = models.CharField(
        _("نوع الحدث"), max_length=24, choices=EventType.choices, default=EventType.OTHER, editable=False
    )
    event_type_evidence = models.CharField(_("دليل النوع"), max_length=300, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # Why it waits in the review queue (ReviewReason codes), and the dates its text allows, ranked.
    review_reasons = ArrayField(
        models.CharField(max_length=32, choices=ReviewReason.choices), blank=True, default=list, editable=False
    )
    date_candidates = models.JSONField(default=list, blank=True, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("مقالة")
        verbose_name_plural = _("المقالات")
        indexes = [
            # event page and listing prefetch: articles of an event
            models.Index(fields=["event", "id"], name="article_event"),
            models.Index(fields=["needs_review"], name="article_needs_review", condition=Q(needs_review=True)),
            # the review queue's reason filter; the duplicate check at ingest
            GinIndex(fields=["review_reasons"], name="article_review_reasons"),
            models.Index(fields=["title"], name="article_title"),
        ]

    def __str__(self):
        return self.title or self.source_name or f"#{self.pk}"

    @property
    def review_reason_labels(self):
        return [ReviewReason(code).label for code in self.review_reasons if code in ReviewReason.values]


class ArticleTopic(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="topic_matches")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="article_matches")
    evidence = ArrayField(models.CharField(max_length=200), default=list)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["article", "topic"], name="unique_article_topic")]
        ordering = ["topic__position"]

    def __str__(self):
        return f"{self.topic.slug}: {', '.join(self.evidence)}"


class ArticleEntity(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="entity_matches")
    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="article_matches")
    mentions = models.JSONField(default=list)  # [[start, end], …] offsets in the article's cleaned text

    class Meta:
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
        Entity, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="proposals"
    )
    articles = models.ManyToManyField(Article, related_name="proposals", blank=True, editable=False)
    created = models.DateTimeField(auto_now_add=True)

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
