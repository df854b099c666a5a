import datetime
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture(autouse=True)
def exact_facets(settings):
    """Tests compare exact counts: the estimate for large uncounted views (facets.py) is tested on its own."""
    settings.FACETS_EXACT_ROWS = None


@pytest.fixture(autouse=True)
def uncached_pages(settings):
    """Tests see what the views compute (their context, their queries): the page cache is tested on its own."""
    settings.PAGE_CACHE = False


@pytest.fixture(autouse=True)
def default_language():
    """A request to /en/ leaves English active in the thread: each test starts and ends in the default language,
    so that which test ran before never decides what a label reads."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(scope="session")
def knowledge():
    """Reference knowledge straight from the fixtures: extraction tests need no database."""
    from timeline.reference import fixture_knowledge

    return fixture_knowledge()


@pytest.fixture
def seeds_dir():
    return SEEDS


@pytest.fixture
def seed_copy(tmp_path):
    """A copy of seeds/ that a test may add bad files to."""
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS, target)
    return target


@pytest.fixture
def ingested(db):
    """The five seeds, ingested."""
    from timeline.ingest import article_files, ingest_file
    from timeline.reference import current_knowledge

    knowledge = current_knowledge()
    outcomes = [ingest_file(path, knowledge) for path in article_files([SEEDS])]
    assert [o.status for o in outcomes] == ["new"] * 5, [o.message for o in outcomes]
    return outcomes


def make_events(count, start_year=2000):
    """`count` dated events with an article, an outlet and a topic each (for query-count tests)."""
    from timeline.models import Article, ArticleTopic, Event, Outlet, Topic

    outlet = Outlet.objects.create(slug=f"bulk-{count}", name_ar="وكالة اختبار", name_en="Test Agency")
    topics = list(Topic.objects.all())
    events = Event.objects.bulk_create(
        Event(
            slug=f"bulk-{count}-{i}",
            title=f"حدث رقم {i}",
            lead="نص تمهيدي",
            date_start=datetime.date(start_year + i % 20, 1 + i % 12, 1 + i % 28),
            date_end=datetime.date(start_year + i % 20, 1 + i % 12, 1 + i % 28),
            precision="day",
            date_method="dateline",
            date_confidence=0.95,
            needs_review=False,
        )
        for i in range(count)
    )
    articles = Article.objects.bulk_create(
        Article(
            event=e, title=e.title, raw_text=e.title, body=e.title, outlet=outlet, content_hash=f"bulk-{e.slug}",
            date_start=e.date_start, date_end=e.date_end, precision="day", date_method="dateline",
        )
        for e in events
    )
    Event.topics.through.objects.bulk_create(
        Event.topics.through(event=e, topic=topics[i % len(topics)]) for i, e in enumerate(events)
    )
    ArticleTopic.objects.bulk_create(
        ArticleTopic(article=a, topic=topics[i % len(topics)], evidence=["كلمة"]) for i, a in enumerate(articles)
    )
    Event.objects.filter(pk__in=[e.pk for e in events]).refresh_denormalised()  # as any bulk writer must
    return events


def body_of(response):
    """A response's body, streamed or not (reading a streamed one runs its queries)."""
    return b"".join(response.streaming_content) if response.streaming else response.content


def json_of(response):
    """The JSON body of a response, streamed (/events.json) or not."""
    import json

    return json.loads(body_of(response))


@pytest.fixture
def editor_client(client):
    """The test client, logged in as a superuser "editor" (the admin tests' editor)."""
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.create_superuser("editor", "", "a-long-test-password"))
    return client


def live_database_url(connection):
    """A DATABASE_URL for the database this test connection really uses (TCP or the embedded server's socket
    directory), for a child process that must see the same data."""
    from urllib.parse import quote

    connection.ensure_connection()
    info = connection.connection.info
    return f"postgresql://{quote(info.user)}@{quote(info.host, safe='')}:{info.port}/{quote(info.dbname)}"
