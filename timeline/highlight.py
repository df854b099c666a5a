"""Mark words in article text for display: the text is escaped, only the <mark> tags are ours."""

import re

from django.utils.html import escape, format_html_join
from django.utils.safestring import mark_safe

from timeline.extract.arabic import NormalizedText


def _spans_of(pattern, text):
    """Original-text spans of a regex matched on the normalised form of text."""
    norm = NormalizedText.of(text)
    return [norm.original_offsets(*m.span()) for m in pattern.finditer(norm.text) if m.end() > m.start()]


def marked(text, spans):
    """Escaped text with <mark class="…"> around the (start, end, kind) spans (overlaps: the first wins)."""
    out, position = [], 0
    for start, end, kind in sorted(spans):
        if start < position:
            continue
        out.append(escape(text[position:start]))
        out.append(f'<mark class="{escape(kind)}">{escape(text[start:end])}</mark>')
        position = end
    out.append(escape(text[position:]))
    return mark_safe("".join(out))


def marked_paragraphs(text, spans):
    """marked() paragraph by paragraph, as <p> elements."""
    paragraphs, offset = [], 0
    for part in text.split("\n\n"):
        local = [(s - offset, e - offset, k) for s, e, k in spans if offset <= s and e <= offset + len(part)]
        paragraphs.append((marked(part, local),))
        offset += len(part) + 2
    return format_html_join("\n", "<p>{}</p>", paragraphs)


def search_passage(text, pattern, width=220):
    """The passage of text around the first match of pattern, the matches marked; None without a match."""
    if not text or pattern is None:
        return None
    spans = _spans_of(pattern, text)
    if not spans:
        return None
    first = spans[0][0]
    start = max(0, first - width // 3)
    end = min(len(text), start + width)
    piece = text[start:end]
    local = [(s - start, e - start, "q") for s, e in spans if start <= s and e <= end]
    prefix = "…" if start else ""
    suffix = "…" if end < len(text) else ""
    return mark_safe(escape(prefix) + marked(piece, local) + escape(suffix))


def evidence_spans(article, topic_matches, entity_matches):
    """(start, end, kind) in article.body for its date evidence, topic words and entity mentions."""
    body = article.body
    spans = []
    for quote in re.findall(r"«([^»]{2,200})»", article.date_evidence or ""):
        found = body.find(quote)
        if found >= 0:
            spans.append((found, found + len(quote), "date"))
    for match in entity_matches:
        spans += [(start, end, "entity") for start, end in match.mentions if 0 <= start < end <= len(body)]
    words = sorted({w for m in topic_matches for w in m.evidence if w.strip()}, key=len, reverse=True)
    if words:
        # Whole words only: the evidence is the word as the text has it (clitics included), so «التعليم» is marked in
        # «التعليم» and «التعليم،» but not inside «التعليمية». Diacritics may follow a word's last letter.
        pattern = re.compile(
            r"(?<![\w\u064b-\u065f\u0670\u0640])(?:" + "|".join(re.escape(w) for w in words) + r")"
            r"(?=[\u064b-\u065f\u0670\u0640]*(?![\w\u064b-\u065f\u0670\u0640]))"
        )
        spans += [(m.start(), m.end(), "topic") for m in pattern.finditer(body)]
    return spans
