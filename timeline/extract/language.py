"""Which language an article is written in, from the share of its letters in each script.

The corpus is Arabic; an English, Chinese or Russian text pasted by mistake (or on purpose) is
stored with its own language so that the admin can say so. Script share is enough to tell these
apart; within the Latin and Cyrillic scripts a few letters and function words pick the language.
"""

import re

#: Letters by script (runs, counted by length). Arabic includes its supplement and presentation forms.
_SCRIPTS = {
    "arabic": re.compile("[\u0620-\u064a\u066e-\u06d3\u06fa-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufefc]+"),
    "han": re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+"),
    "cyrillic": re.compile("[\u0400-\u04ff]+"),
    "latin": re.compile("[A-Za-z\u00c0-\u024f]+"),
}
_KAZAKH_LETTERS = re.compile("[әғқңөұүһіӘҒҚҢӨҰҮҺІ]")
_FUNCTION_WORDS = {
    "en": {"the", "and", "of", "to", "in", "is", "on", "with", "for", "that", "was", "has"},
    "fr": {"le", "la", "les", "et", "des", "du", "une", "est", "dans", "pour", "avec", "au"},
}
#: An Arabic article quotes names and terms in other scripts: it stays Arabic while most letters are.
ARABIC_SHARE = 0.5
#: The start of an article says what language it is in; a megabyte need not be read for that.
SAMPLE_CHARS = 20_000


#: The letters of every script but Arabic, in one class (the scripts' ranges do not overlap): an Arabic text is
#: told by two scans, its Arabic letters and all the others, not one per script.
_OTHER_LETTERS = re.compile("[" + "".join(p.pattern[1:-2] for s, p in _SCRIPTS.items() if s != "arabic") + "]+")


def detect_language(text):
    """'ar', 'zh', 'ru', 'kk', 'en', 'fr', or 'und' (undetermined) for `text`."""
    sample = text[:SAMPLE_CHARS]
    arabic = sum(len(run) for run in _SCRIPTS["arabic"].findall(sample))
    letters = arabic + sum(len(run) for run in _OTHER_LETTERS.findall(sample))
    if not letters:
        return "und"
    if arabic / letters >= ARABIC_SHARE:
        return "ar"
    counts = {script: sum(len(run) for run in pattern.findall(sample)) for script, pattern in _SCRIPTS.items()}
    script = max(counts, key=counts.get)
    if script == "arabic":
        return "ar"
    if script == "han":
        return "zh"
    if script == "cyrillic":
        return "kk" if _KAZAKH_LETTERS.search(sample) else "ru"
    words = [word.lower() for word in _SCRIPTS["latin"].findall(sample)]
    scores = {code: sum(1 for word in words if word in vocabulary) for code, vocabulary in _FUNCTION_WORDS.items()}
    best = max(scores, key=scores.get)
    return best if scores[best] >= max(1, len(words) // 50) else "und"
