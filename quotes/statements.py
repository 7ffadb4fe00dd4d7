"""What the framing model reads of a statement, built from its parse, and where it is classified.

This side of framing needs spaCy only: extraction builds the records (plain dicts) without importing
scikit-learn, which `classify_here` imports when the first records are classified, in this process
or in a forked one (`framing_in_background`, which `quotes audit` uses so that the model loads
while this process parses).
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from typing import TYPE_CHECKING

from quotes.lexicon import (
    CONFLICT_ACTS,
    COOPERATION_ACTS,
    NEGATION_WORDS,
    REJECTION_LEMMAS,
    STATEMENT_ACTS,
)
from quotes.records import Framing

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span, Token

Framer = Callable[[Sequence[dict]], list[Framing]]  # framing records -> their framings, in order


def marked_lemmas(tokens: Iterable) -> str:
    """Lower-case lemmas, `NOT_` on those inside a negation's scope (up to the next punctuation or
    a contrast: in "not responsible competition, but irresponsible bullying" only the first part);
    a verb of rejection opens such a scope too (`rejected the peace plan`)."""
    out, negated = [], False
    tokens = list(tokens)
    for n, token in enumerate(tokens):
        if token.is_space:
            continue
        lower = token.lower_
        if token.is_punct or lower in ("but", "yet", "instead", "rather"):
            negated = False
            if lower in ("but", "yet", "instead", "rather"):
                out.append(lower)
            continue
        if lower in NEGATION_WORDS:
            negated = True
            out.append("NEG")
            continue
        lemma = token.lemma_.lower() or lower
        out.append(f"NOT_{lemma}" if negated else lemma)
        following = tokens[n + 1].lower_ if n + 1 < len(tokens) else ""
        if lemma in REJECTION_LEMMAS or (lemma == "rule" and following == "out"):
            # `rejected the peace plan`: what is rejected counts against its words, and a rejection
            # under a negation turns them back (`did not rule out talks`)
            negated = not negated
    return " ".join(out)


_ACTOR_ENTITIES = frozenset(["PERSON", "ORG", "GPE", "NORP", "FAC"])
_ACTORS = ("named", "noun")  # the subjects of a third-person report


def _subject_kind(verb: Token) -> str:
    """Who does the act: the speaker (`we warned`), the listener, a third party by pronoun (`he
    praised`), by name (`Tehran rejected`) or by a noun (`the ministry accused`)."""
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass"):
            lower = child.lower_
            if lower in ("i", "we"):
                return "first"
            if lower == "you":
                return "second"
            if child.pos_ == "PRON":
                return "third"
            return "named" if child.pos_ == "PROPN" or child.ent_type_ in _ACTOR_ENTITIES else "noun"
    return "none"


def _act_class(lemma: str) -> str:
    """The posture of the act a verb names, as event coders class it (`accuse` conflict, `agree`
    cooperation, `announce` a plain statement); "" for a verb that names no such act."""
    if lemma in CONFLICT_ACTS:
        return "conflict"
    if lemma in COOPERATION_ACTS:
        return "cooperation"
    return "statement" if lemma in STATEMENT_ACTS else ""


def head_verbs(tokens: Iterable) -> str:
    """The acts a third-person report names, as features: each verb of an act whose subject is an
    actor (`The ministry accused Washington…`, `Both sides agreed…`; in a report, also `…said it
    would retaliate`), with its lemma, its act class and the kind of subject, `NOT_` on the class when
    the verb is negated. A bare report has no reporting verb for the cue feature to read, and its head
    verb is the act event coders label; a speaker's own words (`we`, `I`) are left to the other
    features."""
    tokens = list(tokens)
    report = any(t.dep_ == "ROOT" and _subject_kind(t) in _ACTORS for t in tokens)
    out = []
    for token in tokens:
        if token.pos_ not in ("VERB", "AUX"):
            continue
        kind, lemma = _subject_kind(token), token.lemma_.lower()
        act = _act_class(lemma)
        if not act or not (kind in _ACTORS or (report and kind == "third")):
            continue
        if any(child.dep_ == "neg" for child in token.children):
            act = f"NOT_{act}"
        out += [f"verb_{lemma}", f"act_{act}", f"{kind}_{act}"]
    return " ".join(out) or "noverb"


MAX_PARSED_CHARS = 5_000


def record(text: str, tokens: Doc | Span, cue: str | None = None, context: str | None = None) -> dict:
    """The model's input for one statement; `tokens` are its spaCy tokens (a Doc or a Span of one)."""
    return {
        "text": text,
        "marked": marked_lemmas(tokens),
        "head": head_verbs(tokens),
        "cue": cue or "",
        "context": context or "",
    }


def records_from_texts(nlp: Language, items: Sequence[dict]) -> list[dict]:
    """Records for `{"text", "cue"?, "context"?}` items, parsing their texts once (a statement longer
    than MAX_PARSED_CHARS is judged by its opening, which is where news quotations state their point)."""
    docs = nlp.pipe((item["text"][:MAX_PARSED_CHARS] for item in items), batch_size=64)
    return [
        record(item["text"][:MAX_PARSED_CHARS], doc, item.get("cue"), item.get("context"))
        for item, doc in zip(items, docs, strict=True)
    ]


def classify_here(records: Sequence[dict]) -> list[Framing]:
    """Each record's framing from the project's model, loaded once in this process."""
    from quotes.framing import classify, load_framing_model  # scikit-learn: seconds to import

    return classify(load_framing_model(), records)


@contextmanager
def framing_in_background() -> Iterator[Framer]:
    """A framer whose model loads in a forked process while this one imports spaCy and parses: the
    two start-ups (scikit-learn and skops there, spaCy here) then share the cores instead of adding
    up. Where processes cannot be forked, the model loads here."""
    if "fork" not in multiprocessing.get_all_start_methods():
        yield classify_here
        return
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(1, mp_context=context) as executor:
        loaded = executor.submit(classify_here, [])  # starts the process; a refused model raises below

        def framer(records: Sequence[dict]) -> list[Framing]:
            loaded.result()
            return executor.submit(classify_here, records).result()

        yield framer
