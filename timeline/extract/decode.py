"""Bytes to text: UTF-8 (with or without BOM), UTF-16 or Windows-1256, or a clear refusal."""

import codecs
import re

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
        text = _utf16_without_bom(data)
        if text is None:
            raise ExtractionError(f"{name}: ملف ثنائي وليس نصا (binary file: contains NUL bytes)")
        return text
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


# Where the characters of an article written as UTF-16 fall: ASCII, Latin-1, Cyrillic, Arabic (with its
# supplement and presentation forms), general punctuation, CJK. Binary data read as UTF-16 lands
# mostly elsewhere (two random bytes are one of these characters about a third of the time).
_TEXT_RANGES = (
    (0x09, 0x0D), (0x20, 0x7E), (0xA0, 0xFF), (0x0400, 0x04FF), (0x0600, 0x06FF), (0x0750, 0x077F),
    (0x2000, 0x206F), (0x3000, 0x303F), (0x4E00, 0x9FFF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF), (0xFF00, 0xFFEF),
)

_TEXT_CHARS = re.compile("[" + "".join(f"\\u{low:04x}-\\u{high:04x}" for low, high in _TEXT_RANGES) + "]+")


def _utf16_without_bom(data):
    """The text, if `data` is UTF-16 (little- or big-endian) that lost its byte-order mark, else None."""
    if len(data) % 2:
        return None
    best = None
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        share = 1 - len(_TEXT_CHARS.sub("", text)) / len(text)
        if share > 0.95 and "\x00" not in text and (best is None or share > best[0]):
            best = (share, text)
    return best[1] if best else None
