import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from timeline.extract import ExtractionError, extract_article
from timeline.extract.decode import decode_article_bytes
from timeline.ingest import article_files
from timeline.reference import current_knowledge


class Command(BaseCommand):
    help = "Dry run: extract title, outlet, date and topics from files without writing to the database."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="article files or folders")
        parser.add_argument("--json", action="store_true", help="print a JSON array, one object per file")

    def handle(self, *args, **options):
        knowledge = current_knowledge()
        results = []
        for path in article_files(options["paths"]):
            try:
                text = decode_article_bytes(Path(path).read_bytes(), str(path))
                results.append(extract_article(text, knowledge).as_dict(file=str(path)))
            except (ExtractionError, OSError) as exc:
                results.append(
                    {"file": str(path), "title": None, "outlet": None, "date": None, "published": None,
                     "topics": [], "entities": [], "needs_review": True, "warnings": [], "error": str(exc)}
                )
        if options["json"]:
            self.stdout.write(json.dumps(results, ensure_ascii=False, indent=2))
        else:
            for item in results:
                date = item["date"]
                when = f"{date['start']}..{date['end']} ({date['precision']}, {date['method']})" if date else "undated"
                self.stdout.write(f"{item['file']}: {item['error'] or item['title']} — {when}")
        if not results:
            raise CommandError("no article files found")
        if any(item["error"] for item in results):
            raise CommandError("some files could not be read", returncode=1)
