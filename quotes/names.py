"""Speakers across articles: one canonical name for each speaker of a corpus.

Inside an article, `quotes.speakers` resolves a mention to a name with the parse; across articles
only the names are left, so this stage is plain string work (no spaCy), and the store, the archive,
reports and audits of stored articles use it without loading a pipeline.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import replace

from quotes.lexicon import HONORIFICS, NICKNAMES, ROLE_NOUNS
from quotes.records import Quotation


def canonicalize(quotations: list[Quotation], people: Iterable[str] = ()) -> list[Quotation]:
    """The same records with one name per speaker across the corpus (`Biden` → `Joe Biden`);
    `people` are the full names the articles mention, from `ArticleResult.people`."""
    names = canonical_names(((q.speaker_type, q.speaker) for q in quotations if q.speaker), people)
    return [
        replace(q, speaker=names.get((q.speaker_type, q.speaker), q.speaker)) if q.speaker else q
        for q in quotations
    ]


def canonical_names(
    speakers: Iterable[tuple[str, str]], people: Iterable[str] = ()
) -> dict[tuple[str, str], str]:
    """One canonical name for each (type, name) speaker seen in a corpus.

    Person names merge when one is a short form or variant of another (`Biden` → `Joe Biden`,
    `Matt Miller` → `Matthew Miller`) and fits only one full name; `people` adds the full names the
    articles mention, so a speaker named only by surname still finds them. Organisation names merge
    after dropping articles and country prefixes (`the US Department of State`, `State Department`)
    and when one is the acronym of the other (`CCTV`, `China Central Television`). Unnamed sources
    merge when they differ only in case or dots (`US officials`, `U.S. officials`).
    """
    counts = Counter(speakers)
    mentioned = Counter(people)
    result: dict[tuple[str, str], str] = {}
    person_names = {n for t, n in counts if t == "person"} | set(mentioned)
    frequency = Counter({n: counts[("person", n)] * 2 + mentioned[n] for n in person_names})
    for name, canonical in _merge_person_names(person_names, frequency).items():
        if ("person", name) in counts:
            result[("person", name)] = canonical
    for kind, key in (("organization", _organization_key), ("anonymous", _plain_key), ("group", _plain_key)):
        names = [n for t, n in counts if t == kind]
        for members in _grouped(names, key, acronyms=kind == "organization"):
            # the plainest form (`State Department` over `the US State Department`), an acronym
            # over its expansion, then the most frequent
            best = max(
                members, key=lambda n: (-_extra_words(n, key), n.isupper(), counts[(kind, n)], -len(n), n)
            )
            result.update({(kind, member): best for member in members})
    return result


def _merge_person_names(names: set[str], frequency: Counter) -> dict[str, str]:
    """Each person name → the most frequent of the longest variants of the same person."""
    root: dict[str, str] = {}
    fulls = sorted((n for n in names if len(n.split()) > 1), key=lambda n: (-len(n.split()), n))
    for name in sorted(names, key=lambda n: (-len(n.split()), n)):
        words = name.split()
        owners = {root.get(f, f) for f in fulls if f != name and is_short_form(words, f.split())}
        root[name] = owners.pop() if len(owners) == 1 else name
    members: dict[str, list[str]] = defaultdict(list)
    for name, owner in root.items():
        members[owner].append(name)
    return {
        name: max(group, key=lambda n: (len(n.split()) > 1, frequency[n], len(n), n))
        for group in members.values()
        for name in group
    }


def _grouped(names: list[str], key, acronyms: bool) -> list[list[str]]:
    by_key: dict[str, list[str]] = defaultdict(list)
    for name in names:
        by_key[key(name)].append(name)
    if acronyms:
        for short in [k for k in by_key if k and " " not in k and k.isalpha() and 2 <= len(k) <= 6]:
            expansions = [k for k in by_key if k != short and _initials(k) == short]
            if len(expansions) == 1:
                by_key[short].extend(by_key.pop(expansions[0]))
    return list(by_key.values())


def _extra_words(name: str, key) -> int:
    return len(name.split()) - len(key(name).split())


def _initials(key: str) -> str:
    """`china central television` → `cctv`: initials, with television as TV."""
    return "".join("tv" if w == "television" else w[0] for w in key.split() if w not in ("and", "for"))


_ORGANIZATION_FILLER = frozenset("the us u s united states of american america".split())


def _organization_key(name: str) -> str:
    words = [w for w in re.sub(r"[^\w\s]", "", name.lower()).split() if w not in _ORGANIZATION_FILLER]
    if words[:1] == ["department"] and len(words) > 1:
        words = [*words[1:], "department"]  # `Department of State` → `state department`
    return " ".join(words)


def _plain_key(name: str) -> str:
    return " ".join(re.sub(r"[.\u2019']", "", name.lower()).split())


def name_words(text: str) -> list[str]:
    """The words of a person's name, without a possessive, brackets, or a title in front."""
    text = re.sub(r"[’']s$", "", text.strip())
    words = [w.strip('[](){}"“”') for w in re.split(r"\s+", text)]
    words = [w for w in words if w]
    while len(words) > 1 and (words[0].lower() in HONORIFICS or words[0].lower() in ROLE_NOUNS):
        words = words[1:]
    return words


def is_short_form(words: list[str], full: list[str]) -> bool:
    """`Blinken` of `Antony Blinken`, `Wang` of `Wang Yi`, `Matt Miller` of `Matthew Miller`."""
    if len(words) >= len(full) and words != full:
        return len(words) == len(full) and same_person_words(words, full)
    if len(words) == 1:
        return words[0] in full
    return words[-1] == full[-1] and first_names_agree(words[0], full[0])


def same_person_words(a: list[str], b: list[str]) -> bool:
    return a[-1] == b[-1] and first_names_agree(a[0], b[0])


def first_names_agree(a: str, b: str) -> bool:
    a, b = a.lower().rstrip("."), b.lower().rstrip(".")
    if a == b or b in NICKNAMES.get(a, ()) or a in NICKNAMES.get(b, ()):
        return True
    return (len(a) == 1 and b.startswith(a)) or (len(b) == 1 and a.startswith(b))
