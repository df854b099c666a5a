from django import forms
from django.contrib import admin, messages
from django.db import models, transaction
from django.db.models import Count, Q
from django.template.response import TemplateResponse
from django.urls import reverse, reverse_lazy
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from timeline import history, ingest
from timeline.extract import ExtractionError, extract_article
from timeline.extract.clean import looks_like_text
from timeline.forms import parse_year
from timeline.models import (
    REVIEW_CONFIDENCE,
    Anchor,
    Article,
    ArticleLock,
    ArticleTopic,
    DateMethod,
    Entity,
    Event,
    MeetingSeries,
    Outlet,
    Precision,
    ProposalStatus,
    ProposedEntity,
    ReferenceMeeting,
    ReextractJob,
    Topic,
    TopicKeyword,
)
from timeline.reference import current_knowledge

# The admin names the site, in the editor's language (not "Django administration").
admin.site.site_header = _("China–Kazakhstan relations: a timeline")
admin.site.site_title = _("Timeline editors")
admin.site.index_title = _("Editing the timeline")
admin.site.site_url = reverse_lazy("timeline:index")  # "View site" in the admin's language (/ or /en/)


class ReasonForm(forms.ModelForm):
    """A change form with a short reason, kept in the history with the change (and shown with a date
    correction on the public page, without the editor's name)."""

    change_reason = forms.CharField(
        required=False, max_length=300, label=_("Reason for this change"),
        help_text=_("Optional. Kept in the history; a date correction shows it on the public page."),
    )


class HistoryMixin:
    """Read-only "machine's claim" and "history" fields for a change page."""

    @admin.display(description=_("the machine's date claim"))
    def machine_claim(self, obj):
        claim = obj.machine_date
        if not claim:
            return "—"
        return format_html('{}<br><span dir="auto">{}</span>', _claim_text(claim), claim.get("evidence", ""))

    @admin.display(description=_("history"))
    def change_history(self, obj):
        if not obj.pk:
            return "—"
        rows = []
        labels = {str(f.verbose_name): f for f in obj._meta.concrete_fields}  # history names fields by their labels
        for change in history.changes(obj):
            values = format_html_join(
                "", '<li><strong>{}</strong>: <span dir="auto">{}</span> → <span dir="auto">{}</span></li>',
                ((name, _shown(old, labels.get(name)), _shown(new, labels.get(name))) for name, old, new in change.fields),
            )
            rows.append(format_html(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td><ul class=\"history-fields\">{}</ul></td></tr>",
                change.when.strftime("%Y-%m-%d %H:%M"), LABELS.get(change.label, change.label), change.by,
                change.reason or "—", values,
            ))
        if not rows:
            return "—"
        head = format_html(
            "<tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
            _("when"), _("what"), _("by"), _("why"), _("field: old → new"),
        )
        return format_html('<table class="change-history">{}{}</table>', head, format_html_join("", "{}", ((r,) for r in rows)))

    def save_with_reason(self, request, form, save, correction=False):
        reason = (form.cleaned_data.get("change_reason") or "").strip()
        with history.record_reason(reason, correction):
            save()


LABELS = {"insert": _("created"), "update": _("changed"), "delete": _("deleted")}


def _claim_text(claim):
    """A stored date claim (DatedFields.machine_date) in one line, in the admin's language:
    2024-07-01 – 2024-07-31 (month, reference calendar of meetings, 75%)."""
    confidence = f"{claim.get('confidence') or 0:.0%}"
    precision, method = _choice_label(Precision, claim.get("precision")), _choice_label(DateMethod, claim.get("method"))
    return f"{claim.get('start')} – {claim.get('end')} ({precision}, {method}, {confidence})"


def _choice_label(choices, value):
    return choices(value).label if value in choices.values else value


def _shown(value, field=None):
    """A value of the history as the editor knows it: a choice by its label, yes or no, the text cut to a line."""
    if value in (None, ""):
        return "∅"
    if isinstance(value, dict) and "start" in value:
        return _claim_text(value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if field is not None and field.choices and isinstance(value, str):
        return dict(field.flatchoices).get(value, value)
    text = str(value)
    return text if len(text) <= 160 else text[:160] + "…"


def mark_editor_date(obj, form, request):
    """When an editor changed the date fields, record the date as theirs. Returns whether they did."""
    if not {"date_start", "date_end", "precision"} & set(form.changed_data):
        return False
    obj.date_method = DateMethod.EDITOR
    obj.date_confidence = 1.0
    # Public ("how we know this date"): no editor's name; the history keeps who it was.
    obj.date_evidence = _("set by an editor in the admin")
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
class EventAdmin(HistoryMixin, admin.ModelAdmin):
    form = ReasonForm
    actions = ["merge_events", "split_event"]

    list_display = [
        "title", "date_start", "date_end", "precision", "date_method", "confidence", "type_shown", review_state, "n_articles",
    ]
    list_filter = [YearFilter, "event_type", "topics", NeedsReviewFilter, "precision", "date_method"]
    search_fields = ["title", "lead", "articles__title", "headline_en", "headline_ar", "composed_headline_en"]
    readonly_fields = [
        "slug", "date_evidence", "topic_list", "public_link", "composed_headline_en", "composed_headline_ar",
        "created_at", "updated_at", "machine_claim", "change_history", "other_addresses",
    ]
    fields = [
        "title", "slug", "public_link", "other_addresses",
        # What the pages show: an editor's headline or summary wins; the composed ones are refreshed on ingest.
        "composed_headline_en", "headline_en", "composed_headline_ar", "headline_ar", "summary_en", "summary_ar",
        "date_start", "date_end", "precision", "date_method", "date_evidence",
        "date_confidence", "machine_claim", "date_locked", "event_type", "event_type_locked", "needs_review",
        "change_reason", "topic_list", "lead", "created_at", "updated_at", "change_history",
    ]
    inlines = [ArticleInline]
    list_per_page = 50

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

    @admin.display(description=_("earlier addresses (redirect here)"))
    def other_addresses(self, event):
        slugs = [s.slug for s in event.slugs.all() if s.slug != event.slug] if event.pk else []
        return ", ".join(slugs) or "—"

    def save_model(self, request, obj, form, change):
        corrected = change and mark_editor_date(obj, form, request)
        if corrected:
            obj.date_locked = True  # kept: no longer recomputed from the articles
        if "event_type" in form.changed_data:
            obj.event_type_locked = True  # the editor's type: ingest never overwrites it

        def save():
            super(EventAdmin, self).save_model(request, obj, form, change)
            if change and "event_type_locked" in form.changed_data and not obj.event_type_locked:
                ingest.refresh_event(obj)  # unlocked: the type comes from the articles again, now

        self.save_with_reason(request, form, save, corrected)

    @admin.action(description=_("Merge the selected events into one"))
    def merge_events(self, request, queryset):
        events = list(Event.objects.filter(pk__in=queryset.values("pk")).annotate(n=Count("articles")).order_by("created_at", "pk"))
        if len(events) < 2:
            self.message_user(request, _("Choose two or more events to merge."), messages.WARNING)
            return None
        if request.POST.get("confirm"):
            chosen = request.POST.get("survivor", "")
            survivor = next((e for e in events if str(e.pk) == chosen), events[0])
            with history.record_reason((request.POST.get("reason") or "").strip()[:300]):
                ingest.merge_events(survivor, [e for e in events if e.pk != survivor.pk])
            self.message_user(
                request,
                _("Merged %(count)d events into “%(event)s”; their addresses now lead to it.")
                % {"count": len(events), "event": survivor.title},
                messages.SUCCESS,
            )
            return None
        return TemplateResponse(request, "admin/timeline/event/merge.html", {
            **self.admin_site.each_context(request), "title": _("Merge events"), "opts": self.model._meta,
            "events": events, "survivor": events[0],
        })

    @admin.action(description=_("Split the selected event: move some of its articles to a new event"))
    def split_event(self, request, queryset):
        events = list(Event.objects.filter(pk__in=queryset.values("pk"))[:2])
        if len(events) != 1:
            self.message_user(request, _("Choose exactly one event to split."), messages.WARNING)
            return None
        event = events[0]
        articles = list(event.articles.select_related("outlet").order_by("pk"))
        error = ""
        if len(articles) < 2:
            self.message_user(request, _("An event with a single article cannot be split."), messages.WARNING)
            return None
        if request.POST.get("confirm"):
            moving = [a for a in articles if str(a.pk) in request.POST.getlist("articles")]
            if moving and len(moving) < len(articles):
                with history.record_reason((request.POST.get("reason") or "").strip()[:300]):
                    new = ingest.split_event(event, moving)
                self.message_user(
                    request,
                    _("Moved %(count)d article(s) to the new event “%(event)s”; both addresses keep working.")
                    % {"count": len(moving), "event": new.title},
                    messages.SUCCESS,
                )
                return None
            error = _("Tick at least one article to move, and leave at least one on this event.")
        return TemplateResponse(request, "admin/timeline/event/split.html", {
            **self.admin_site.each_context(request), "title": _("Split an event"), "opts": self.model._meta,
            "event": event, "articles": articles, "error": error,
        })


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


# --- re-extraction (issue 11): locks on what an editor set, the action, re-dating, the job's page ---------


class ArticleChangeForm(ReasonForm):
    """An article's change form: the fields an editor set are locked against re-extraction, shown as ticks."""

    locked_fields = forms.MultipleChoiceField(
        choices=ArticleLock.choices, required=False, widget=forms.CheckboxSelectMultiple, label=_("Locked fields"),
        help_text=_("Kept as an editor set them when the article is re-extracted. Changing a field locks it; "
                    "untick to let re-extraction set it again."),
    )


#: Form fields whose change by an editor locks them (ArticleLock codes).
LOCKED_BY_CHANGE = {"title": ArticleLock.TITLE, "outlet": ArticleLock.OUTLET, "published_on": ArticleLock.PUBLISHED}


def editor_locks(obj, form, date_changed):
    """The article's locks after this save: those the editor ticked, plus every field they changed now."""
    locks = set(form.cleaned_data.get("locked_fields") or [])
    locks |= {code for name, code in LOCKED_BY_CHANGE.items() if name in form.changed_data}
    if date_changed:
        locks.add(ArticleLock.DATE)
    return [code for code in ArticleLock.values if code in locks]


def redate(request, admin_view, article):
    """After a new publication date or address: re-extract the article (its date is read again), say what changed."""
    from timeline import reextract

    if article.is_locked(ArticleLock.DATE):
        admin_view.message_user(request, _("The date stays as an editor set it (locked): %(date)s.")
                                % {"date": reextract.date_text(article)}, messages.INFO)
        return
    line = reextract.reextract_article(article)
    if "redated" in line.kinds:
        message = _("Re-dated from the new publication date or address: %(old)s → %(new)s.")
    else:
        message = _("Date read again from the new publication date or address: unchanged (%(new)s).")
    text = message % {"old": line.old_date, "new": line.new_date}
    if "regrouped" in line.kinds:
        text += " " + _("Moved from event %(old)s to %(new)s.") % {"old": line.old_event, "new": line.new_event}
    admin_view.message_user(request, text, messages.SUCCESS)


@admin.register(ReextractJob)
class ReextractJobAdmin(admin.ModelAdmin):
    """Background re-extractions: how far each got (the page reloads itself while one runs)."""

    list_display = ["__str__", "status", "progress", "failed", "requested_by", "created_at", "finished_at"]
    list_filter = ["status"]
    fields = ["status", "progress", "failed", "counts_shown", "lines_shown", "error", "requested_by", "created_at",
              "finished_at", "waiting_note"]
    readonly_fields = fields

    class Media:
        js = ["timeline/job-progress.js"]
        css = {"all": ["timeline/admin.css"]}

    def has_add_permission(self, request):
        return False  # jobs come from the re-extract action and `manage.py reextract --background`

    def get_urls(self):
        from django.urls import path

        every = self.admin_site.admin_view(self.reextract_all)
        return [path("reextract-all/", every, name="timeline_reextract_all"), *super().get_urls()]

    def reextract_all(self, request):
        """Queue a re-extraction of every article (after the gazetteer or the calendar changed); POST only."""
        from django.http import HttpResponseNotAllowed, HttpResponseRedirect

        from timeline import jobs

        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not request.user.has_perm("timeline.change_article"):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        job = jobs.enqueue_reextract(None, requested_by=request.user.get_username())
        self.message_user(request, _("Every article (%(count)d) queued for re-extraction.") % {"count": job.total},
                          messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:timeline_reextractjob_change", args=[job.pk]))

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("progress"))
    def progress(self, job):
        running = job.status in ("queued", "running")
        return format_html('<progress max="{}" value="{}" class="job-progress"{}></progress> {} / {}',
                           max(job.total, 1), job.done, " data-running" if running else "", job.done, job.total)

    @admin.display(description=_("counts"))
    def counts_shown(self, job):
        return ", ".join(f"{kind}: {n}" for kind, n in sorted(job.counts.items())) or "—"

    @admin.display(description=_("changed or failed articles"))
    def lines_shown(self, job):
        if not job.lines:
            return "—"
        return format_html('<ul class="job-lines">{}</ul>', format_html_join(
            "", '<li class="job-{}"><a href="{}" dir="auto">{}</a></li>',
            ((line["status"], reverse("admin:timeline_article_change", args=[line["article"]]), line["text"])
             for line in job.lines),
        ))

    @admin.display(description=_("worker"))
    def waiting_note(self, job):
        if job.status != "queued":
            return "—"
        return _("Waiting for a worker: run “python manage.py db_worker” on the server.")


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


class LanguageFilter(admin.SimpleListFilter):
    """The languages the articles are written in, by name (the stored value is a code such as "ar")."""

    title = _("اللغة")
    parameter_name = "language__exact"  # the address Django's own filter gave it

    def lookups(self, request, model_admin):
        codes = Article.objects.order_by("language").values_list("language", flat=True).distinct()
        return [(code, LANGUAGE_NAMES.get(code, code)) for code in codes]

    def queryset(self, request, queryset):
        return queryset.filter(language=self.value()) if self.value() else queryset


@admin.register(Article)
class ArticleAdmin(HistoryMixin, admin.ModelAdmin):
    form = ArticleChangeForm
    actions = ["reextract_articles"]
    formfield_overrides = URL_FIELDS
    list_display = [
        "__str__", "outlet", "date_start", "precision", "date_method", "confidence", "event_type", review_state,
        "event_link", "not_arabic",
    ]
    # Only the outlets that have articles (the reference list names many more)
    list_filter = [
        NeedsReviewFilter, "event_type", "date_method", "precision", ("outlet", admin.RelatedOnlyFieldListFilter),
        LanguageFilter,
    ]
    search_fields = ["title", "body"]
    list_select_related = ["outlet", "event"]
    inlines = [ArticleTopicInline]
    readonly_fields = [
        "event_link", "title_generated", "body_preview", "date_method", "date_evidence", "date_confidence",
        "published_evidence", "editor", "source_name", "content_hash", "created_at", "language_name", "event_type",
        "event_type_evidence", "machine_claim", "change_history",
    ]
    fieldsets = [
        (None, {"fields": [
            "title", "event_link", "event_locked", "event_type", "event_type_evidence", "outlet", "url", "published_on",
            "editor", "source_name", "language_name", "locked_fields",
        ]}),
        (_("Date"), {"fields": [
            "date_start", "date_end", "precision", "date_method", "date_evidence", "date_confidence", "machine_claim",
            "needs_review", "change_reason",
        ]}),
        (_("Text"), {"fields": ["body_preview", "title_generated", "published_evidence", "content_hash", "created_at"]}),
        (_("History"), {"fields": ["change_history"]}),
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

    @admin.display(description=_("event"), ordering="event__title")
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
            if form.cleaned_data.get("outlet"):
                obj.locked_fields = [ArticleLock.OUTLET]  # the editor chose it: re-extraction keeps it
            obj.save()
            ingest.set_topics(obj, form.extraction.topics)
            ingest.set_entities(obj, form.extraction.entities)
            ingest.set_proposals(obj, form.extraction.proposals)
            ingest.set_review_reasons(obj)
            ingest.attach_to_event(obj)
            self._report(request, obj, form.extraction)
            return
        date_changed = mark_editor_date(obj, form, request)
        obj.locked_fields = editor_locks(obj, form, date_changed)
        new_source = not date_changed and {"published_on", "url"} & set(form.changed_data)

        def save():
            super(ArticleAdmin, self).save_model(request, obj, form, change)
            if new_source:
                redate(request, self, obj)
                obj.refresh_from_db()
            elif date_changed:
                ingest.attach_to_event(obj)
            elif obj.event_id:
                ingest.refresh_event(obj.event)

        self.save_with_reason(request, form, save, date_changed)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if change and any(formset.has_changed() for formset in formsets):
            # the editor's topics: re-extraction keeps them
            article = form.instance
            if ArticleLock.TOPICS not in article.locked_fields:
                article.locked_fields = [*article.locked_fields, ArticleLock.TOPICS]
                article.save(update_fields=["locked_fields"])
        if change and form.instance.event_id:
            # The topic inline is saved after save_model: the event takes the edited topics now.
            ingest.refresh_event(Event.objects.get(pk=form.instance.event_id))

    @admin.action(description=_("Re-extract with today's reference data (keeps what editors set)"))
    def reextract_articles(self, request, queryset):
        from timeline import jobs, reextract

        ids = list(queryset.order_by("pk").values_list("pk", flat=True))
        if len(ids) > jobs.INLINE_LIMIT:
            job = jobs.enqueue_reextract(ids, requested_by=request.user.get_username())
            self.message_user(request, format_html(
                _('{} articles queued for re-extraction in the background: <a href="{}">follow its progress</a>.'),
                len(ids), reverse("admin:timeline_reextractjob_change", args=[job.pk]),
            ), messages.SUCCESS)
            return
        report = reextract.run(ids)
        self.message_user(request, _("Re-extracted: %(summary)s") % {"summary": report.summary()},
                          messages.WARNING if report.counts.get("failed") else messages.SUCCESS)
        for line in report.lines:
            if line.status != "unchanged":
                self.message_user(request, line.text(), messages.ERROR if line.message else messages.INFO)

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
    # Who visits whom, for a visit series (checked by MeetingSeries.clean): the date finder reads it, not the names.
    list_display = ["name_en", "name_ar", "slug", "multilateral", "visitor_country", "visitor_office", "host_country"]
    list_filter = ["multilateral"]
    inlines = [ReferenceMeetingInline]


@admin.register(ReferenceMeeting)
class ReferenceMeetingAdmin(admin.ModelAdmin):
    list_display = ["series", "ordinal", "start", "end", "session_day", "city_en", "city_ar"]
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
