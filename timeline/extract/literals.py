"""What text a regex's matches must contain, to skip a scan that cannot find anything (issue 9).

`must_contain(regex)` reads the compiled pattern's parse tree and returns a test of a text: False only when
the text lacks every string some part of each match must contain, so that `regex.finditer(text)` would find
nothing; then the scan need not run. Only what the engine must match is read: literal characters in sequence,
every alternative of a branch, a repeat's body when it repeats at least once. Anything else (character sets,
look-arounds, case-insensitive parts, conditional groups) requires nothing, so the test errs towards scanning.
"""

import re
from re import _constants as C  # noqa: N812 (the regex engine's own names for its operations)
from re import _parser

_ALWAYS = ("always",)


def must_contain(regex):
    """A function text -> bool: whether `regex` could match somewhere in text (False means surely not)."""
    if regex.flags & re.IGNORECASE:
        return _possible(_ALWAYS)
    try:
        tree = _sequence(_parser.parse(regex.pattern, regex.flags & ~re.UNICODE).data)
    except (re.error, TypeError, ValueError, RecursionError):
        tree = _ALWAYS
    return _possible(tree)


def _possible(tree):
    if tree is _ALWAYS:
        return lambda text: True
    if _depth(tree) > 40:
        return lambda text: _holds(tree, text)
    # One expression of `in` tests ("a" in text and ("b" in text or "c" in text)): a tree walk per text cost more.
    return eval("lambda text: " + _expression(tree))  # the source is made of repr()s of strings, and, or


def _depth(node):
    return 1 if node[0] == "in" else 1 + max(_depth(part) for part in node[1])


def _expression(node):
    kind, parts = node
    if kind == "in":
        return f"{parts!r} in text"
    return "(" + f" {'and' if kind == 'all' else 'or'} ".join(_expression(part) for part in parts) + ")"


def _holds(node, text):
    kind, parts = node
    if kind == "in":
        return parts in text
    if kind == "all":
        return all(_holds(part, text) for part in parts)
    return any(_holds(part, text) for part in parts)  # "any"


def _sequence(items):
    """The requirement of a sequence of parsed items: all of its parts' requirements, literal runs joined."""
    needs, run = [], []
    for op, av in items:
        if op is C.LITERAL:
            run.append(chr(av))
            continue
        if run:
            needs.append(("in", "".join(run)))
            run = []
        need = _item(op, av)
        if need is not _ALWAYS:
            needs.append(need)
    if run:
        needs.append(("in", "".join(run)))
    if not needs:
        return _ALWAYS
    return needs[0] if len(needs) == 1 else ("all", needs)


def _item(op, av):
    if op is C.SUBPATTERN:
        _group, add_flags, _del_flags, pattern = av
        return _ALWAYS if add_flags & re.IGNORECASE else _sequence(pattern.data if hasattr(pattern, "data") else pattern)
    if op is C.ATOMIC_GROUP:
        return _sequence(av.data if hasattr(av, "data") else av)
    if op is C.BRANCH:
        alternatives = [_sequence(p.data if hasattr(p, "data") else p) for p in av[1]]
        return _ALWAYS if any(a is _ALWAYS for a in alternatives) else ("any", alternatives)
    if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
        low, _high, pattern = av
        return _sequence(pattern.data if hasattr(pattern, "data") else pattern) if low >= 1 else _ALWAYS
    return _ALWAYS
