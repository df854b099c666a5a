"""Bytes to text: UTF-8 (with or without BOM), UTF-16 or Windows-1256, or a clear refusal."""

import codecs

from . import ExtractionError

MAX_ARTICLE_BYTES = 1_000_000  # a news article is a few tens of kilobytes
MAX_PAGE_BYTES = 5_000_000  # its saved web page, with inline scripts and styles, can pass a megabyte


def decode_article_bytes(data, name="input", max_bytes=MAX_ARTICLE_BYTES):
    """Text from bytes, or ExtractionError saying why not (empty, binary, undecodable, too large)."""
    if not data or not data.strip():
        raise ExtractionError(f"{name}: الملف فارغ (empty file)")
    if len(data) > max_bytes:
        raise ExtractionError(
            f"{name}: الملف أكبر من {max_bytes // 1000} كيلوبايت، وهذا ليس حجم مقالة إخبارية "
            f"(file is {len(data) // 1000} KB, over the {max_bytes // 1000} KB limit for one article)"
        )
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]
    elif b"\x00" in data:
        raise ExtractionError(f"{name}: ملف ثنائي وليس نصا (binary file: contains NUL bytes)")
    else:
        candidates = ["utf-8-sig", "cp1256"]
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding == "cp1256" and not _mostly_arabic(text):
            break
        return text
    raise ExtractionError(
        f"{name}: تعذرت قراءة الترميز (undecodable: not UTF-8, UTF-16 or Windows-1256 Arabic text)"
    )


def _mostly_arabic(text):
    letters = [ch for ch in text if ch.isalpha()]
    arabic = sum(1 for ch in letters if "\u0600" <= ch <= "\u06ff")
    return bool(letters) and arabic / len(letters) > 0.5
