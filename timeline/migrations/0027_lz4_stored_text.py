"""The big texts that ingest writes, compressed with lz4 instead of PostgreSQL's default pglz: an article's raw
text, body, lead, signature and date candidates, an event's lead, search document and search vector.

pglz compresses slowly (tens of MB/s): storing 2,000 generated articles spent 0.3 ms of PostgreSQL CPU per article
compressing the article row's texts and 0.2-0.4 ms compressing the event's document and vector again on every
refresh (an event's row is rewritten each time an article joins it). lz4 does the same in a fraction of that, and
reading (the search's recheck of a vector, a refresh reading its articles' bodies) decompresses faster too. The values
are the same; only new values are written with lz4 (the stored ones stay as they are until rewritten). A server built
without lz4 keeps pglz (the statement is skipped); unapplied, the columns go back to the server's default."""

from django.db import migrations

COLUMNS = {
    "timeline_article": ["raw_text", "body", "lead", "signature", "date_candidates"],
    "timeline_event": ["lead", "search_document", "search_vector"],
}


def _set_compression(method):
    statements = "; ".join(
        f"ALTER TABLE {table} " + ", ".join(f"ALTER {column} SET COMPRESSION {method}" for column in columns)
        for table, columns in COLUMNS.items()
    )
    if method == "lz4":
        # (feature_not_supported: PostgreSQL compiled without lz4)
        return f"DO $$ BEGIN {statements}; EXCEPTION WHEN feature_not_supported THEN NULL; END $$"
    return statements


class Migration(migrations.Migration):

    dependencies = [
        ("timeline", "0026_covered_foreign_key_indexes"),
    ]

    operations = [
        migrations.RunSQL(_set_compression("lz4"), _set_compression("default")),
    ]
