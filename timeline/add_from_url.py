"""The admin's "Add from URL": fetch a page, show what would be extracted from it, store it on "Save".

Step 1 (POST url): the page is fetched (timeline.fetching: every SSRF rule), extracted exactly as
`manage.py extract` does (a dry run, nothing written) and shown as a preview.

Step 2 (POST token): the page is stored with ingest.ingest_text, the function every other way in
uses. The page is NOT fetched again: what the editor saw is what is stored. The fetched text travels
in the preview's form as a token signed with SECRET_KEY (django.core.signing, salted with this view's
name and the editor's id, valid for an hour, zlib-compressed). A token altered in the browser, made
for another editor, or too old is refused; the server keeps nothing between the steps, so any app
process can take the second request. The page's SHA-256 is inside the token and checked again.
"""

import hashlib

from django import forms
from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from timeline import ingest
from timeline.extract import ExtractionError, extract_article
from timeline.fetching import FetchRefused, fetch_page
from timeline.models import Article, DateMethod, Precision, Topic
from timeline.reference import current_knowledge

TOKEN_MAX_AGE = 60 * 60  # seconds between the preview and "Save"


class AddFromUrlForm(forms.Form):
    url = forms.CharField(
        label=gettext_lazy("رابط المقالة"), max_length=1000,
        widget=forms.URLInput(attrs={"size": 80, "dir": "ltr", "autofocus": True, "placeholder": "https://"}),
        help_text=gettext_lazy("صفحة الخبر على موقع الوسيلة (http أو https). تجلب الصفحة ويعرض ما استخرج منها قبل الحفظ."),
    )

    def clean_url(self):
        url = self.cleaned_data["url"].strip()
        return url if "://" in url else "https://" + url  # "example.com/news/1" as an editor types it


def _salt(request):
    return f"timeline.add-from-url:{request.user.pk}"


def make_token(request, page):
    payload = {"u": page.url, "f": page.final_url, "t": page.text, "h": _text_hash(page.text)}
    return signing.dumps(payload, salt=_salt(request), compress=True)


def read_token(request, token):
    """The fetched page behind a preview, or a message saying why it cannot be used."""
    try:
        payload = signing.loads(token, salt=_salt(request), max_age=TOKEN_MAX_AGE)
    except signing.SignatureExpired:
        return None, _("مضى على المعاينة أكثر من ساعة: اجلب الصفحة من جديد.")
    except signing.BadSignature:
        return None, _("تعذر التحقق من المعاينة (تغيرت أو ليست لك): اجلب الصفحة من جديد. لم يحفظ شيء.")
    if not isinstance(payload, dict) or _text_hash(payload.get("t", "")) != payload.get("h"):
        return None, _("تعذر التحقق من المعاينة (تغيرت أو ليست لك): اجلب الصفحة من جديد. لم يحفظ شيء.")
    return payload, None


def _text_hash(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def add_from_url(request, model_admin):
    """GET: the form. POST url: fetch and preview. POST token: store what was previewed."""
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": Article._meta,
        "title": _("إضافة مقالة من رابط"),
        "changelist_url": reverse("admin:timeline_article_changelist"),
    }
    if request.method == "POST" and "token" in request.POST:
        return _save(request, model_admin, context)
    form = AddFromUrlForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        context.update(_preview(request, form.cleaned_data["url"]))
    context["form"] = form
    return TemplateResponse(request, "admin/timeline/article/add_from_url.html", context)


def _preview(request, url):
    """What the preview shows: the page's extraction, or the reason it could not be fetched or read."""
    try:
        page = fetch_page(url)
    except FetchRefused as exc:
        return {"refusal": str(exc)}
    try:
        result = extract_article(page.text, current_knowledge(), url=page.final_url)
    except ExtractionError as exc:
        return {"refusal": _("جلبت الصفحة لكن لم يعثر فيها على نص مقالة: %(reason)s") % {"reason": exc}, "page": page}
    duplicate = Article.objects.filter(content_hash=result.content_hash).select_related("event").first()
    return {
        "page": page,
        "result": result,
        "preview": describe(result),
        "duplicate": duplicate,
        "token": "" if duplicate else make_token(request, page),
    }


def describe(result):
    """The dry run's result (`manage.py extract --json`) with names an editor reads."""
    data = result.as_dict()
    names = {t.slug: t for t in Topic.objects.filter(slug__in=[t["slug"] for t in data["topics"]])}
    if data["date"]:
        data["date"]["method_label"] = _label(DateMethod, data["date"]["method"])
        data["date"]["precision_label"] = _label(Precision, data["date"]["precision"])
        data["date"]["percent"] = f"{data['date']['confidence']:.0%}"
    for topic in data["topics"]:
        known = names.get(topic["slug"])
        topic["name"] = (known.name_ar or topic["slug"]) if known else topic["slug"]
    return data


def _label(choices, value):
    try:
        return choices(value).label
    except ValueError:
        return value


def _save(request, model_admin, context):
    payload, problem = read_token(request, request.POST["token"])
    if problem:
        messages.error(request, problem)
        return HttpResponseRedirect(request.path)
    outcome = ingest.ingest_text(payload["t"], url=payload["f"])
    if outcome.status == "failed":
        messages.error(request, outcome.message)
        return HttpResponseRedirect(request.path)
    article = outcome.article
    if article is None:  # stored by another writer a moment ago and gone again: nothing to point to
        messages.error(request, _("تعذر حفظ المقالة: اجلب الصفحة من جديد."))
        return HttpResponseRedirect(request.path)
    if outcome.status == "unchanged":
        messages.error(
            request,
            format_html(
                _('هذه المقالة موجودة في الخط الزمني: <a href="{}">{}</a>، في الحدث «{}». لم يضف شيء.'),
                reverse("admin:timeline_article_change", args=[article.pk]), article, article.event or "—",
            ),
        )
        return HttpResponseRedirect(request.path)
    model_admin.log_addition(request, article, [{"added": {}}])
    model_admin._report(request, article, None)  # the paste path's message: dated how, on which event
    return HttpResponseRedirect(reverse("admin:timeline_article_change", args=[article.pk]))
