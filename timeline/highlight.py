"""Mark words in article text for display: the text is escaped, only the <mark> tags are ours."""

import hashlib
import re

from django.utils.html import escape, format_html_join
from django.utils.safestring import mark_safe

from timeline.extract.arabic import NormalizedText
from timeline.fragments import Memo

#: Search passages kept per process, keyed by the pattern and a digest of the texts they were cut from.
passages = Memo(4000)


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


def _spans_for_passage(pattern, text, width, head=1200):
    """_spans_of(pattern, text) as far as a passage needs them: when the first match and its passage lie before a
    line break past the first `head` characters, the text is normalised only up to there (a line break ends every
    match and every normalisation gap, so those spans are exactly the whole text's); otherwise the head's spans and
    the rest's, shifted (for the same reason: the head is not normalised twice)."""
    cut = text.find("\n", head)
    if cut <= 0:
        return _spans_of(pattern, text)
    spans = _spans_of(pattern, text[:cut])
    if spans and max(0, spans[0][0] - width // 3) + width <= cut:
        return spans
    return spans + [(start + cut, end + cut) for start, end in _spans_of(pattern, text[cut:])]


def search_passage(text, pattern, width=220):
    """The passage of text around the first match of pattern, the matches marked; None without a match."""
    if not text or pattern is None:
        return None
    spans = _spans_for_passage(pattern, text, width)
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


def first_passage(texts, pattern):
    """The search passage of the first of `texts` the pattern matches (None if none does), cut once per content:
    normalising whole articles that hold no match is most of a search page's time, and the same texts and query
    give the same passage, whatever was written since (the key is the texts' digest, not their event)."""
    digest = hashlib.blake2b(digest_size=16)
    for text in texts:
        data = (text or "").encode()
        digest.update(len(data).to_bytes(8, "big") + data)  # each text's length first: no two lists give one stream
    key = (pattern.pattern, digest.digest())
    found = passages.get_many([key])  # (a kept None means "no passage": get() could not tell it from a miss)
    if key in found:
        return found[key]
    passage = next((p for p in (search_passage(text, pattern) for text in texts) if p), None)
    passages.put(key, passage)
    return passage


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
