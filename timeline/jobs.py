"""Background jobs, on the task queue kept in PostgreSQL (django-tasks' database backend; no broker).

A worker runs them: `python manage.py db_worker`. Nothing else in the app needs one: the site, ingest and
small re-extractions run without it; a large re-extraction waits in the queue (its page says so) until one runs.
"""

from django.utils import timezone

try:  # Django 6 has the tasks framework built in; on 5.2 it is the django-tasks backport
    from django.tasks import task
except ImportError:  # pragma: no cover - depends on the Django version
    from django_tasks import task

from timeline import reextract
from timeline.models import Article, JobStatus, ReextractJob

#: Above this many articles the admin's re-extraction is queued, never run while the editor waits.
INLINE_LIMIT = 50
#: Lines (changed or failed articles) a job keeps for its page; the counts cover every article.
KEPT_LINES = 1000


def enqueue_reextract(article_ids=None, requested_by=""):
    """Queue a re-extraction of these article ids (None: every article); returns its ReextractJob."""
    every = article_ids is None
    ids = [] if every else sorted(set(article_ids))
    job = ReextractJob.objects.create(
        article_ids=ids, every_article=every, requested_by=requested_by[:150],
        total=Article.objects.count() if every else len(ids),
    )
    result = reextract_job.enqueue(job.pk)
    ReextractJob.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])
    job.refresh_from_db()
    return job


@task()
def reextract_job(job_id):
    """The worker's side: re-extract the job's articles, writing its progress after each one."""
    run_job(ReextractJob.objects.get(pk=job_id))


def run_job(job):
    ids = list(Article.objects.order_by("pk").values_list("pk", flat=True)) if job.every_article else job.article_ids
    job.status, job.total, job.done, job.failed, job.lines = JobStatus.RUNNING, len(ids), 0, 0, []
    job.save(update_fields=["status", "total", "done", "failed", "lines"])
    counts = {}

    def progress(line):
        job.done += 1
        job.failed += line.status == "failed"
        for kind in line.kinds or (["failed"] if line.message else ["unchanged"]):
            counts[kind] = counts.get(kind, 0) + 1
        job.counts = counts
        if line.status != "unchanged" and len(job.lines) < KEPT_LINES:
            job.lines.append(line.as_dict())
        job.save(update_fields=["done", "failed", "counts", "lines"])

    try:
        report = reextract.run(ids, on_line=progress)
    except Exception as exc:
        job.status, job.error, job.finished_at = JobStatus.FAILED, f"{type(exc).__name__}: {exc}"[:2000], timezone.now()
        job.save(update_fields=["status", "error", "finished_at"])
        raise
    job.counts = {**counts, "events_removed": report.events_removed}
    job.status, job.finished_at = JobStatus.DONE, timezone.now()
    job.save(update_fields=["status", "counts", "finished_at"])
    return job.counts
