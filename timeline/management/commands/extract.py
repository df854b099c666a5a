import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from timeline.extract import ExtractionError, extract_article
from timeline.ingest import files_with_metadata, read_article, read_manifest
from timeline.reference import current_knowledge


def _error(name, message):
    return {"file": name, "title": None, "outlet": None, "date": None, "published": None, "published_method": None,
            "published_evidence": None, "topics": [], "entities": [], "needs_review": True, "warnings": [],
            "error": message}


class Command(BaseCommand):
    help = "Dry run: extract title, outlet, date and topics from files without writing to the database."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", help="article files or folders (.txt, .html)")
        parser.add_argument("--manifest", help="CSV or JSON lines: file, url, published, outlet for each file")
        parser.add_argument("--json", action="store_true", help="print a JSON array, one object per file")

    def handle(self, *args, **options):
        if not options["paths"] and not options["manifest"]:
            raise CommandError("name article files or folders, or a --manifest")
        try:
            manifest = read_manifest(options["manifest"]) if options["manifest"] else None
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        knowledge = current_knowledge()
        results = [_error(name, message) for name, message in (manifest.problems if manifest else [])]
        for path, row in files_with_metadata(options["paths"], manifest):
            try:
                text = read_article(Path(path).read_bytes(), str(path))
                result = extract_article(
                    text, knowledge, published=row and row.published, url=row and row.url or None,
                    outlet=row and row.outlet or None,
                )
                results.append(result.as_dict(file=str(path)))
            except (ExtractionError, OSError) as exc:
                results.append(_error(str(path), str(exc)))
        if options["json"]:
            self.stdout.write(json.dumps(results, ensure_ascii=False, indent=2))
        else:
            for item in results:
                date = item["date"]
                when = f"{date['start']}..{date['end']} ({date['precision']}, {date['method']})" if date else "undated"
                published = f"; published {item['published']} ({item['published_method']})" if item["published"] else ""
                self.stdout.write(f"{item['file']}: {item['error'] or item['title']} — {when}{published}")
        if not results:
            raise CommandError("no article files found")
        if any(item["error"] for item in results):
            raise CommandError("some files could not be read", returncode=1)
