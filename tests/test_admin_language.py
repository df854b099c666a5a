"""The admin in both languages: every label an editor reads (model names, columns, filters and their choices,
fieldset titles, field labels and help, inlines, actions) is Arabic in the Arabic admin and English in the
English one; the site is named; the outlet filter offers only outlets with articles."""

import re

import pytest
from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets, get_fields_from_path, label_for_field
from django.contrib.auth import get_user_model
from django.test import RequestFactory
from django.utils.functional import lazy
from django.utils import translation

from timeline.models import Article, Event, Outlet

ARABIC_LETTER = re.compile("[\u0621-\u064a]")
# The admin's language is in its address, like the site's: /admin/ is Arabic, /en/admin/ English (a browser asking
# for English gets the Arabic admin at /admin/ all the same).
ARABIC_ADMIN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _editor_request():
    request = RequestFactory().get("/admin/")
    request.user = get_user_model()(username="editor", is_superuser=True, is_staff=True, is_active=True)
    return request


def _choices(where, field):
    for _value, label in getattr(field, "flatchoices", None) or []:
        yield f"{where} choice", label


def _form_labels(model_admin, request, obj, where):
    """Fieldset titles, then each field's label and help text as the change (or add) form shows them."""
    is_inline = hasattr(model_admin, "get_formset")
    form = model_admin.get_formset(request, obj).form if is_inline else model_admin.get_form(request, obj)
    fieldsets = model_admin.get_fieldsets(request, obj)
    for title, options in fieldsets:
        if title:
            yield f"{where} fieldset", title
        for name in flatten_fieldsets([(title, options)]):
            if name in form.base_fields:
                field = form.base_fields[name]
                yield f"{where} field {name}", field.label
                if field.help_text:
                    yield f"{where} help {name}", field.help_text
                yield from _choices(f"{where} field {name}", field)
            else:
                yield f"{where} read-only {name}", label_for_field(name, model_admin.model, model_admin)


def admin_labels(model_admin):
    """(where, label) for everything the admin of one model shows an editor."""
    model, request = model_admin.model, _editor_request()
    name = model.__name__
    yield f"{name} name", model._meta.verbose_name
    yield f"{name} plural name", model._meta.verbose_name_plural
    for column in model_admin.get_list_display(request):
        # (label_for_field names "__str__" by the model, in the language of the moment: the lazy name is what is shown)
        label = model._meta.verbose_name if column == "__str__" else label_for_field(column, model, model_admin)
        yield f"{name} column {column}", label
        if isinstance(column, str) and column in {f.name for f in model._meta.get_fields()}:
            yield from _choices(f"{name} column {column}", model._meta.get_field(column))
    for list_filter in model_admin.get_list_filter(request):
        if isinstance(list_filter, (tuple, list)):
            list_filter = list_filter[0]
        if isinstance(list_filter, str):
            field = get_fields_from_path(model, list_filter)[-1]
            yield f"{name} filter {list_filter}", field.verbose_name
            yield from _choices(f"{name} filter {list_filter}", field)
        else:
            yield f"{name} filter {list_filter.__name__}", list_filter.title
    for obj in (None, model()):  # the add form, then the change form
        where = f"{name} {'change' if obj else 'add'} form"
        if obj is None and not model_admin.has_add_permission(request):
            continue
        yield from _form_labels(model_admin, request, obj, where)
        for inline in model_admin.get_inline_instances(request, obj):
            yield f"{where} inline", inline.opts.verbose_name_plural
            yield from _form_labels(inline, request, obj, f"{where} inline {inline.model.__name__}")
    for action, (_func, _name, description) in model_admin.get_actions(request).items():
        # formatted when shown, in the language of the moment (as the admin's action menu does)
        named = {"verbose_name_plural": model._meta.verbose_name_plural}
        yield f"{name} action {action}", lazy(lambda text=description: str(text) % named, str)()


PROJECT_ADMINS = [model_admin for model, model_admin in admin.site._registry.items() if model._meta.app_label == "timeline"]


def test_every_project_model_is_walked():
    assert {m.model for m in PROJECT_ADMINS} >= {Article, Event, Outlet}
    labels = [where for m in PROJECT_ADMINS for where, _label in admin_labels(m)]
    assert "Article read-only content_hash" not in labels  # (the add form has none of the read-only fields)
    assert "Article change form read-only content_hash" in labels and "Article change form inline" in labels
    assert "Event action merge_events" in labels and "Article filter outlet" in labels


@pytest.mark.parametrize("model_admin", PROJECT_ADMINS, ids=lambda m: m.model.__name__)
def test_every_admin_label_is_arabic_in_the_arabic_admin_and_english_in_the_english_one(model_admin):
    """Fails when a label is added without its translation (either way: the sources mix Arabic and English msgids)."""
    untranslated = []
    for where, label in admin_labels(model_admin):
        with translation.override("ar"):
            arabic = str(label)
        with translation.override("en"):
            english = str(label)
        if not ARABIC_LETTER.search(arabic):
            untranslated.append(("ar", where, arabic))
        if ARABIC_LETTER.search(english):
            untranslated.append(("en", where, english))
    assert untranslated == []


# What the Arabic admin showed in English before (issue 11), and Django's own defaults for a site with no name.
ENGLISH_LABELS = [
    ">Outlet<", "Title generated", "Content hash", "ARTICLE TOPICS", "Article topics", "Published evidence",
    "Created at", "Updated at", ">Slug<", ">Aliases<", ">Domains<", ">Website<", "Django administration",
    "Django site admin", "by outlet", "by language", ">Position<", ">Kind<", ">Country<",
]


@pytest.mark.django_db
def test_the_arabic_admin_pages_show_no_english_label(editor_client, ingested):
    article, event = Article.objects.first(), Event.objects.first()
    pages = ["/admin/", "/admin/timeline/article/review/", "/admin/timeline/article/add-from-url/"]
    for model_admin in PROJECT_ADMINS:
        opts = model_admin.model._meta
        base = f"/admin/{opts.app_label}/{opts.model_name}/"
        pages.append(base)
        if model_admin.has_add_permission(_editor_request()):
            pages.append(base + "add/")
        first = model_admin.model.objects.first()
        if first is not None:
            pages.append(f"{base}{first.pk}/change/")
    assert f"/admin/timeline/article/{article.pk}/change/" in pages and f"/admin/timeline/event/{event.pk}/change/" in pages
    for page in pages:
        response = editor_client.get(page, **ARABIC_ADMIN)
        assert response.status_code == 200, page
        text = response.content.decode()
        assert 'lang="ar" dir="rtl"' in text, page
        assert [label for label in ENGLISH_LABELS if label in text] == [], page
    listing = editor_client.get("/admin/timeline/article/", **ARABIC_ADMIN).content.decode()
    assert "وسيلة الإعلام" in listing
    change = editor_client.get(f"/admin/timeline/article/{article.pk}/change/", **ARABIC_ADMIN).content.decode()
    assert "مواضيع المقالة" in change


@pytest.mark.django_db
def test_the_admin_names_the_site_in_both_languages_and_links_to_the_other(editor_client, ingested):
    arabic = editor_client.get("/admin/", **ARABIC_ADMIN).content.decode()
    english = editor_client.get("/en/admin/").content.decode()
    assert '<div id="site-name"><a href="/admin/">العلاقات الصينية الكازاخستانية: خط زمني</a></div>' in arabic
    assert '<div id="site-name"><a href="/en/admin/">China–Kazakhstan relations: a timeline</a></div>' in english
    assert "<title>تحرير الخط الزمني | محررو الخط الزمني</title>" in arabic
    assert "<title>Editing the timeline | Timeline editors</title>" in english
    assert 'lang="en" dir="ltr"' in english and "Django" not in arabic + english
    assert '<a href="/">عرض الموقع</a>' in arabic and '<a href="/en/">View site</a>' in english
    # each page links to itself in the other language, filters included
    listing = editor_client.get("/admin/timeline/article/?language__exact=ar", **ARABIC_ADMIN).content.decode()
    assert 'href="/en/admin/timeline/article/?language__exact=ar" lang="en"' in listing
    event = Event.objects.first()
    page = editor_client.get(f"/en/admin/timeline/event/{event.pk}/change/")
    assert page.status_code == 200 and "Event type" in page.content.decode()  # the field label, capitalised
    assert f'href="/admin/timeline/event/{event.pk}/change/" lang="ar"' in page.content.decode()


@pytest.mark.django_db
def test_the_outlet_filter_lists_only_outlets_with_articles(editor_client, ingested):
    used = set(Article.objects.exclude(outlet=None).values_list("outlet__name_en", flat=True))
    unused = Outlet.objects.create(slug="never-cited", name_ar="صحيفة لم تنقل عنها مقالة", name_en="Never Cited Daily")
    assert used and unused.name_en not in used
    response = editor_client.get("/admin/timeline/article/", **ARABIC_ADMIN)
    outlet_filter = response.context["cl"].filter_specs
    choices = next(spec for spec in outlet_filter if getattr(spec, "field_path", "") == "outlet")
    offered = {label for _pk, label in choices.lookup_choices}
    assert offered == used
    text = response.content.decode()
    assert "Never Cited Daily" not in text
    # choosing one narrows the list to its articles
    outlet = Outlet.objects.get(name_en=sorted(used)[0])
    narrowed = editor_client.get(f"/admin/timeline/article/?outlet__id__exact={outlet.pk}", **ARABIC_ADMIN)
    assert narrowed.context["cl"].result_count == Article.objects.filter(outlet=outlet).count()


@pytest.mark.django_db
def test_the_language_filter_names_languages(editor_client, ingested):
    from tests.test_language import ENGLISH
    from timeline.ingest import ingest_text

    ingest_text(ENGLISH)
    response = editor_client.get("/admin/timeline/article/", **ARABIC_ADMIN)
    spec = next(s for s in response.context["cl"].filter_specs if getattr(s, "parameter_name", "") == "language__exact")
    assert spec.lookup_choices == [("ar", "العربية"), ("en", "الإنجليزية")]
    english_only = editor_client.get("/admin/timeline/article/?language__exact=en", **ARABIC_ADMIN)
    assert english_only.context["cl"].result_count == 1
    assert [c[1] for c in editor_client.get("/en/admin/timeline/article/").context["cl"].filter_specs[-1].lookup_choices] \
        == ["Arabic", "English"]
