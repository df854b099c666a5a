from django import forms
from django.contrib import admin, messages
from django.db import models, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from timeline import ingest
from timeline.extract import ExtractionError, extract_article
from timeline.extract.clean import looks_like_text
from timeline.forms import parse_year
from timeline.models import (
    REVIEW_CONFIDENCE,
    Anchor,
    Article,
    ArticleTopic,
    DateMethod,
    Entity,
    Event,
    MeetingSeries,
    Outlet,
    ProposalStatus,
    ProposedEntity,
    ReferenceMeeting,
    Topic,
    TopicKeyword,
)
from timeline.reference import current_knowledge


def mark_editor_date(obj, form, request):
    """When an editor changed the date fields, record the date as theirs. Returns whether they did."""
    if not {"date_start", "date_end", "precision"} & set(form.changed_data):
        return False
    obj.date_method = DateMethod.EDITOR
    obj.date_confidence = 1.0
    obj.date_evidence = _("set by %(user)s in the admin") % {"user": request.user.get_username()}
    if obj.date_start and not obj.date_end:
        obj.date_end = obj.date_start
    if "needs_review" not in form.changed_data:
        obj.needs_review = False
    return True


class YearFilter(admin.SimpleListFilter):
    title = _("year")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        return [(str(year), f"{year} ({count})") for year, count in Event.objects.dated().year_counts()]

    def queryset(self, request, queryset):
        year = parse_year(self.value())
        return queryset.between(year, year) if year else queryset


class NeedsReviewFilter(admin.SimpleListFilter):
    title = _("needs review")
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("yes", _("needs review (undated or low confidence)")), ("no", _("reviewed or confident"))]

    def queryset(self, request, queryset):
        flagged = Q(needs_review=True) | Q(date_start__isnull=True) | Q(date_confidence__lt=REVIEW_CONFIDENCE)
        if self.value() == "yes":
            return queryset.filter(flagged)
        if self.value() == "no":
            return queryset.exclude(flagged)
        return queryset


@admin.display(description=_("بحاجة إلى مراجعة"), ordering="needs_review")
def review_state(obj):
    """"⚠ needs review" for a problem, a dash otherwise (a green tick would read as "all good")."""
    if obj.needs_review:
        return format_html('<span class="needs-review">⚠ {}</span>', _("بحاجة إلى مراجعة"))
    return "—"


class ArticleInline(admin.TabularInline):
    model = Article
    fields = ["article_link", "outlet", "event_type", "date_start", "date_end", "precision", "date_method", "date_confidence"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("outlet")

    @admin.display(description=_("article"))
    def article_link(self, article):
        return format_html('<a href="{}">{}</a>', reverse("admin:timeline_article_change", args=[article.pk]), article)

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = [
        "title", "date_start", "date_end", "precision", "date_method", "confidence", "type_shown", review_state, "n_articles",
    ]
    list_filter = [YearFilter, "event_type", "topics", NeedsReviewFilter, "precision", "date_method"]
    search_fields = ["title", "lead", "articles__title"]
    readonly_fields = ["slug", "date_evidence", "topic_list", "public_link", "created_at", "updated_at"]
    fields = [
        "title", "slug", "public_link", "date_start", "date_end", "precision", "date_method", "date_evidence",
        "date_confidence", "date_locked", "event_type", "event_type_locked", "needs_review", "topic_list", "lead",
        "created_at", "updated_at",
    ]
    inlines = [ArticleInline]
    list_per_page = 50

    class Media:
        css = {"all": ["timeline/admin.css"]}  # the "⚠ needs review" label

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(article_count=Count("articles")).prefetch_related("topics")

    @admin.display(description=_("articles"), ordering="article_count")
    def n_articles(self, event):
        return event.article_count

    @admin.display(description=_("confidence"), ordering="date_confidence")
    def confidence(self, event):
        return f"{event.date_confidence:.0%}"

    @admin.display(description=_("نوع الحدث"), ordering="event_type")
    def type_shown(self, event):
        """The type, and whether an editor fixed it (then ingest never recomputes it)."""
        if event.event_type_locked:
            return format_html('{} <strong class="locked">({})</strong>', event.get_event_type_display(), _("ثابت"))
        return event.get_event_type_display()

    @admin.display(description=_("topics"))
    def topic_list(self, event):
        return ", ".join(t.slug for t in event.topics.all()) or "—"

    @admin.display(description=_("public page"))
    def public_link(self, event):
        return format_html('<a href="{0}">{0}</a>', event.get_absolute_url()) if event.pk else "—"

    def save_model(self, request, obj, form, change):
        if change and mark_editor_date(obj, form, request):
            obj.date_locked = True  # kept: no longer recomputed from the articles
        if "event_type" in form.changed_data:
            obj.event_type_locked = True  # the editor's type: ingest never overwrites it
        super().save_model(request, obj, form, change)
        if change and "event_type_locked" in form.changed_data and not obj.event_type_locked:
            ingest.refresh_event(obj)  # unlocked: the type comes from the articles again, now


class ArticleFileField(forms.FileField):
    """A file field that names a file the upload handler refused for its size."""

    def to_python(self, data):
        if getattr(data, "refused", False):
            raise forms.ValidationError(
                _("الملف «%(name)s» أكبر من %(limit)s كيلوبايت، وهذا ليس حجم مقالة إخبارية: لم يقرأ.")
                % {"name": data.name, "limit": data.limit // 1000}
            )
        return super().to_python(data)


class ArticleAddForm(forms.ModelForm):
    """Paste an article (or upload a .txt file); everything else is found in the text."""

    text_file = ArticleFileField(required=False, label=_("or upload a text file"))

    url = forms.URLField(required=False, assume_scheme="https", max_length=1000, label=_("URL"))

    class Meta:
        model = Article
        fields = ["raw_text", "outlet", "url", "published_on"]
        labels = {"raw_text": _("Article text"), "published_on": _("Publication date (optional)")}
        help_texts = {
            "raw_text": _("Paste the whole article: headline, dateline and body. HTML tags are removed."),
            "outlet": _("Optional: found in the text when left empty."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["raw_text"].required = False
        self.extraction = None

    def clean(self):
        data = super().clean()
        if self.has_error("text_file"):
            return data  # the file's own message says it all
        upload = data.get("text_file")
        text = data.get("raw_text") or ""
        if upload:
            try:
                text = ingest.decode_article_bytes(upload.read(), upload.name)
            except ExtractionError as exc:
                raise forms.ValidationError(str(exc)) from exc
        if not text.strip() or not looks_like_text(text):
            raise forms.ValidationError(_("Paste the article's text or upload a .txt file: there is no text to read."))
        if len(text.encode("utf-8")) > ingest.MAX_ARTICLE_BYTES:
            raise forms.ValidationError(_("This text is over 1 MB: that is not the size of one news article."))
        try:
            # The address gives the publication date and the outlet when the editor leaves them empty;
            # an editor's own values win (the outlet is applied in save_model).
            self.extraction = extract_article(
                text, current_knowledge(), published=data.get("published_on"), url=data.get("url") or None
            )
        except ExtractionError as exc:
            raise forms.ValidationError(str(exc)) from exc
        # Held until the admin's transaction ends: a second editor pasting the same text waits here
        # and then sees the first one's article, instead of failing on the unique hash at save.
        ingest.hold_article_lock(self.extraction.content_hash)
        duplicate = Article.objects.filter(content_hash=self.extraction.content_hash).first()
        if duplicate:
            raise forms.ValidationError(
                format_html(
                    _('This article is already in the timeline: <a href="{}">{}</a>. Nothing was added.'),
                    reverse("admin:timeline_article_change", args=[duplicate.pk]),
                    duplicate,
                )
            )
        data["raw_text"] = text
        return data


class ArticleTopicInline(admin.TabularInline):
    model = ArticleTopic
    fields = ["topic", "evidence"]
    extra = 0


URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}


#: Article.language codes (timeline.extract.language) as the admin names them.
LANGUAGE_NAMES = {
    "ar": _("العربية"), "en": _("الإنجليزية"), "fr": _("الفرنسية"), "ru": _("الروسية"), "kk": _("الكازاخية"),
    "zh": _("الصينية"), "und": _("لغة غير معروفة"),
}
NOT_ARABIC = _("هذه المقالة ليست بالعربية (%(language)s): التاريخ والمواضيع والأسماء تستخرج من النص العربي وحده، فراجعها بنفسك.")


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    formfield_overrides = URL_FIELDS
    list_display = [
        "__str__", "outlet", "date_start", "precision", "date_method", "confidence", "event_type", review_state, "event",
        "not_arabic",
    ]
    list_filter = [NeedsReviewFilter, "event_type", "date_method", "precision", "outlet", "language"]
    search_fields = ["title", "body"]
    list_select_related = ["outlet", "event"]
    inlines = [ArticleTopicInline]

    class Media:
        css = {"all": ["timeline/admin.css"]}  # a stylesheet, not style attributes: the CSP allows no inline style
    readonly_fields = [
        "event_link", "title_generated", "body_preview", "date_method", "date_evidence", "date_confidence",
        "published_evidence", "editor", "source_name", "content_hash", "created_at", "language_name", "event_type",
        "event_type_evidence",
    ]
    fieldsets = [
        (None, {"fields": [
            "title", "event_link", "event_type", "event_type_evidence", "outlet", "url", "published_on", "editor",
            "source_name", "language_name",
        ]}),
        (_("Date"), {"fields": ["date_start", "date_end", "precision", "date_method", "date_evidence", "date_confidence", "needs_review"]}),
        (_("Text"), {"fields": ["body_preview", "title_generated", "published_evidence", "content_hash", "created_at"]}),
    ]

    @admin.display(description=_("اللغة"))
    def language_name(self, article):
        name = LANGUAGE_NAMES.get(article.language, article.language)
        if article.language == "ar":
            return name
        return format_html('<strong class="errornote">{}</strong>', _("ليست بالعربية: %(language)s") % {"language": name})

    @admin.display(description=_("ليست بالعربية"), ordering="language")
    def not_arabic(self, article):
        return "" if article.language == "ar" else LANGUAGE_NAMES.get(article.language, article.language)

    @admin.display(description=_("confidence"), ordering="date_confidence")
    def confidence(self, article):
        return f"{article.date_confidence:.0%}"

    @admin.display(description=_("event"))
    def event_link(self, article):
        if not article.event_id:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("admin:timeline_event_change", args=[article.event_id]), article.event)

    @admin.display(description=_("cleaned text"))
    def body_preview(self, article):
        return format_html('<div dir="rtl" class="cleaned-text">{}</div>', article.body)

    def get_urls(self):
        from django.urls import path

        from timeline.add_from_url import add_from_url

        from timeline.review_queue import review_queue

        view = self.admin_site.admin_view(lambda request: add_from_url(request, self))
        queue = self.admin_site.admin_view(lambda request: review_queue(request, self))
        return [
            path("add-from-url/", view, name="timeline_article_add_from_url"),
            path("review/", queue, name="timeline_review_queue"),
            *super().get_urls(),
        ]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = ArticleAddForm
        return super().get_form(request, obj, **kwargs)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [(None, {"fields": ["raw_text", "text_file", "outlet", "url", "published_on"]})]
        return super().get_fieldsets(request, obj)

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    def get_inlines(self, request, obj):
        return [] if obj is None else self.inlines

    def save_model(self, request, obj, form, change):
        # Before the article's row is written: see ingest.hold_matching_lock.
        ingest.hold_matching_lock()
        if not change:
            ingest.apply_extraction(obj, form.extraction, outlet=form.cleaned_data.get("outlet"))
            obj.save()
            ingest.set_topics(obj, form.extraction.topics)
            ingest.set_entities(obj, form.extraction.entities)
            ingest.set_proposals(obj, form.extraction.proposals)
            ingest.set_review_reasons(obj)
            ingest.attach_to_event(obj)
            self._report(request, obj, form.extraction)
            return
        date_changed = mark_editor_date(obj, form, request)
        super().save_model(request, obj, form, change)
        if date_changed:
            ingest.attach_to_event(obj)
        elif obj.event_id:
            ingest.refresh_event(obj.event)

    def _report(self, request, article, result):
        if article.date_start:
            message = _("Dated %(start)s–%(end)s (%(precision)s, %(method)s); placed on event “%(event)s”.") % {
                "start": article.date_start, "end": article.date_end, "precision": article.precision,
                "method": article.get_date_method_display(), "event": article.event,
            }
        else:
            message = _("No date found in the text: the article waits in the review queue.")
        level = messages.WARNING if article.needs_review else messages.SUCCESS
        self.message_user(request, message, level)
        if article.language != "ar":
            self.message_user(request, NOT_ARABIC % {"language": LANGUAGE_NAMES.get(article.language, article.language)},
                              messages.WARNING)


@admin.register(Outlet)
class OutletAdmin(admin.ModelAdmin):
    formfield_overrides = URL_FIELDS
    list_display = ["name_ar", "name_en", "slug"]
    search_fields = ["name_ar", "name_en", "aliases"]
    prepopulated_fields = {"slug": ["name_en"]}


class TopicKeywordInline(admin.TabularInline):
    model = TopicKeyword
    fields = ["phrase"]
    extra = 3


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["slug", "name_ar", "name_en"]
    inlines = [TopicKeywordInline]


class ReferenceMeetingInline(admin.TabularInline):
    model = ReferenceMeeting
    extra = 1


@admin.register(MeetingSeries)
class MeetingSeriesAdmin(admin.ModelAdmin):
    list_display = ["name_en", "name_ar", "slug"]
    inlines = [ReferenceMeetingInline]


@admin.register(ReferenceMeeting)
class ReferenceMeetingAdmin(admin.ModelAdmin):
    list_display = ["series", "ordinal", "start", "end", "city_en", "city_ar"]
    list_filter = ["series"]
    list_select_related = ["series"]


@admin.register(Anchor)
class AnchorAdmin(admin.ModelAdmin):
    list_display = ["name_en", "name_ar", "date"]


@admin.register(Entity)
class EntityAdmin(admin.ModelAdmin):
    list_display = ["name_en", "name_ar", "kind", "country"]
    list_filter = ["kind", "country"]
    search_fields = ["name_en", "name_ar", "aliases", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}
    fields = ["name_en", "name_ar", "slug", "kind", "country", "aliases", "roles", "historic"]


@admin.register(ProposedEntity)
class ProposedEntityAdmin(admin.ModelAdmin):
    """Names found after a title that the gazetteer lacks: an editor accepts (one action) or rejects them."""

    list_display = ["name_ar", "name_en", "kind", "country", "evidence", "n_articles", "status", "created"]
    list_editable = ["name_en"]
    list_filter = ["status", "kind"]
    search_fields = ["name_ar", "name_en", "evidence"]
    fields = ["name_ar", "name_en", "kind", "country", "evidence", "status", "entity", "article_links", "created"]
    readonly_fields = ["name_ar", "evidence", "status", "entity", "article_links", "created"]
    actions = ["accept", "reject"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_count=Count("articles"))

    def has_add_permission(self, request):
        return False  # proposals come from articles only

    @admin.display(description=_("المقالات"), ordering="article_count")
    def n_articles(self, proposal):
        return proposal.article_count

    @admin.display(description=_("المقالات"))
    def article_links(self, proposal):
        links = [
            format_html('<a href="{}">{}</a>', reverse("admin:timeline_article_change", args=[a.pk]), a)
            for a in proposal.articles.all()
        ]
        return format_html("<br>".join(["{}"] * len(links)), *links) if links else "—"

    @admin.action(description=_("قبول: إضافة إلى المعجم وإعادة وسم المقالات"))
    def accept(self, request, queryset):
        chosen = list(queryset.values_list("pk", flat=True))  # the listing's queryset is grouped: no FOR UPDATE on it
        with transaction.atomic():
            accepted, articles = ingest.accept_proposals(ProposedEntity.objects.filter(pk__in=chosen).select_for_update())
        self.message_user(
            request,
            _("قبل %(accepted)d وأعيد وسم %(articles)d مقالة") % {"accepted": accepted, "articles": articles},
            messages.SUCCESS,
        )

    @admin.action(description=_("رفض: لا يقترح مرة أخرى"))
    def reject(self, request, queryset):
        rejected = queryset.filter(status=ProposalStatus.PROPOSED).update(status=ProposalStatus.REJECTED)
        self.message_user(request, _("رفض %(rejected)d ولن يقترح مرة أخرى") % {"rejected": rejected}, messages.SUCCESS)
