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
from typing import TYPE_CHECKING, NamedTuple

from quotes.lexicon import (
    ACT_OPENINGS,
    ASKING_VERBS,
    CONFLICT_ACTS,
    COOPERATION_ACTS,
    IMPOSING,
    INTENSIFIERS,
    LIGHT_VERBS,
    NEED_NOUNS,
    NEGATION_WORDS,
    NOMINAL_ACTS,
    PRESSURE,
    REJECTION_LEMMAS,
    RELEASING,
    REMOVING,
    STANCE_ADJECTIVES,
    STATEMENT_ACTS,
    TIES,
    g_dropped_forms,
    posture_words,
)
from quotes.records import Framing

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span, Token

Framer = Callable[[Sequence[dict]], list[Framing]]  # framing records -> their framings, in order


_CONTRASTS = frozenset(["but", "yet", "instead", "rather"])
_SUBJECTS = ("nsubj", "nsubjpass")


def _is_negation(token: Token) -> bool:
    """`not`, `no`, `n’t` (normed `not`)…; not the first part of a hyphenated word (`a no-strike
    pledge`, `a no-confidence vote`), which names a thing and negates nothing around it."""
    if token.i + 1 < len(token.doc) and _joins_word(token.doc[token.i + 1]):
        return False
    return token.lower_ in NEGATION_WORDS or token.norm_ in NEGATION_WORDS


def _scope(opener: Token, tokens: list[Token]) -> set[int]:
    """The tokens a negation or a rejection reaches: what follows it in the phrase it belongs to (the
    verb's clause for `not`, `never`, `nothing`; the noun phrase for `no`; the object for `without` or
    `rejected`; the whole clause for a subject's `no`), short of a conjoined clause, a punctuation
    mark or a contrast."""
    if opener.dep_ in ("prep", "ROOT", "conj") or opener.pos_ == "VERB":
        head = opener
    else:
        head = opener.head
        while head.dep_ in ("amod", "advmod", "compound", "nummod") and head.head is not head:
            head = head.head  # `not responsible competition`: the noun phrase
        if head.dep_ in _SUBJECTS:
            head = head.head  # `no country objected`: a denied subject denies its verb
    conjoined = {t.i for child in head.children if child.dep_ in ("conj", "cc") for t in child.subtree}
    reach, inside = set(), {t.i for t in head.subtree} - conjoined
    for token in tokens:
        if token.i <= opener.i:
            continue
        if _joins_word(token):
            continue
        if token.is_punct or token.lower_ in _CONTRASTS or token.i not in inside or _opens_clause(token):
            break
        reach.add(token.i)
    return reach


def _joins_word(token: Token) -> bool:
    """The hyphen inside `ill-prepared`, as opposed to a dash or a hyphen standing apart."""
    doc = token.doc
    return (
        token.text == "-"
        and not token.whitespace_
        and 0 < token.i < len(doc) - 1
        and not doc[token.i - 1].whitespace_
        and doc[token.i - 1].is_alpha
        and doc[token.i + 1].is_alpha
    )


def _words(tokens: list[Token]) -> Iterator[list[Token]]:
    """The tokens, with the parts of a hyphenated word (and its hyphens) kept together."""
    word: list[Token] = []
    for token in tokens:
        if word and (_joins_word(token) or _joins_word(word[-1])):
            word.append(token)
            continue
        if word:
            yield word
        word = [token]
    if word:
        yield word


def _opens_clause(token: Token) -> bool:
    """`no faith in you and urge…`: a conjunction before a verb starts another clause, whatever the
    parse made of it."""
    return token.dep_ == "cc" and token.i + 1 < len(token.doc) and token.nbor().pos_ in ("VERB", "AUX")


# Contractions with a curly apostrophe, which the lemmatiser leaves as they are (`we’re` -> `’re`).
_CURLY_CONTRACTIONS = {"’re": "be", "’m": "be", "’ve": "have", "’ll": "will", "’d": "would", "’s": "'s"}


def _lemma(token: Token) -> str:
    if _drops_its_g(token):
        return g_dropped_forms()[token.lower_]
    lemma = _CURLY_CONTRACTIONS.get(token.lower_) or token.lemma_.lower() or token.lower_
    listed = posture_words()
    if lemma not in listed and token.lower_ in listed:
        return token.lower_  # `bigoted`, which the lemmatiser makes `bigote`: the lexicon's word
    return lemma


def _drops_its_g(token: Token) -> bool:
    """`lyin'`: a word of praise or blame spelt as it is spoken, its g an apostrophe the tokenizer
    splits off; an apostrophe that closes a single-quoted word (`the 'heroin' trade`) is no g."""
    doc = token.doc
    return (
        not token.whitespace_
        and token.i + 1 < len(doc)
        and doc[token.i + 1].text in ("'", "’")
        and token.lower_ in g_dropped_forms()
        and not any(_opens_single_quote(t) for t in doc[token.sent.start : token.i])
    )


def _opens_single_quote(token: Token) -> bool:
    return (
        token.text in ("'", "‘")
        and not token.whitespace_
        and (token.i == 0 or bool(token.doc[token.i - 1].whitespace_))
    )


def _hyphenated_lemma(word: list[Token]) -> str:
    """`ill-prepared`, `two-faced`: one word to the lexicon, as it is written, or with its last part
    inflected when that is how the lexicon lists it (`cherry-picked` -> `cherry-pick`)."""
    parts = [t for t in word if not _joins_word(t)]
    written = "-".join(t.lower_ for t in parts)
    inflected = "-".join([*(t.lower_ for t in parts[:-1]), _lemma(parts[-1])])
    listed = posture_words()
    return inflected if written not in listed and inflected in listed else written


def marked_lemmas(tokens: Iterable, scopes: Scopes | None = None) -> str:
    """Lower-case lemmas, `NOT_` on those a negation reaches (in "not responsible competition, but
    irresponsible bullying" only the first part; in "no faith in you and urge your resignation" not
    the second clause); a verb of rejection reaches its object the same way (`rejected the peace
    plan`), and a rejection under a negation turns its object back (`did not rule out talks`);
    `ASK_` on what an obligation asks of one party (`Iraq must ASK_cooperate ASK_fully…`) and `EXP_`
    on what someone else forecasts (`the mediator predicted EXP_that EXP_the EXP_party…`)."""
    tokens = [t for t in tokens if not t.is_space]
    scopes = scopes or Scopes.of(tokens)
    flips: dict[int, int] = {}
    for n, token in enumerate(tokens):
        following = tokens[n + 1].lower_ if n + 1 < len(tokens) else ""
        lemma = _lemma(token)
        if _is_negation(token) or lemma in REJECTION_LEMMAS or (lemma == "rule" and following == "out"):
            for i in _scope(token, tokens):
                flips[i] = flips.get(i, 0) + 1
    # what someone else forecasts, and what an obligation asks of one party (which wins)
    prefixes = {i: "EXP_" for i in scopes.forecast} | {i: "ASK_" for i in scopes.asked}
    out = []
    for word in _words(tokens):
        first = word[0]
        if first.is_punct:
            continue
        if len(word) > 1:
            lemma = _hyphenated_lemma(word)
        elif first.lower_ in _CONTRASTS:
            out.append(first.lower_)
            continue
        elif _is_negation(first):
            out.append("NEG")
            continue
        else:
            lemma = _lemma(first)
        lemma = f"NOT_{lemma}" if flips.get(first.i, 0) % 2 else lemma
        out.append(prefixes.get(first.i, "") + lemma)
    return " ".join(out)


_FORECAST_VERBS = frozenset("predict forecast expect anticipate doubt estimate project".split())
_FORECAST_WORDS = frozenset(
    "optimistic pessimistic confident hopeful sceptical skeptical gloomy upbeat doubtful likely unlikely "
    "prospect chance odds likelihood".split()
)
_FORECAST_FRAMES = frozenset("set poised slated due bound".split())  # `are set to sign`: what is to come


def _forecast(tokens: list[Token]) -> set[int]:
    """The words of what someone other than the speaker predicts (`the mediator predicted that the
    parties would reach a settlement`, `pessimistic about the chances of resuming talks`): a forecast,
    not a move toward or against anyone."""
    marked: set[int] = set()
    for token in tokens:
        lemma = token.lemma_.lower()
        frame = token.lower_ in _FORECAST_FRAMES and any(c.dep_ == "xcomp" for c in token.children)
        if not (
            frame
            or (token.pos_ == "VERB" and lemma in _FORECAST_VERBS)
            or (token.pos_ in ("ADJ", "NOUN") and lemma in _FORECAST_WORDS)
        ):
            continue
        holder = token if token.pos_ == "VERB" else token.head
        if _subject_kind(holder) in ("first", "second"):
            continue  # `I am optimistic that we will agree with them`: the speaker's own hope
        if frame:
            marked.add(token.i)  # `poised to sign`: a frame, not praise
        marked |= {
            t.i
            for c in token.children
            if c.dep_ in ("ccomp", "xcomp", "dobj", "prep", "acomp") and c.i > token.i
            for t in c.subtree
        }
    return marked


def _asked_of_a_party(tokens: list[Token]) -> set[int]:
    """The words of what an obligation asks of one party (`Iraq must cooperate fully with the
    inspectors`): demanded of it, not done by it, so no act of cooperation; its condition (`if Iran
    agrees, the council should…`) is not asked."""
    asked: set[int] = set()
    for verb in tokens:
        if verb.pos_ in ("VERB", "AUX") and _obliged(verb) == "party":
            left_out = {t.i for c in verb.children if c.dep_ in (*_SUBJECTS, "advcl") for t in c.subtree}
            asked |= {t.i for t in verb.subtree if t.i not in left_out and t.dep_ not in ("aux", "neg")}
    return asked


class Scopes(NamedTuple):
    """The words of what someone else forecasts and of what an obligation asks of one party, which
    both the marked lemmas and the head verbs read: found once per statement."""

    forecast: set[int]
    asked: set[int]

    @classmethod
    def of(cls, tokens: list[Token]) -> Scopes:
        return cls(_forecast(tokens), _asked_of_a_party(tokens))


_ACTOR_ENTITIES = frozenset(["PERSON", "ORG", "GPE", "NORP", "FAC"])
_ACTORS = ("named", "noun")  # the subjects of a third-person report


def _subject_kind(verb: Token) -> str:
    """Who does the act: the speaker (`we warned`), the listener, a third party by pronoun (`he
    praised`), by name (`Tehran rejected`) or by a noun (`the ministry accused`)."""
    for child in verb.children:
        if child.dep_ in _SUBJECTS:
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


def _opening_act(token: Token) -> str:
    """The act a subjectless opening names, as resolutions and communiqués open their clauses
    (`Condemns the attacks…`, `Welcoming the agreement…`, `Demands that…`; the tagger often reads
    the verb as a plural noun); "" for any other opening, an imperative included."""
    lemma = ACT_OPENINGS.get(token.lower_, "")
    if not lemma or not token.text[:1].isupper() or lemma in LIGHT_VERBS:
        return ""  # `Reaffirms its condemnation`: the act is the noun's
    if any(child.dep_ in _SUBJECTS for child in token.children):
        return ""
    return _act_class(lemma)


def _nominal_act(token: Token) -> str:
    """The act a noun names when a party performs it: the object of a verb that hands it on
    (`expressed its condemnation`, `reiterates its call`), a noun whose need a speaker stresses
    (`the importance of dialogue`) or a noun joined to one (`regret and concern`); concern is
    disapproval only when intensified (`deep concern`)."""
    act = NOMINAL_ACTS.get(token.lower_) or NOMINAL_ACTS.get(token.lemma_.lower(), "")
    if not act:
        return ""
    base = token.head if token.dep_ == "conj" else token
    performed = base.head.lemma_.lower() in LIGHT_VERBS or any(c.dep_ == "poss" for c in token.children)
    if not performed and not _asked_for(base):
        return ""
    return _weighed(act, [*token.children, *(token.head.children if token.dep_ == "conj" else ())])


def _asked_for(token: Token) -> bool:
    """`the importance of dialogue`, `the need for closer coordination`, `the importance of
    strengthening cooperation`: a noun whose need the speaker stresses is what they ask for."""
    head = token.head
    if head.pos_ == "VERB" and head.dep_ == "pcomp":
        head = head.head
    return head.lower_ in ("of", "for") and head.head.lemma_.lower() in NEED_NOUNS


def _stance_act(token: Token) -> str:
    """The act an adjective of stance names when it is said of a party (`The Council is alarmed by`,
    `We are grateful to`, `Deeply concerned at…`); concern is disapproval only when intensified."""
    act = STANCE_ADJECTIVES.get(token.lower_, "")
    if not act or token.dep_ not in ("acomp", "ROOT", "conj"):
        return ""
    return _weighed(act, list(token.children))


def _named_act(token: Token) -> tuple[str, str]:
    """How an act is named without a verb of its own, and its class: by a noun (`nominal`) or by an
    adjective of stance (`stance`); ("", "") for neither."""
    if token.pos_ in ("NOUN", "PROPN") and (act := _nominal_act(token)):
        return "nominal", act
    if act := _stance_act(token):
        return "stance", act
    return "", ""


def _weighed(act: str, modifiers: list[Token]) -> str:
    """Concern (`statement`) is disapproval when intensified (`deep concern`, `gravely concerned`)."""
    return "conflict" if act == "statement" and any(m.lower_ in INTENSIFIERS for m in modifiers) else act


_OBLIGING_MODALS = frozenset(["must", "should", "ought"])
_OBLIGING_VERBS = frozenset(["have", "need"])  # `has to allow`, `needs to pay`
_EVERY_SIDE = frozenset(["both", "all", "each", "every", "everyone", "everybody"])


def _obliged(verb: Token) -> str:
    """On whom a verb lays an obligation: `Iran must cooperate`, `the club has to pay` (a party: a
    demand, however friendly its words), `both sides must return`, `the government and the rebels
    must` (every side: an appeal), `we must` (the speaker's own side); "" for none, for a passive
    rule (`applications must be submitted`), for a modal before its subject (`Should the union
    agree, we will…`, `Must we wait?`: a condition or a question) and for an obligation denied
    (`you don't have to agree`; `must not` still binds)."""
    modal = next((c for c in verb.children if c.dep_ == "aux" and c.lemma_.lower() in _OBLIGING_MODALS), None)
    if modal is not None:
        obliging = verb
    elif verb.dep_ == "xcomp" and verb.head.lemma_.lower() in _OBLIGING_VERBS and not _denied(verb.head):
        obliging = verb.head
    else:
        return ""
    subject = next(
        (
            c
            for c in obliging.children
            if c.dep_ == "nsubj" or (c.dep_ == "nsubjpass" and obliging.lemma_.lower() in ("allow", "permit"))
        ),
        None,
    )  # `Iran must not be allowed to…`
    if subject is None or (modal is not None and modal.i < subject.i):
        return ""
    if subject.lower_ in _EVERY_SIDE or any(
        c.dep_ == "conj" or c.lower_ in _EVERY_SIDE for c in subject.children
    ):
        return "every_side"
    kind = _subject_kind(obliging)
    if kind == "first":
        return "own_side"
    if kind == "noun" and not any(
        c.dep_ == "poss" or (c.dep_ == "det" and c.lower_ not in ("a", "an", "any")) for c in subject.children
    ):
        return "anyone"  # `Passengers must show a ticket`: a rule for whoever it concerns
    return "party"


def _denied(verb: Token) -> bool:
    """`did not reject`, `nobody rejected`, `no country rejected`: the act did not happen."""
    return any(
        child.dep_ == "neg"
        or (
            child.dep_ in _SUBJECTS
            and (_is_negation(child) or any(c.dep_ == "det" and _is_negation(c) for c in child.children))
        )
        for child in verb.children
    )


_WINDING_DOWN = frozenset(["out", "off", "down", "back"])  # `pull out`, `call off`, `lay down`


def _step(token: Token) -> str:
    """Which way a step moves, by what it is taken with: `lifted the sanctions`, `will withdraw its
    troops`, `restored ties` move toward the other side; `imposed a curfew`, `suspended aid`, `a
    suspension of air links` against it; "" for any other word."""
    if token.pos_ == "VERB":
        taken = [c for c in token.children if c.dep_ in ("dobj", "nsubjpass")]
    elif token.pos_ == "NOUN":
        taken = [g for c in token.children if c.lower_ == "of" for g in c.children if g.dep_ == "pobj"]
    else:
        return ""
    lemma = token.lemma_.lower()
    removing = lemma in REMOVING or any(c.dep_ == "prt" and c.lower_ in _WINDING_DOWN for c in token.children)
    if not (removing or lemma in IMPOSING):
        return ""
    things = [t for taken_thing in taken for t in (taken_thing, *taken_thing.conjuncts)]
    modifiers = [c for t in things for c in t.children if c.dep_ == "amod"]  # `martial law`
    for thing in things + modifiers:
        what = thing.lemma_.lower()
        if what in PRESSURE or what in TIES:
            return "toward" if lemma in RELEASING or removing == (what in PRESSURE) else "against"
    return ""


_CONDITIONS = frozenset(["until", "unless"])  # `no deal until they withdraw`: the price asked
_ASKED_THROUGH = ("xcomp", "ccomp", "dobj", "pobj", "prep", "advcl")  # `urged them to`, `called for`


def _asked(step: Token) -> bool:
    """`urged Moscow to withdraw its troops`, `demanded the withdrawal of…`, `the need for the union
    to call off…`, `no deal until they withdraw`: a step asked of a party, not taken by it (one an
    obligation lays on a party, `Iran must release…`, is in `_asked_of_a_party`)."""
    node = step
    while True:
        if any(c.dep_ == "mark" and c.lower_ in _CONDITIONS for c in node.children):
            return True
        if node.dep_ not in _ASKED_THROUGH or node.head is node:
            return False
        node = node.head
        if node.lemma_.lower() in ASKING_VERBS or node.lemma_.lower() in NEED_NOUNS:
            return True


def head_verbs(tokens: Iterable, scopes: Scopes | None = None) -> str:
    """The acts a third-person report names, as features: each verb of an act whose subject is an
    actor (`The ministry accused Washington…`, `Both sides agreed…`; in a report, also `…said it
    would retaliate`), with its lemma, its act class and the kind of subject, `NOT_` on the class when
    the verb is negated; a resolution's subjectless clause (`Condemns…`), an act named by a noun
    (`expressed its deep concern`) and a stance said with an adjective (`is alarmed by`) count too,
    as does on whom an obligation is laid (`obliged_party`, `obliged_every_side`, `obliged_own_side`,
    `obliged_anyone`), an act asked of one party counting as asked (`asked_cooperation`), not done,
    and which way a step moves (`step_toward` for `lifted the sanctions`, `step_against` for
    `suspended aid`), whoever takes it, is asked to (`step_asked_toward` for `urged them to lift
    the sanctions`) or is forecast to (`step_expected_toward` for `pessimistic about the chances of
    resuming talks`); an act verb's class follows its step (`extended the curfew`).
    A bare report has no reporting verb for the cue feature to read, and its head verb is the act
    event coders label; a speaker's own words (`we`, `I`) are left to the other features, unless
    they name the act with a noun or an adjective."""
    tokens = [t for t in tokens if not t.is_space]
    forecast, asked = scopes or Scopes.of(tokens)
    report = any(t.dep_ == "ROOT" and _subject_kind(t) in _ACTORS for t in tokens)
    out = []
    first_word = next((t for t in tokens if t.is_alpha), None)
    if first_word is not None and (act := _opening_act(first_word)):
        out += [f"act_{act}", f"clause_{act}"]
    for token in tokens:
        step = _step(token)
        if step:
            mood = (
                "expected_" if token.i in forecast else "asked_" if token.i in asked or _asked(token) else ""
            )
            out.append(f"step_{mood}{'NOT_' * _denied(token)}{step}")
        how, act = _named_act(token)
        if act:
            out += [f"asked_{act}"] if token.i in asked else [f"act_{act}", f"{how}_{act}"]
            continue
        if token.pos_ not in ("VERB", "AUX"):
            continue
        bound = _obliged(token)
        if bound:
            out.append(f"obliged_{bound}")
        kind, lemma = _subject_kind(token), token.lemma_.lower()
        act = _act_class(lemma)
        if act and step:
            act = "cooperation" if step == "toward" else "conflict"  # `extended the curfew`
        if act and token.i in asked:
            out.append(f"asked_{act}")  # demanded of a party, not done by it
            continue
        if not act or not (kind in _ACTORS or (report and kind == "third")):
            continue
        if _denied(token):
            act = f"NOT_{act}"
        out += [f"verb_{lemma}", f"act_{act}", f"{kind}_{act}"]
    return " ".join(out) or "noverb"


MAX_PARSED_CHARS = 5_000


def record(text: str, tokens: Doc | Span, cue: str | None = None, context: str | None = None) -> dict:
    """The model's input for one statement; `tokens` are its spaCy tokens (a Doc or a Span of one)."""
    scopes = Scopes.of([t for t in tokens if not t.is_space])
    return {
        "text": text,
        "marked": marked_lemmas(tokens, scopes),
        "head": head_verbs(tokens, scopes),
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
