"""Attribute each quotation to a cue and a speaker mention, using the parse and the text's layout.

Rules, tried in order for each quotation (an Attribution's `how` names the one that fired):
  after      a short attribution follows it (`“…,” said Bonnie Glaser, …`, `“…?” Trump asked.`);
  ancestor   the quotation hangs in the parse from a reporting verb (`Qin said Taiwan is “…”`);
  before     its sentence leads in with one (`Glaser told VOA, “…”`, `According to X, “…”`);
  colon      a bare name and a colon lead in (`Trump: ‘I’m the worst thing …’`);
  dash       a dash and a name follow it (`“…” — Sen. Jane Doe`);
  lead-in    the paragraph before ends in a colon after a cue (`Xi said:` / `The Times reports:`);
  byline     a line holding just a name follows the quotation's paragraph;
  continues  no cue of its own: it goes on with the quotation before it (the next part of a split
             quotation, or a paragraph of quotation after the speaker's previous one).
Fragments that one cue reports together (`called it “divisive” and “mean-spirited”`) are joined into
one quotation: one statement, quoted in pieces, with only the writer's connecting words between.
"after" goes first when the quotation opens its sentence or ends in `,” ?” !”`, the shapes that
announce an attribution to follow; otherwise the parse is trusted first.
Quotations no rule attributes are kept when they read as statements; short ones, and quoted titles,
are scare quotes, titles or nicknames: `speech` is False for them.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from spacy.tokens import Doc, Span, Token

from quotes.lexicon import (
    ANONYMOUS_NOUNS,
    CUE_FORMS,
    CUE_NOUNS,
    CUE_VERBS,
    GROUP_NOUNS,
    NON_CUE_VERBS,
    ORGANIZATION_NOUNS,
    PERSONAL_PRONOUNS,
    RELATIVE_PRONOUNS,
    ROLE_NOUNS,
    SAYING_VERBS,
    SPEAKING_NOUNS,
    TITLE_CASE_LOWER,
    TITLE_NOUNS,
    TITLE_VERBS,
    WEAK_CUE_VERBS,
)
from quotes.marks import QuoteSpan
from quotes.pipeline import is_age, sentence_of

_SUBJECT_DEPS = ("nsubj", "nsubjpass", "csubj")
_NOMINAL_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "pobj", "compound", "attr", "poss", "amod"})
_CREDIT_WORDS = frozenset({"getty", "images", "photo", "photos", "afp", "reuters", "ap", "epa", "file"})
_RELAYING_VERBS = frozenset({"report", "quote", "cite"})
_DASHES = frozenset({"—", "–", "-", "--", "―"})
_SENTENCE_END = frozenset({".", "!", "?", "…"})
_OPEN_ENDINGS = frozenset({",", "?", "!"}) | _DASHES  # `“…,” he said`: an attribution follows
_CONDITIONS = frozenset({"if", "unless", "because", "although", "though", "whether", "once", "until"})
_HEARER_VERBS = frozenset({"tell", "ask", "assure", "inform", "remind", "warn", "urge", "reassure"})
_MAX_AFTER_TOKENS = 20  # how far after a quotation its attribution may start
_MAX_MISREAD_TOKENS = 10  # how long a speaker's noun phrase may be before a misread cue
_CONNECTIVE_POS = frozenset({"ADV", "CCONJ", "SCONJ", "INTJ", "PUNCT"})
_MAX_ANCESTOR_STEPS = 8
_CLAUSE_WINDOW = 200  # tokens scanned either side of a quotation for its clause (news sentences are shorter)
_HEADLINE_TOKENS = 30
_MAX_NEARBY = 25  # how far back a subject the parser lost may be
_SCARE_QUOTE_WORDS = 4  # unattributed quotations this short are not taken for statements
_MAX_JOINING_TOKENS = 12  # how many of the writer's words may connect two fragments of one statement
_MAX_CLAUSE_JOINING_TOKENS = 30  # … when both fragments sit in the one clause their cue reports
_NOT_JOINING = frozenset({".", "…", ":", ";"}) | _DASHES  # the writer moves on after these
_CUE_RULES = frozenset(
    {"after", "ancestor", "before", "lead-in", "colon", "dash", "byline", "according-to", "words-of"}
)


@dataclass
class Attribution:
    """What the rules found for one quotation; token-level, while the Doc is alive."""

    quote: QuoteSpan
    kind: str  # "direct" | "partial"
    cue: Span | None = None
    mention: Span | None = None
    how: str | None = None
    speech: bool = True  # False for scare quotes, titles and nicknames


Found = tuple[Span | None, Span | None]  # (cue, speaker mention)


class _Layout:
    """Where each token sits: in which quotation, paragraph and (quotation-aware) sentence."""

    def __init__(self, doc: Doc, offset: int, quotes: list[QuoteSpan], paragraphs: list[tuple[int, int]]):
        self.doc = doc
        starts = doc.to_array("IDX").astype(np.int64) + offset
        self.starts = starts.tolist()
        self.space = doc.to_array("IS_SPACE").astype(bool).tolist()
        # memos of what several quotations of one sentence or paragraph ask for
        self.clause_before: dict[int, list[int]] = {}
        self.paragraph_cue: dict[int, bool] = {}
        self.in_quote = [-1] * len(doc)
        self.quote_tokens: list[tuple[int, int]] = []
        for qi, q in enumerate(quotes):
            first, last = self.token_at(q.start), self.token_at(q.end - 1) + 1
            self.quote_tokens.append((first, last))
            self.in_quote[first:last] = [qi] * (last - first)
        paragraph = np.searchsorted([s for s, _ in paragraphs], starts, side="right") - 1
        self.paragraph = paragraph.tolist()
        # a sentence starts at a paragraph change or after a token that ends one; only full stops
        # and closing marks can end one, so only those are examined
        boundary = np.zeros(len(doc), dtype=np.int64)
        boundary[1:] = paragraph[1:] != paragraph[:-1]
        candidates = {t.i for t in doc if t.text in _SENTENCE_END} | {
            last - 1 for _, last in self.quote_tokens
        }
        for i in candidates:
            if i + 1 < len(doc) and not boundary[i + 1] and self._ends_sentence(i):
                boundary[i + 1] = 1
        self.sentence = np.cumsum(boundary).tolist()

    def paragraph_tokens(self, paragraph: int) -> Span:
        """The tokens of one paragraph (paragraph ids only grow along the doc)."""
        start = bisect.bisect_left(self.paragraph, paragraph)
        return self.doc[start : bisect.bisect_right(self.paragraph, paragraph)]

    def sentence_tokens(self, sentence: int) -> Span:
        """The tokens of one sentence (sentence ids only grow along the doc)."""
        start = bisect.bisect_left(self.sentence, sentence)
        return self.doc[start : bisect.bisect_right(self.sentence, sentence)]

    def token_at(self, char: int) -> int:
        return max(0, bisect.bisect_right(self.starts, char) - 1)

    def roots(self, qi: int) -> list[Token]:
        """The tokens of quotation qi whose head lies outside it: where it hangs in the parse."""
        first, last = self.quote_tokens[qi]
        return [t for t in self.doc[first:last] if self.in_quote[t.head.i] != qi]

    def outside(self, i: int) -> bool:
        return self.in_quote[i] < 0 and not self.space[i]

    def next_word(self, i: int) -> int | None:
        """The first non-space token after token i, if any."""
        i += 1
        while i < len(self.doc) and self.doc[i].is_space:
            i += 1
        return i if i < len(self.doc) else None

    def _ends_sentence(self, i: int) -> bool:
        """Outside full stops end sentences; so does a closing mark after a full stop, unless a bare
        attribution (`“…?” Trump asked.`) follows it."""
        qi = self.in_quote[i]
        if qi < 0:
            return self.doc[i].text in _SENTENCE_END
        first, last = self.quote_tokens[qi]
        if i != last - 1 or last - 1 <= first or self.doc[last - 2].text not in _SENTENCE_END:
            return False
        following = self.next_word(i)
        if following is None or self.in_quote[following] >= 0 or not self.doc[following].text[:1].isupper():
            return False
        return not self._bare_attribution(following)

    def _bare_attribution(self, start: int) -> bool:
        """A reporting verb within a few words that takes no complement of its own."""
        for token in self.doc[start : start + 12]:
            if token.text in _SENTENCE_END or self.in_quote[token.i] >= 0:
                return False
            if token.pos_ == "VERB" or _is_cue_verb(token, weak_ok=False):
                # a clause of its own (`He said he would …`) starts a new sentence; a hearer does not;
                # after `?”` or `!”` any verb with its subject reports it (`“…?” Hannity pressed.`)
                own = [
                    c
                    for c in token.children
                    if self.in_quote[c.i] < 0
                    and (
                        (c.dep_ in ("ccomp", "xcomp") and not _participle_aside(c))
                        or (c.dep_ == "dobj" and not _takes_hearer(token))
                    )
                ]
                asked = self.doc[start - 2].text in ("?", "!") and token.lemma_.lower() not in NON_CUE_VERBS
                return (_is_cue_verb(token, weak_ok=False) or asked) and not own
        return False


def _participle_aside(clause: Token) -> bool:
    """`“…?” Sanders asked, shaking his head`: a participle with no subject of its own describes the
    speaker; it is not what the verb reports."""
    return clause.tag_ == "VBG" and not any(c.dep_ in _SUBJECT_DEPS for c in clause.children)


def _takes_hearer(verb: Token) -> bool:
    """`told reporters`, `asked him`: the object of these verbs is who heard the words, not a topic."""
    return verb.lemma_.lower() in _HEARER_VERBS


def attribute(
    doc: Doc, quotes: list[QuoteSpan], paragraphs: list[tuple[int, int]], offset: int = 0
) -> list[Attribution]:
    """One Attribution per quotation in `quotes` (all inside `doc`, whose text starts at `offset`)."""
    if not quotes:
        return []
    layout = _Layout(doc, offset, quotes, paragraphs)
    results: list[Attribution] = []
    for qi, quote in enumerate(quotes):
        result = _attribute_one(layout, qi, quote)
        if result.how is None and not _in_headline(layout, layout.quote_tokens[qi][0]):
            _fall_back(layout, qi, result, results)
        result.speech = _is_speech(layout, qi, result) and not _inside_party(layout, qi, result)
        results.append(result)
    return _join_fragments(layout, results)


def _join_fragments(layout: _Layout, results: list[Attribution]) -> list[Attribution]:
    """One Attribution for fragments of one statement: quoted speech after the same cue and speaker,
    in one sentence, with only the writer's connecting words or the rest of the one clause the cue
    reports between (`a “stiff” and accused him of “…”` is two)."""
    joined: list[Attribution] = []
    for qi, result in enumerate(results):
        prev = joined[-1] if joined else None
        if prev is not None and _one_statement(layout, prev, result, qi):
            prev.quote = QuoteSpan(
                prev.quote.start, result.quote.end, prev.quote.open_mark, result.quote.close_mark
            )
            if result.kind == "partial":
                prev.kind = "partial"
        else:
            joined.append(result)
    return joined


def _one_statement(layout: _Layout, prev: Attribution, result: Attribution, qi: int) -> bool:
    if not (prev.speech and result.speech) or result.cue is None or prev.cue is None:
        return False
    if prev.quote.close_mark is None or prev.quote.continued or result.quote.close_mark is None:
        return False
    if prev.cue.start != result.cue.start or _start(prev.mention) != _start(result.mention):
        return False
    last, first = layout.quote_tokens[qi - 1][1], layout.quote_tokens[qi][0]
    between = [t for t in layout.doc[last:first] if not t.is_space]
    if layout.sentence[last - 1] != layout.sentence[first] or any(t.text in _NOT_JOINING for t in between):
        return False
    if len(between) <= _MAX_JOINING_TOKENS and not any(t.pos_ in ("VERB", "AUX") for t in between):
        return True
    # `said the “danger” came from Trump’s ability … while “allowing …”`: one clause the cue reports
    clause = _reported_clause(layout, qi - 1, prev.cue.root)
    return (
        clause is not None
        and clause.dep_ in ("ccomp", "xcomp")
        and clause == _reported_clause(layout, qi, prev.cue.root)
        and len(between) <= _MAX_CLAUSE_JOINING_TOKENS
        and not any(_is_cue_verb(t, weak_ok=False) for t in between)
    )


def _reported_clause(layout: _Layout, qi: int, cue: Token) -> Token | None:
    """The cue's child whose subtree holds the quotation, if the quotation hangs from the cue."""
    node = next(iter(layout.roots(qi)), None)
    for _ in range(_MAX_ANCESTOR_STEPS if node is not None else 0):
        if node.head.i == cue.i and node.i != cue.i:
            return node
        if node.head.i == node.i:
            break
        node = node.head
    return None


def _start(span: Span | None) -> int | None:
    return span.start if span is not None else None


Rule = Callable[[_Layout, int, int, list[int], list[int]], Found | None]


def _attribute_one(layout: _Layout, qi: int, quote: QuoteSpan) -> Attribution:
    first, last = layout.quote_tokens[qi]
    before, after = _clause_before(layout, first), _clause_after(layout, last)
    attribution = Attribution(quote, _kind(layout, first, last, before))
    # a bare name before the colon labels the speaker, whatever verb the parse hangs it from
    rules: tuple[tuple[str, Rule], ...] = (
        ("before", _lead_verb),
        ("colon", _name_colon),
        ("ancestor", _ancestor),
        ("before", _before),
        ("after", _after),
    )
    if _stands_alone(layout, first, last, before, after):
        rules = (
            ("before", _lead_verb),
            ("colon", _name_colon),
            ("after", _after),
            ("ancestor", _ancestor),
            ("before", _before),
        )
    rules += (("colon", _clause_colon), ("dash", _dash), ("lead-in", _lead_in), ("byline", _byline))
    for how, rule in rules:
        found = rule(layout, first, last, before, after)
        if found is not None:
            attribution.cue, attribution.mention = found
            attribution.how = how
            break
    return attribution


def _stands_alone(layout: _Layout, first: int, last: int, before: list[int], after: list[int]) -> bool:
    """Whether the quotation opens its sentence (or follows a colon or a dash), or is followed at once by
    a bare attribution (`,” she said.`): then the words after it name its speaker, whatever the parse
    says."""
    doc = layout.doc
    if not any(doc[i].is_alpha for i in before):
        return True
    # `her record—“the longest expansion”—and promised`: between two dashes it is an aside
    aside = bool(after) and doc[before[-1]].text in _DASHES and doc[after[0]].text in _DASHES
    if doc[before[-1]].text in {":"} | _DASHES and not aside:
        return True
    if any(_is_cue_verb(doc[i], weak_ok=False) for i in before):
        return False  # `Her friends mocked him, calling Trump “an orange buffoon,” Susan said`
    if last - 2 < first or doc[last - 2].text not in _OPEN_ENDINGS or not after:
        return False
    verbs = [doc[i] for i in after[:6] if doc[i].pos_ == "VERB"]
    return bool(verbs) and verbs[0].tag_ != "VBG" and _is_cue_verb(verbs[0], weak_ok=False)


def _clause_before(layout: _Layout, first: int) -> list[int]:
    """Outside tokens of the quotation's sentence before it, in order, at most `_CLAUSE_WINDOW` tokens
    away: a "sentence" without full stops (a list, a page of quote marks) must not make this quadratic."""
    if first not in layout.clause_before:
        sentence, i, found = layout.sentence[first], first - 1, []
        while i >= max(0, first - _CLAUSE_WINDOW) and layout.sentence[i] == sentence:
            if layout.outside(i):
                found.append(i)
            i -= 1
        layout.clause_before[first] = found[::-1]
    return layout.clause_before[first]


def _clause_after(layout: _Layout, last: int) -> list[int]:
    """Outside tokens of the quotation's sentence after it, in order."""
    sentence = layout.sentence[last - 1]
    found = []
    for i in range(last, min(len(layout.doc), last + _CLAUSE_WINDOW)):
        if layout.sentence[i] != sentence:
            break
        if layout.outside(i):
            found.append(i)
    return found


def _kind(layout: _Layout, first: int, last: int, before: list[int]) -> str:
    """Direct when the quotation stands as a statement; partial when the writer's sentence embeds it."""
    doc, qi = layout.doc, layout.in_quote[first]
    standalone = not before or doc[before[-1]].text in {":", ",", "(", "["} | _DASHES
    lead = doc[before[-1]] if before else None
    root = next((t for t in layout.roots(qi) if not t.is_punct), None)
    opens_clause = (
        root is not None
        and root.pos_ in ("VERB", "AUX")
        and any(c.dep_ in _SUBJECT_DEPS and layout.in_quote[c.i] == qi for c in root.children)
    )
    introduced = standalone or lead.lower_ in ("that", "and", "but") or _is_cue_verb(lead, weak_ok=True)
    if opens_clause and introduced:
        return "direct"  # `Wang said that “the United States views …”`, `and “they agreed to …”`
    ends_statement = last - 2 > first and doc[last - 2].text in (".", ",", "!", "?")
    return "direct" if standalone and ends_statement else "partial"  # vs `is “the core of …”`


# -- the rules ---------------------------------------------------------------------------------------


def _ancestor(layout: _Layout, first: int, last: int, before: list[int], after: list[int]) -> Found | None:
    qi = layout.in_quote[first]
    roots = layout.roots(qi)
    roots.sort(key=lambda t: t.is_punct)  # the quotation's words link more reliably than its marks
    for root in roots:
        node, weak, strong, inner = root, None, None, root
        for _ in range(_MAX_ANCESTOR_STEPS):
            node = node.head
            if layout.sentence[node.i] != layout.sentence[first]:
                break  # a split quotation's next part continues its speaker instead
            if layout.in_quote[node.i] < 0 and not _negated(node):
                found = _from_cue(layout, node, weak_ok=True)
                if found is not None and node.lemma_.lower() in WEAK_CUE_VERBS:
                    weak = weak or found  # `He says he believes …`: thinking defers to saying above it
                    if node.dep_ == "conj" and any(c.dep_ in _SUBJECT_DEPS for c in node.children):
                        break  # `Ryan saying … and Trump calling it a “…”`: a joined clause, its own speaker
                elif found is not None and found[1] is not None:
                    if node.lemma_.lower() in _RELAYING_VERBS:
                        break  # `Qin told Blinken …, state media reported`: the outlet only relays it
                    if strong is None:
                        strong, inner = found, node
                    elif node.lemma_.lower() in SAYING_VERBS and _reported_by(
                        inner, node, strong[1], found[1]
                    ):
                        strong = found  # `Miller said Blinken stressed the “…”`: the outer speaker's words
            if node.head.i == node.i:
                break
        if strong or weak:
            return strong or weak
    return None


def _negated(verb: Token) -> bool:
    """`for not calling the attack “radical Islamic terrorism”`: words somebody did not say."""
    return any(c.dep_ == "neg" for c in verb.children)


def _reported_by(inner: Token, outer: Token, inner_mention: Span, outer_mention: Span) -> bool:
    """Whether the inner reporting verb's clause is what the outer one reports (`Miller said, adding
    that Blinken stressed …`), rather than a relative clause or an aside. A pronoun inner subject defers
    to a named outer one (`Trump said he asked his “people”`: the name, not a pronoun to resolve, or
    `critics say he proposed to “dismantle” it`: their word); two pronouns keep the inner speaker."""
    if inner_mention.root.pos_ == "PRON" and outer_mention.root.pos_ == "PRON":
        return False
    node = inner
    while node.i != outer.i and node.dep_ in ("ccomp", "advcl", "conj", "xcomp"):
        if node.dep_ == "advcl" and any(c.dep_ == "mark" for c in node.children):
            return False  # `Axelrod tweeted after Clinton argued that “…”`: a time, not a report
        if (
            node.dep_ == "conj"
            and node.head.i == outer.i
            and any(c.dep_ in _SUBJECT_DEPS for c in node.children)
        ):
            return False  # `Cruz said …, and Trump vowed to “…”`: a clause of its own beside the outer one
        node = node.head
    return node.i == outer.i


def _after(layout: _Layout, first: int, last: int, before: list[int], after: list[int]) -> Found | None:
    doc = layout.doc
    window = after[:_MAX_AFTER_TOKENS]
    # `“…,” and donations rose, Gilbert said`: the writer's own clause comes before the attribution
    joined = bool(window) and doc[window[0]].pos_ == "CCONJ"
    # `“…,” an angry Hollande retaliated`: any verb reports a quotation that opens its sentence
    any_verb = (
        not joined
        and last - 2 >= first
        and doc[last - 2].text in _OPEN_ENDINGS
        and _opens_sentence(layout, before)
    )
    for n, i in enumerate(window):
        token = doc[i]
        if layout.in_quote[i - 1] not in (-1, layout.in_quote[first]):
            joined = False  # `“maybe” and “perhaps”, he said`: quoted words joined, not the writer's clause
        if token.lower_ == "according":
            return _from_cue(layout, token, weak_ok=False)
        if token.pos_ not in ("VERB", "AUX") or _is_aside(token):
            continue  # `“…,” Dan Ortiz, who advises the bank, said`: the relative clause is an aside
        following = layout.next_word(token.i)
        if following is not None and doc[following].text == ":":
            return None  # `Mr. Zahed said: “…”` introduces the next quotation, not this one
        found = _from_cue(layout, token, weak_ok=False)
        finite = (
            (token.tag_ in ("VBD", "VBZ", "VBP") or _bare_past_participle(token))
            and not token.is_title
            and token.dep_ not in ("amod", "acl")
        )
        if found is None and any_verb and finite and token.lemma_.lower() not in NON_CUE_VERBS:
            found = (doc[i : i + 1], _mention_of(layout, _subject(token)))
        if found is None:
            if joined:
                continue
            return None  # the sentence goes on about something else
        cue, mention = found
        return cue, mention or _noun_phrase_between(layout, window[:n]) or _noun_phrase_after(
            layout, window[n + 1 :]
        )
    return _misread_cue(layout, window) if any_verb else None


def _bare_past_participle(verb: Token) -> bool:
    """`“…,” Trump barked and …`: a past tense the tagger read as a participle, heading its sentence
    with no auxiliary."""
    return (
        verb.tag_ == "VBN"
        and verb.dep_ == "ROOT"
        and not any(c.dep_ in ("aux", "auxpass") for c in verb.children)
    )


def _misread_cue(layout: _Layout, window: list[int]) -> Found | None:
    """`“…,” the editorial read.`, `“…,” a voice-over in the ad states.`: a noun phrase, then a form of
    a reporting verb that the tagger took for a noun, ending the clause."""
    doc = layout.doc
    for n, i in enumerate(window[:_MAX_MISREAD_TOKENS]):
        token = doc[i]
        if n and (token.lower_ in CUE_FORMS or token.lower_ in SAYING_VERBS):
            following = layout.next_word(i)
            if following is None or following not in window or doc[following].pos_ in ("ADP", "ADV", "PUNCT"):
                return doc[i : i + 1], doc[window[0] : i]
        if token.pos_ not in ("DET", "ADJ", "NOUN", "PROPN", "NUM", "ADP", "PUNCT"):
            return None
    return None


def _is_aside(verb: Token) -> bool:
    """A verb inside the speaker's description rather than the attribution's own verb: an auxiliary,
    a relative clause, or a participle (`Miller, a retired teacher, said`); a clause the parser hung
    from the quotation keeps its verb when it has its own subject (`“…,” Ash wrote in an email`)."""
    if verb.dep_ == "acl":
        if (
            verb.i
            and verb.doc[verb.i - 1].text == ","
            and verb.tag_ != "VBG"
            and _is_cue_verb(verb, weak_ok=False)
        ):
            return False  # `“…,” the nominee, Donald Trump, tweeted`: the verb after the appositive
        return not any(c.dep_ in _SUBJECT_DEPS for c in verb.children)
    if verb.dep_ == "relcl" and _is_cue_verb(verb, weak_ok=False):
        # `“…records” that would respond to …, counsel Caroline Wolverton wrote`: the parser hung the
        # attribution from a quoted noun; set off by a comma, with a subject and no `who`, `which` or
        # `that`, it is no relative clause
        start = verb.left_edge.i
        set_off = start > 0 and verb.doc[start - 1].text == ","
        has_subject = any(c.dep_ in _SUBJECT_DEPS for c in verb.children)
        relative = any(t.tag_ in ("WDT", "WP", "WP$") or t.lower_ in RELATIVE_PRONOUNS for t in verb.subtree)
        return not (set_off and has_subject) or relative
    return verb.dep_ in ("aux", "auxpass", "relcl", "amod")


def _opens_sentence(layout: _Layout, before: list[int]) -> bool:
    return not any(layout.doc[i].is_alpha for i in before) or layout.doc[before[-1]].text == ":"


def _lead_verb(layout: _Layout, first: int, last: int, before: list[int], after: list[int]) -> Found | None:
    """`the heckler yelled: “…”`, `Hillary shot back, “…”`: the verb right before the quotation."""
    return _verb_then_comma(layout, before)


def _before(layout: _Layout, first: int, last: int, before: list[int], after: list[int]) -> Found | None:
    for i in reversed(before):
        found = _from_cue(layout, layout.doc[i], weak_ok=False)
        if found is not None:
            return found
    return None


def _verb_then_comma(layout: _Layout, before: list[int]) -> Found | None:
    """`Hillary Clinton cracked, “…”`, `Sanders shot back, “…”`: whatever verb leads straight into a
    quotation after a comma or colon is reporting it."""
    doc = layout.doc
    if not before:
        return None
    if doc[before[-1]].text in (",", ":") and len(before) >= 2:
        n = len(before) - 2
        while n > 0 and doc[before[n]].dep_ in ("prt", "advmod") and doc[before[n]].pos_ in ("ADP", "ADV"):
            n -= 1  # `shot back,`, `fired back forcefully:`
        verb = doc[before[n]]
    elif _is_cue_verb(doc[before[-1]], weak_ok=False):
        verb = doc[before[-1]]  # `the crowd chanted “Build the wall!”`
    else:
        return None
    is_verb = verb.pos_ == "VERB" and verb.tag_ in ("VBD", "VBZ", "VBP", "VBG")
    if not (is_verb or verb.lower_ in CUE_FORMS) or verb.lemma_.lower() in NON_CUE_VERBS:
        return None
    if _passive_without_agent(verb) or any(
        c.dep_ == "mark" and c.lower_ in _CONDITIONS for c in verb.children
    ):
        return None  # `if the U.S. pulls back, “…”`: a condition leads in, not a report
    subject = _speaker_subject(layout, verb)
    if subject is None or not _can_speak(subject):
        return None
    cue_end = before[-1] if doc[before[-1]].is_punct else before[-1] + 1
    return doc[verb.i : cue_end], _mention_of(layout, subject, near=verb)


def _colon_lead(layout: _Layout, before: list[int]) -> list[Token]:
    """The words between a colon (or, for a whole clause, a dash) just before the quotation and the
    start of their clause."""
    doc = layout.doc
    if not before or doc[before[-1]].text not in {":"} | _DASHES:
        return []
    lead = []
    for i in reversed(before[:-1]):
        if (doc[i].text in _DASHES and not _hyphen_in_word(doc[i])) or doc[i].text in _SENTENCE_END:
            break
        lead.append(doc[i])
    return lead


def _name_colon(layout: _Layout, first: int, last: int, before: list[int], after: list[int]) -> Found | None:
    """`Trump: ‘…’`, `Pollsters agree - Carl Bialik: “…”`: a bare name right before the colon, or
    after the reporting verb that opens its sentence (`Continued Stone: “…”`)."""
    lead = _colon_lead(layout, before)  # nearest the colon first
    cue = None
    if len(lead) > 1 and lead[-1].lower_ in CUE_FORMS and _opens_sentence(layout, before[: -len(lead) - 1]):
        cue, lead = layout.doc[lead[-1].i : lead[-1].i + 1], lead[:-1]
    if not lead or layout.doc[before[-1]].text != ":" or any(t.pos_ in ("VERB", "AUX") for t in lead):
        return None
    bracketed = _in_parentheses(lead)
    names = [
        t
        for t in lead
        if (t.pos_ == "PROPN" or t.ent_type_ in ("PERSON", "ORG") or (t.is_title and t.pos_ == "NOUN"))
        and t.ent_type_ not in ("DATE", "TIME")  # `Clinton in December 1992: “…”`
        and t.i not in bracketed  # `Rep. Trey Gowdy (R-S.C.): “…”`
    ]
    people = [t for t in names if t.ent_type_ in ("PERSON", "ORG")]
    if not names or len(lead) > 8:
        return None
    mention = _mention((people or names)[0])
    # within the lead: the parse may take the verb or the words before a dash for part of the name
    return cue, layout.doc[max(mention.start, lead[-1].i) : mention.end]


def _in_parentheses(lead: list[Token]) -> set[int]:
    """The tokens of a colon's lead-in (read from the colon back) that stand inside parentheses."""
    inside, depth = set(), 0
    for token in lead:
        if token.text == ")":
            depth += 1
        elif token.text == "(":
            depth = max(0, depth - 1)
        elif depth:
            inside.add(token.i)
    return inside


def _clause_colon(
    layout: _Layout, first: int, last: int, before: list[int], after: list[int]
) -> Found | None:
    """`Clinton has since apologized for what happened: “…”`: the clause's subject introduces it; when
    that subject cannot speak, a person named right before the colon does (`The surge doesn't surprise
    pollster Daron Shaw: “…”`)."""
    lead = _colon_lead(layout, before)
    subject = _main_subject(lead)
    if subject is None and len(lead) > 1 and lead[0].ent_type_ == "PERSON" and lead[0].dep_ != "compound":
        subject = lead[0]  # the lead runs from the colon back
    if subject is None:
        return None
    verb = next((t for t in lead if t.dep_ == "ROOT" and _is_cue_verb(t, weak_ok=False)), None)
    return (None if verb is None else layout.doc[verb.i : verb.i + 1]), _mention(subject)


def _main_subject(lead: list[Token]) -> Token | None:
    """The subject of the main clause among a colon's lead-in words, when it can speak."""
    verbs = sorted((t for t in lead if t.pos_ in ("VERB", "AUX")), key=lambda v: (v.dep_ != "ROOT", v.i))
    # a relative pronoun is the subject of an aside (`a Republican Party that elevated his father`)
    subject = next(
        (
            c
            for v in verbs
            for c in v.children
            if c.dep_ in _SUBJECT_DEPS and c.lower_ not in RELATIVE_PRONOUNS
        ),
        None,
    )
    subject = subject if subject is None else _cleft_speaker(subject)
    subject = _document_author(subject) or subject  # `Clinton's response was: “…”`
    return subject if subject is not None and _can_speak(subject) else None


def _names_after_dash(token: Token) -> bool:
    """`“…” – @realDonaldTrump`, `“…” — Carl Sagan`: a handle or a name, not a markup tag (`<tweet/>`)."""
    if token.text.startswith("@") and len(token.text) > 1:
        return True
    return token.text[:1].isalpha() and (token.pos_ == "PROPN" or token.ent_type_ in ("PERSON", "ORG"))


def _dash(layout: _Layout, first: int, last: int, before: list[int], after: list[int]) -> Found | None:
    doc = layout.doc
    if not after or doc[after[0]].text not in _DASHES:
        return None
    names = [i for i in after[1:6] if _names_after_dash(doc[i])]
    if not names:
        return None
    head = doc[names[0]]
    while head.head.i in names and head.head.i != head.i:
        head = head.head
    return None, _mention(head)


def _lead_in(layout: _Layout, first: int, last: int, before: list[int], after: list[int]) -> Found | None:
    """`Xi said:` or `The Times reports:` ending the paragraph before, when the quotation's own paragraph
    has no cue ahead of it."""
    doc, qi = layout.doc, layout.in_quote[first]
    start = bisect.bisect_left(layout.paragraph, layout.paragraph[first]) - 1  # the previous one's end
    if start < 0 or any(_is_cue_verb(doc[i], weak_ok=False) for i in before):
        return None
    if qi > 0 and layout.quote_tokens[qi - 1][1] > start + 1:
        return None  # only the paragraph's first quotation
    colon = start
    while colon > 0 and doc[colon].is_space:
        colon -= 1
    if doc[colon].text != ":":
        return None
    lead = []
    for i in range(colon - 1, max(-1, colon - 1 - _CLAUSE_WINDOW), -1):
        if layout.sentence[i] != layout.sentence[colon]:
            break
        if layout.outside(i):
            lead.append(i)
    for i in lead:  # nearest the colon first
        found = _from_cue(layout, doc[i], weak_ok=True)
        if found is not None:
            return found
    subject = _main_subject([doc[i] for i in lead])  # `He then listed the qualities of a nominee:`
    if subject is not None:
        return None, _mention(subject)
    names = [doc[i] for i in lead if doc[i].pos_ in ("PROPN", "PRON", "NOUN")]
    return (None, _mention(names[0])) if names else None


def _byline(layout: _Layout, first: int, last: int, before: list[int], after: list[int]) -> Found | None:
    """A line holding just a name (`— Josh Bivens, Economic Policy Institute`) after the quotation."""
    doc, qi = layout.doc, layout.in_quote[first]
    nxt = layout.next_word(last - 1)
    if after or nxt is None or layout.paragraph[nxt] == layout.paragraph[last - 1]:
        return None
    if qi > 0 and layout.paragraph[layout.quote_tokens[qi - 1][0]] == layout.paragraph[first]:
        return None  # `“A,” Ruiz said. “B.”` then a heading: B goes on with A, the heading signs nothing
    line = [i for i in range(nxt, len(doc)) if layout.paragraph[i] == layout.paragraph[nxt]]
    words = [doc[i] for i in line if not doc[i].is_punct and not doc[i].is_space]
    if not words or len(words) > 12 or any(t.tag_ in ("VBD", "VBZ", "VBP") for t in words):
        return None
    if any(t.text == "/" or t.lower_ in _CREDIT_WORDS for t in doc[line[0] : line[-1] + 1]):
        return None  # `Jemal Countess/Getty Images` credits a photo
    opening = doc[line[0]].text
    # `- Sanders.`, `-Jane Ruiz, Philadelphia.`: after a dash any capitalised name signs the quotation
    dashed = opening in _DASHES or (opening[:1] in "-—–" and opening[1:2].isupper())
    if dashed:  # the name right after the dash, not one further on (`-Jo Ruiz, after Lee's speech`)
        person = next((t for t in words[:4] if t.ent_type_ == "PERSON" or _capitalised_name(t)), None)
    else:
        person = next((t for t in words if t.ent_type_ == "PERSON"), None)
    if person is None or (not dashed and words[0] != person):
        return None
    while person.head.i != person.i and (
        person.head.ent_type_ == "PERSON"
        or (person.dep_ in ("compound", "flat") and person.head.pos_ == "PROPN")
    ):
        person = person.head
    return None, _mention(person)


def _capitalised_name(token: Token) -> bool:
    """A proper noun written with a capital, also when a dash is glued to it (`-Jane`)."""
    return token.pos_ == "PROPN" and token.text.lstrip("-—–")[:1].isupper()


def _fall_back(layout: _Layout, qi: int, result: Attribution, done: list[Attribution]) -> None:
    """A quotation with no cue of its own: it continues the quotation before it when it runs on from
    it or follows it in the same passage; else its speaker is the subject of the sentence before it
    (`Bystrom agreed. “…”`), a source named next (`…, according to X`), the author of the words it
    belongs to (`her comment that “…”`), the subject of the clause that embeds it (`Stein framed
    herself as “…”`) or the speaker reported in the sentence before; else it continues the previous
    paragraph's quotation when its own paragraph has no cue, or, when it opens a paragraph, takes the
    speaker of the last reporting verb in the paragraph before."""
    first, _ = layout.quote_tokens[qi]
    prev = done[-1] if done else None
    prev_last = layout.quote_tokens[qi - 1][1] if done else 0
    attributed = prev is not None and (prev.mention is not None or prev.cue is not None)
    gap = layout.paragraph[first] - layout.paragraph[prev_last - 1]
    sentence_gap = layout.sentence[first] - layout.sentence[prev_last - 1]
    # `Then, “…”`, `But “…”`: only a connective before it, the quotation still opens its sentence
    starts_sentence = all(layout.doc[i].pos_ in _CONNECTIVE_POS for i in _clause_before(layout, first))
    if attributed and (
        result.quote.continued
        or (gap == 0 and (sentence_gap == 0 or (starts_sentence and sentence_gap == 1)))
    ):
        _continue(result, prev)
        return
    for how, rule in (
        ("previous-sentence", _previous_sentence),
        ("according-to", _according_to_next),
        ("words-of", _words_of),
        ("clause", _clause_subject),
        ("reported-before", _reported_before),
        ("previous-paragraph", _previous_paragraph),
    ):
        found = rule(layout, first)
        if found is not None:
            result.cue, result.mention = found if isinstance(found, tuple) else (None, found)
            result.how = how
            return
    if attributed and starts_sentence and (gap == 0 or (gap == 1 and not _paragraph_has_cue(layout, first))):
        _continue(result, prev)  # `“A,” said X, who …. But …. “B.”`: still X, nobody else spoke


def _continue(result: Attribution, prev: Attribution) -> None:
    result.cue, result.mention, result.how = prev.cue, prev.mention, "continues"


def _previous_sentence(layout: _Layout, first: int) -> Span | None:
    """The subject of a quote-free sentence just before a quotation that opens its own sentence."""
    doc = layout.doc
    if _clause_before(layout, first):
        return None
    i = first - 1
    while i >= 0 and doc[i].is_space:
        i -= 1
    if i < 0 or doc[i].text not in (".", ":", "?"):
        return None
    if layout.paragraph[i] != layout.paragraph[first] and not _whole_paragraph(layout, first):
        return None  # a paragraph of quotation may follow the sentence that introduces its speaker
    sentence = layout.sentence_tokens(layout.sentence[i])
    if any(layout.in_quote[t.i] >= 0 for t in sentence) or len(sentence) > 25:
        return None
    verbs = [t for t in sentence if t.pos_ in ("VERB", "AUX") and t.dep_ in ("ROOT", "ccomp")]
    subject = next((c for v in verbs for c in v.children if c.dep_ in _SUBJECT_DEPS), None)
    return _mention(subject) if subject is not None and _names_someone(subject) else None


def _reported_before(layout: _Layout, first: int) -> Span | None:
    """`“It’s ambush journalism,” she says. It’s “this new in-your-face journalism.”`: a quotation of
    more than a few words, in the sentence after one that reports somebody's words in the same
    paragraph, goes on with that report."""
    doc, qi = layout.doc, layout.in_quote[first]
    last = layout.quote_tokens[qi][1]
    if sum(t.is_alpha for t in doc[first:last]) <= _SCARE_QUOTE_WORDS or not layout.sentence[first]:
        return None
    before = layout.sentence_tokens(layout.sentence[first] - 1)
    if not before or layout.paragraph[before[0].i] != layout.paragraph[first]:
        return None
    for token in reversed(before):
        found = _from_cue(layout, token, weak_ok=False) if layout.in_quote[token.i] < 0 else None
        if found is not None and found[1] is not None:
            return found[1]
    return None


def _previous_paragraph(layout: _Layout, first: int) -> Span | None:
    """`Schoen elaborated in an op-ed that …` and then a paragraph of quotation: the speaker of the
    last reporting verb in the paragraph before, when no quotation came after that verb."""
    paragraph = layout.paragraph[first]
    opening = layout.paragraph_tokens(paragraph).start
    while opening < first and layout.space[opening]:
        opening += 1
    if not paragraph or opening != first or _paragraph_has_cue(layout, first):
        return None  # only a quotation that opens a paragraph with no cue of its own
    for token in reversed(layout.paragraph_tokens(paragraph - 1)):
        if layout.in_quote[token.i] >= 0:
            return None
        found = _from_cue(layout, token, weak_ok=False)
        if found is not None and found[1] is not None:
            return found[1]
    return None


def _according_to_next(layout: _Layout, first: int) -> Found | None:
    """`… engaged in “candid” discussions. The meeting emphasized …, according to a statement by the
    State Department.`: a source named at the end of the quotation's long sentence, or of the next,
    quote-free sentence, covers the passage."""
    doc, sentence, qi = layout.doc, layout.sentence[first], layout.in_quote[first]
    last = layout.quote_tokens[qi][1]
    rest = doc[last : min(layout.sentence_tokens(sentence).end, last + _CLAUSE_WINDOW)]
    if any(layout.in_quote[t.i] >= 0 for t in rest):
        return None
    following = layout.sentence_tokens(sentence + 1)
    if (
        not following
        or layout.paragraph[following[0].i] != layout.paragraph[first]
        or any(layout.in_quote[t.i] >= 0 for t in following)
    ):
        following = doc[0:0]
    for token in [*rest, *following]:
        if token.lower_ == "according" and token.i + 1 < len(doc) and doc[token.i + 1].lower_ == "to":
            found = _from_cue(layout, token, weak_ok=False)
            return found if found and found[1] is not None else None
    return None


def _words_of(layout: _Layout, first: int) -> Span | None:
    """`after her comment that “…”`, `his call for “…”`: the author of the words the quotation belongs to."""
    qi = layout.in_quote[first]
    node = next(iter(layout.roots(qi)), None)
    for _ in range(_MAX_ANCESTOR_STEPS if node is not None else 0):
        node = node.head
        if layout.sentence[node.i] != layout.sentence[first] or node.pos_ in ("VERB", "AUX"):
            return None
        author = _document_author(node) if node.pos_ == "NOUN" else None
        if author is not None:
            return _mention_of(layout, author)
        if node.head.i == node.i:
            break
    return None


def _whole_paragraph(layout: _Layout, first: int) -> bool:
    """Whether the quotation starting at token `first` is all its paragraph holds."""
    qi = layout.in_quote[first]
    last = layout.quote_tokens[qi][1]
    nxt = layout.next_word(last - 1)
    return nxt is None or layout.paragraph[nxt] != layout.paragraph[first]


def _clause_subject(layout: _Layout, first: int) -> Span | None:
    """The person or body whose clause embeds a partial quotation (`Stein has framed herself as “…”`)."""
    if not _clause_before(layout, first):
        return None
    qi = layout.in_quote[first]
    root = next((t for t in layout.roots(qi) if not t.is_punct), None)
    node = root
    for _ in range(_MAX_ANCESTOR_STEPS if root is not None else 0):
        node = node.head
        if layout.sentence[node.i] != layout.sentence[first]:
            return None
        subject = (
            next((c for c in node.children if c.dep_ in _SUBJECT_DEPS), None)
            if node.pos_ in ("VERB", "AUX")
            else None
        )
        if subject is not None:
            speaks = _names_someone(subject) or subject.lemma_.lower() in CUE_NOUNS  # `The ad targets “…”`
            if speaks and layout.in_quote[subject.i] < 0:
                return _mention(subject)
            if subject.lower_ not in ("what", "which", "that"):
                return None  # `began talking about what would happen “…”`: the clause above speaks
        if node.head.i == node.i:
            break
    return None


def _can_speak(token: Token) -> bool:
    """Whether a subject can say or write something: someone, a body, a document, a poll, or a number
    of people (`Six in 10 said`)."""
    lemma = token.lemma_.lower()
    if token.lower_ in RELATIVE_PRONOUNS and token.head.dep_ == "relcl" and token.head.head.i != token.i:
        return _can_speak(token.head.head)  # `a “hit piece” that reported`: only if the piece can
    if token.pos_ in ("PROPN", "PRON", "NUM") or token.ent_type_ or token.is_title:
        return True
    if any(c.dep_ in ("appos", "compound") and (c.pos_ == "PROPN" or c.ent_type_) for c in token.children):
        return True  # `another user, Roland Z`
    return (
        lemma in SPEAKING_NOUNS
        or lemma in CUE_NOUNS
        or lemma in ORGANIZATION_NOUNS
        or lemma in GROUP_NOUNS
        or lemma in ROLE_NOUNS
        or lemma in ANONYMOUS_NOUNS
        or (len(lemma) > 4 and lemma.endswith(_PERSON_SUFFIXES))  # supporter, lobbyist, resident
    )


_PERSON_SUFFIXES = ("er", "or", "ist", "ian", "ant", "ent", "ee", "eer")


def _names_someone(token: Token) -> bool:
    """Whether a subject can be a speaker: a name, a personal pronoun, or a role or group noun; not a
    newsletter's capitalised section label (`FAREWELL—“…”`), which the tagger reads as a name."""
    if token.ent_type_ in ("PERSON", "ORG", "NORP", "GPE"):
        return True
    if token.pos_ == "PROPN":
        return not (token.is_upper and len(token) > 1)
    lower = token.lower_
    return (
        lower in PERSONAL_PRONOUNS - {"it", "you"}
        or lower in ROLE_NOUNS
        or lower in ANONYMOUS_NOUNS
        or token.lemma_.lower() in ORGANIZATION_NOUNS  # `The campaign projects that “…”`
    )


def _paragraph_has_cue(layout: _Layout, token_index: int) -> bool:
    paragraph = layout.paragraph[token_index]
    if paragraph not in layout.paragraph_cue:
        tokens = layout.paragraph_tokens(paragraph)
        layout.paragraph_cue[paragraph] = any(
            layout.outside(t.i) and _is_cue_verb(t, weak_ok=False) for t in tokens
        )
    return layout.paragraph_cue[paragraph]


def _is_speech(layout: _Layout, qi: int, result: Attribution) -> bool:
    """Whether the quotation reproduces somebody's words, not a scare quote, title or nickname."""
    first, last = layout.quote_tokens[qi]
    words = [t for t in layout.doc[first:last] if t.is_alpha]
    if _looks_like_title(layout, first, words) or _inside_name(layout, first, last, words):
        return False
    if _in_headline(layout, first):
        return True  # `Blinken has ‘candid’ talks`: a headline quotes the story's words, unattributed
    if result.how not in _CUE_RULES and result.kind == "partial":
        # a fragment tied to nobody's words by a reporting verb: a name or title in capitals
        # (`“Breaking Bad”`, `“Air Force One” theme`) or a short scare quote (`“binary choice” framework`)
        ends = layout.doc[last - 2].text if last - 2 >= first else ""
        if len(words) <= 3 or (
            ends not in _SENTENCE_END and all(t.text[:1].isupper() or t.is_stop for t in words)
        ):
            return False
    return result.how is not None or len(words) > _SCARE_QUOTE_WORDS


def _inside_party(layout: _Layout, qi: int, result: Attribution) -> bool:
    """Whether the quotation is part of the speaker's or the hearer's noun phrase (`said Rep. Miller, one
    of the “big four”`, `told the hosts of “Morning Joe”`): it names someone in the exchange. A clause
    inside that phrase (`Miller, who called it “a disaster”`) is still a report."""
    parties = {result.mention.root.i} if result.mention is not None else set()
    if result.cue is not None and len(result.cue) > 1:
        parties.add(result.cue[-1].i)  # the hearer in `told the hosts`
    for token in layout.roots(qi):
        if token.head.i in parties:
            continue  # hung on the party itself, the parse is unsure (`Lee, who called it “a …”`)
        node = token.head
        for _ in range(_MAX_ANCESTOR_STEPS):
            if node.i in parties:
                return True
            if node.pos_ in ("VERB", "AUX") or node.head.i == node.i:
                break
            node = node.head
    return False


def _in_headline(layout: _Layout, first: int) -> bool:
    """Whether a token lies in a headline: one of the first few paragraphs, short, with no full stop."""
    paragraph = layout.paragraph[first]
    if paragraph > 3 or layout.starts[0] > 0:
        return False
    tokens = layout.paragraph_tokens(paragraph)
    if len(tokens) > 2 * _HEADLINE_TOKENS:
        return False
    tokens = [t for t in tokens if not t.is_space]
    if len(tokens) > _HEADLINE_TOKENS or any(
        t.text in _SENTENCE_END and layout.in_quote[t.i] < 0 for t in tokens
    ):
        return False
    return tokens[-1].text not in _SENTENCE_END and not (len(tokens) > 1 and tokens[-2].text in _SENTENCE_END)


def _looks_like_title(layout: _Layout, first: int, words: list[Token]) -> bool:
    """A quoted name or title (`the book “Hard Choices”`, `ABC's “Good Morning America”`)."""
    if (
        not words
        or len(words) > 10
        or not all(t.text[:1].isupper() or t.lower_ in TITLE_CASE_LOWER for t in words)
    ):
        return False
    lead = [
        t
        for t in layout.doc[max(0, first - 3) : first]
        if not t.is_punct and not t.is_space and layout.sentence[t.i] == layout.sentence[first]
    ]  # only its own sentence: `… the party's nominee. “Not even one,” he said.` is no title
    return any(t.lower_ in TITLE_NOUNS or t.lower_ in TITLE_VERBS or t.tag_ == "POS" for t in lead)


def _inside_name(layout: _Layout, first: int, last: int, words: list[Token]) -> bool:
    """`Jesús “Chuy” García`, `Dwayne “The Rock” Johnson`: a nickname written inside a name."""
    doc = layout.doc
    if not words or len(words) > 3 or not all(t.text[:1].isupper() for t in words):
        return False
    before, after = first - 1, layout.next_word(last - 1)
    return before >= 0 and after is not None and doc[before].pos_ == "PROPN" and doc[after].pos_ == "PROPN"


# -- cues and mentions -------------------------------------------------------------------------------


def _is_cue_verb(token: Token, weak_ok: bool) -> bool:
    if token.dep_ == "amod" and token.i and token.nbor(-1).text == "-" and not token.nbor(-1).whitespace_:
        return False  # `self-described “Berners”`: part of a word that describes, not a report
    if token.pos_ not in ("VERB", "AUX"):
        # the tagger sometimes takes `yelled` or `writes` for a noun or adjective
        if (
            token.lower_ not in CUE_FORMS
            or token.dep_ in _NOMINAL_DEPS
            or any(c.dep_ == "det" for c in token.children)
        ):
            return False
        lemma = CUE_FORMS[token.lower_]
        return weak_ok or lemma not in WEAK_CUE_VERBS
    lemma = token.lemma_.lower()
    if lemma == "put":  # `as X puts it`
        return any(c.dep_ == "dobj" and c.lower_ == "it" for c in token.children)
    return lemma in CUE_VERBS and (weak_ok or lemma not in WEAK_CUE_VERBS)


def _from_cue(layout: _Layout, token: Token, weak_ok: bool) -> Found | None:
    """(cue, speaker mention) when `token` is a reporting verb or `according (to)`."""
    doc = layout.doc
    if token.lower_ == "according" and token.i + 1 < len(doc) and doc[token.i + 1].lower_ == "to":
        source = next((c for c in doc[token.i + 1].children if c.dep_ == "pobj"), None)
        return doc[token.i : token.i + 2], _mention_of(layout, _document_author(source) or source)
    if token.lower_ == "to" and token.i and doc[token.i - 1].lower_ == "according":
        return _from_cue(layout, doc[token.i - 1], weak_ok)
    if token.lemma_ == "be":
        return _words_noun(layout, token)
    if not _is_cue_verb(token, weak_ok) or _passive_without_agent(token):
        return None
    cue = doc[token.i : token.i + 1]
    if token.lemma_.lower() == "tell":
        hearer = next(
            (c for c in token.children if c.dep_ in ("dobj", "dative") and 0 < c.i - token.i <= 3), None
        )
        if hearer is not None:
            cue = doc[token.i : hearer.i + 1]
    subject = _speaker_subject(layout, token)
    if subject is not None and subject.lemma_.lower() in CUE_NOUNS:
        subject = _document_author(subject) or _issuer(token, subject) or subject
    if subject is not None and token.lemma_.lower() not in SAYING_VERBS and not _can_speak(subject):
        return None  # `a gesture intended to highlight “…”`: not a report of speech
    return cue, _mention_of(layout, subject, near=token)


def _passive_without_agent(verb: Token) -> bool:
    """`Guccifer 2.0 was branded “…”, Song wrote`, `he was told “…”`: the subject is who was named or
    told; without `by …` the verb does not say who spoke (but `Braynard is quoted as saying` does)."""
    deps = {c.dep_ for c in verb.children}
    return "auxpass" in deps and "agent" not in deps and verb.lemma_.lower() != "quote"


def _words_noun(layout: _Layout, copula: Token) -> Found | None:
    """`The senator's answer was that “…”`: a noun for someone's words, with its author, is the cue."""
    noun = next((c for c in copula.children if c.dep_ == "nsubj" and c.lemma_.lower() in CUE_NOUNS), None)
    author = _document_author(noun)
    if noun is None or author is None:
        return None
    return layout.doc[noun.i : noun.i + 1], _mention_of(layout, author)


def _speaker_subject(layout: _Layout, verb: Token) -> Token | None:
    """The subject of a reporting verb; when the parse has none, or took a word of the quotation for
    it (`“…the Farm Bureau, Senator Kerr,” Mr. Dunn, the treasurer, said`), the nearest name before
    the verb outside the quotation; for a document that speaks in a relative clause, who put it out."""
    subject = _subject(verb)
    if (
        subject is not None
        and subject.lower_ in RELATIVE_PRONOUNS
        and verb.dep_ == "relcl"
        and verb.head.lemma_.lower() in CUE_NOUNS
    ):
        return _issuer(verb, verb.head) or verb.head  # `Trump released a video that said, “…”`
    if subject is None or layout.in_quote[subject.i] >= 0:
        return _nearby_name(layout, verb) or _adjacent_name(layout, verb) or subject
    return subject


_NOT_NAMES = frozenset({"ADP", "CCONJ", "SCONJ", "DET", "PRON", "PART", "NUM", "PUNCT", "SPACE"})


def _adjacent_name(layout: _Layout, verb: Token) -> Token | None:
    """A capitalised word right before the reporting verb (`Trump blasted`, `“…,” Will wrote`) or, for a
    verb of saying, right after it (`said Skelly`), that the tagger did not take for a name: written
    mid-sentence with a capital, it names the speaker."""
    doc = layout.doc
    before, after = verb.i - 1, layout.next_word(verb.i)
    says = verb.lemma_.lower() in SAYING_VERBS and not _takes_hearer(verb)  # not `told Fox News`
    candidates = [before] + ([after] if after is not None and says else [])
    for i in candidates:
        if i < 1 or layout.in_quote[i] >= 0 or layout.sentence[i] != layout.sentence[verb.i]:
            continue
        token, previous = doc[i], doc[i - 1]
        opens_sentence = layout.sentence[i - 1] != layout.sentence[i] or previous.is_space
        if (
            token.is_title
            and token.is_alpha
            and token.pos_ not in _NOT_NAMES
            and token.ent_type_ not in ("DATE", "TIME")
            and not opens_sentence
        ):
            while token.dep_ in ("compound", "flat") and token.head.i == token.i + 1:
                token = token.head  # `said Edward Leamer`: the whole name
            return token
    return None


_CLEFT_HEADS = frozenset(["all", "everything", "what", "thing"])


def _cleft_speaker(subject: Token) -> Token:
    """`All she could do was shout`, `the only thing he did was plead`: the subject of the clause
    about what one did speaks, not `all`."""
    if subject.lower_ not in _CLEFT_HEADS:
        return subject
    clause = next((c for c in subject.children if c.dep_ == "relcl"), None)
    inner = None if clause is None else next((c for c in clause.children if c.dep_ == "nsubj"), None)
    return subject if inner is None or inner.lower_ in RELATIVE_PRONOUNS else inner


def _subject(verb: Token) -> Token | None:
    """The speaker of a reporting verb: its subject, a controlling subject or object, or the name after it."""
    agent = next((c for c in verb.children if c.dep_ == "agent"), None)
    if agent is not None and verb.lemma_.lower() in CUE_VERBS:  # `Rubio was asked by Gerard Baker …`
        by = next((c for c in agent.children if c.dep_ == "pobj"), None)
        if by is not None:
            return by
    # a clause (csubj) is what was said, and a date (`Saturday at the convention Warren said`) is a
    # misparse; a relative pronoun (`Beck, who said`) is resolved with the other mentions; of two
    # subjects the nearest speaks (`“…McCain,” Trump said`: the parser gave the quotation's one too)
    subjects = [
        c
        for c in verb.children
        if c.dep_ in ("nsubj", "nsubjpass") and (c.ent_type_ not in ("DATE", "TIME") or is_age(c))
    ]
    # `Of Carson, Levine … said`: the parser made the preposition the subject; its object speaks
    subjects = [s for s in (_object_of(c) if c.pos_ == "ADP" else c for c in subjects) if s is not None]
    if subjects:
        return _cleft_speaker(min(subjects, key=lambda c: abs(c.i - verb.i)))
    if verb.pos_ == "NOUN" and verb.lower_.endswith("ing"):
        # a participle the tagger took for a noun: a person's name before it speaks (`footage of
        # Trump saying, “…”`); else it belongs to the verb its phrase hangs from (`responded to
        # Vargas' question on Facebook writing, “…”`)
        person = next((c for c in verb.children if c.dep_ == "compound" and c.ent_type_ == "PERSON"), None)
        outer = _verb_above(verb)
        return person or (None if outer is None else _subject(outer))
    head = verb.head
    if verb.dep_ == "xcomp":
        obj = next((c for c in head.children if c.dep_ == "dobj"), None)
        return obj or _subject(head)
    if verb.dep_ in ("conj", "advcl") and head.pos_ in ("VERB", "AUX"):
        # `Trump argued that a database would help, saying …`: the participle belongs to the
        # reporting verb above the clause the parser hung it from
        outer = head
        while not _is_cue_verb(outer, weak_ok=False) and outer.dep_ in ("ccomp", "xcomp", "conj", "advcl"):
            outer = outer.head
        subject = _subject(outer if _is_cue_verb(outer, weak_ok=False) else head)
        if (subject is None or not _can_speak(subject)) and sentence_of(verb).root.i not in (verb.i, head.i):
            subject = (
                _subject(sentence_of(verb).root) or subject
            )  # `Bennett denied that a shakeup …, explaining`
        return subject
    if verb.dep_ == "pcomp" and head.head.pos_ in ("VERB", "AUX"):  # `continued by saying`
        subject = _subject(head.head)
        if (subject is None or not _can_speak(subject)) and sentence_of(verb).root.i != head.head.i:
            # `Trump said X has …, before claiming …`
            subject = _subject(sentence_of(verb).root) or subject
        return subject
    if verb.dep_ == "acomp" and head.pos_ in ("VERB", "AUX"):  # `didn't seem impressed, telling …`
        return _subject(head)
    if verb.dep_ in ("relcl", "acl") and head.pos_ in ("PROPN", "NOUN", "PRON"):
        name = next((c for c in head.children if c.dep_ == "appos" and _is_name(c)), None)
        if head.pos_ == "NOUN" and name is not None:
            return name  # `the committee chair, Rosa Diaz, tweeted`: the person the role names
        if head.ent_type_ in ("PERSON", "ORG", "NORP", "GPE") or head.pos_ != "NOUN":
            return head
        # `issued a statement saying`, `wrote a letter asking`: the document's author or issuer
        author = _document_author(head)
        if author is None and head.dep_ in ("dobj", "pobj") and head.head.pos_ in ("VERB", "AUX"):
            author = _subject(head.head) if head.dep_ == "dobj" else None
        if (
            author is None
            and head.dep_ == "pobj"
            and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)
        ):
            # `The judge pointed to a previous case to say …`: an infinitive of purpose the parser
            # hung from the noun speaks for the subject of the clause
            clause = _verb_above(head)
            author = None if clause is None else _subject(clause)
        return author or head
    if verb.lemma_.lower() != "tell":  # inverted order: `said a person close to the Clintons`
        following = [
            c
            for c in verb.children
            if c.i > verb.i and c.dep_ in ("dobj", "attr", "npadvmod", "dep", "appos")
        ]
        nouns = [c for c in following if c.pos_ in ("PROPN", "NOUN") or c.lower_ in ("he", "she", "they")]
        if nouns:
            return nouns[0]
    return None


def _issuer(cue: Token, document: Token) -> Token | None:
    """`Black Lives Matter issued a statement saying …`: who put out the document that speaks."""
    if document.dep_ == "dobj":
        verb = document.head  # `issued a statement saying …`
    elif document.dep_ in _SUBJECT_DEPS and cue.dep_ in ("acl", "advcl"):
        verb = cue.head  # the parser hung `saying` from `issued` with the statement as its subject
    else:
        return None
    if verb.pos_ != "VERB" or verb.i == cue.i:
        return None
    subject = next((c for c in verb.children if c.dep_ in _SUBJECT_DEPS and c.i != document.i), None)
    return subject if subject is not None and _can_speak(subject) else None


def _before_aside(layout: _Layout, cue: Token) -> int:
    """Where to look back from for a verb's lost subject: before the aside that ends right at the verb
    when it opens with a participle (`, asked about …, had said`), else right before the verb."""
    doc = layout.doc
    i = cue.i - 1
    while i >= 0 and doc[i].pos_ == "AUX":
        i -= 1
    if i < 1 or doc[i].text != ",":
        return cue.i - 1
    for j in range(i - 1, max(0, cue.i - _MAX_NEARBY), -1):
        if layout.sentence[j] != layout.sentence[cue.i] or layout.in_quote[j] >= 0:
            break
        if doc[j].text == ",":
            opener = doc[j + 1]  # a participle, which the tagger may read as a past tense
            participle = opener.tag_ in ("VBN", "VBG", "VBD") and not any(
                c.dep_ in _SUBJECT_DEPS for c in opener.children
            )
            return j - 1 if participle else cue.i - 1
    return cue.i - 1


def _nearby_name(layout: _Layout, cue: Token) -> Token | None:
    """When the parse gives a reporting verb no subject, the nearest name or pronoun before it in its
    sentence (`As Akhil Amar, professor of …, put it`; `Sanders, who sits at zero, said`), passing
    over a participle's aside (`Mr. Trump, asked about Mr. Putin, had said`)."""
    doc = layout.doc
    for i in range(_before_aside(layout, cue), max(-1, cue.i - _MAX_NEARBY), -1):
        token = doc[i]
        if layout.sentence[i] != layout.sentence[cue.i] or token.text in (";", ":"):
            return None
        if layout.in_quote[i] >= 0:
            continue
        capitalised_subject = token.dep_ in ("nsubj", "nsubjpass") and token.is_title
        if (
            token.ent_type_ == "PERSON"
            or token.lower_ in ("he", "she", "they", "i", "we")
            or capitalised_subject
        ):
            while (
                token.head.i != token.i
                and token.head.ent_type_ == "PERSON"
                and abs(token.head.i - token.i) <= 2
            ):
                token = token.head
            return token
    return None


def _document_author(token: Token | None) -> Token | None:
    """`a statement by the State Department`, `Miller's statement` or `calculations by Amy Glasmeier` →
    the author, if the text names one."""
    if token is None:
        return None
    if token.lemma_.lower() not in CUE_NOUNS:  # `calculations by Amy Glasmeier`: a named person's work
        author = _by_whom(token, ("by",))
        return author if author is not None and author.ent_type_ == "PERSON" else None
    for child in token.children:
        if child.dep_ == "poss":
            return child
        if child.dep_ in ("compound", "nmod") and child.ent_type_ in ("GPE", "ORG", "NORP", "PERSON"):
            return child  # `a U.S. readout`, `a White House statement`
    return _by_whom(token, ("by", "from"))


def _by_whom(noun: Token, prepositions: tuple[str, ...]) -> Token | None:
    preposition = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ in prepositions), None)
    if preposition is None and "by" in prepositions:
        # `a court document filed by Dave Aronberg`, `a statement released by the ministry`
        participle = next((c for c in noun.children if c.dep_ == "acl"), None)
        if participle is not None:
            preposition = next((c for c in participle.children if c.dep_ == "agent"), None)
    return _object_of(preposition) if preposition is not None else None


def _object_of(preposition: Token) -> Token | None:
    return next((c for c in preposition.children if c.dep_ == "pobj"), None)


def _verb_above(token: Token) -> Token | None:
    """The nearest verb a token's phrase hangs from."""
    return next((a for a in token.ancestors if a.pos_ in ("VERB", "AUX")), None)


def _noun_phrase_between(layout: _Layout, indices: list[int]) -> Span | None:
    """The subject written between a quotation and its verb when the parse did not link them."""
    doc = layout.doc
    heads = [
        doc[i] for i in indices if doc[i].pos_ in ("PROPN", "NOUN", "PRON") and doc[i].head.i not in indices
    ]
    return _mention(heads[-1]) if heads else None


def _noun_phrase_after(layout: _Layout, indices: list[int]) -> Span | None:
    """The speaker named right after the verb (`said Robert Reich, who …`) when the parse did not link it."""
    doc = layout.doc
    for i in indices[:4]:
        token = doc[i]
        if token.pos_ in ("PROPN", "NOUN", "PRON"):
            while token.head.i in indices and token.dep_ in ("compound", "flat") and token.head.i > token.i:
                token = token.head
            return _mention(token)
        if token.is_punct:
            return None
    return None


def _mention_of(layout: _Layout, head: Token | None, near: Token | None = None) -> Span | None:
    """The mention for `head`, when it is outside every quotation and in the cue's paragraph."""
    if head is None or layout.in_quote[head.i] >= 0:
        return None
    if near is not None and layout.paragraph[head.i] != layout.paragraph[near.i]:
        return None
    return _mention(head)


_MENTION_RIGHT_DEPS = frozenset({"compound", "flat", "nummod", "case"})
_MENTION_STOP_PUNCT = frozenset({"“", "”", '"', "(", ",", ":", ";"}) | _DASHES


def _is_title_of(of: Token) -> bool:
    """`Department of State`, `Ministry of Foreign Affairs`: a capitalised `of` phrase inside a name."""
    return all(
        t.text[:1].isupper() or t.lower_ in ("of", "and", "the") or t.is_punct
        for t in of.subtree
        if t.i != of.i
    )


def _ends_mention(token: Token) -> bool:
    """Punctuation that a speaker's noun phrase stops at; a hyphen inside a name (`Karine Jean-Pierre`,
    `Ocasio-Cortez`, no space on either side) does not."""
    return token.text in _MENTION_STOP_PUNCT and not _hyphen_in_word(token)


def _hyphen_in_word(token: Token) -> bool:
    """`Jean-Pierre`, `R-S.C.`: a hyphen with no space on either side."""
    return token.text == "-" and token.i > 0 and not token.whitespace_ and not token.nbor(-1).whitespace_


def _mention(head: Token) -> Span:
    """The noun phrase of a speaker, without what follows the name (appositives, relative clauses)."""
    doc = head.doc
    start = head.i
    for token in reversed(list(head.lefts)):
        gap = doc[token.right_edge.i + 1 : start]
        if any(_ends_mention(t) for t in gap) or _ends_mention(token):
            break
        start = token.left_edge.i
    end = head.i + 1
    for token in head.rights:
        if token.i != end:
            break
        if token.dep_ in _MENTION_RIGHT_DEPS:
            end = token.right_edge.i + 1
        elif token.dep_ == "prep" and token.lower_ == "of" and (head.pos_ == "NOUN" or _is_title_of(token)):
            end = token.right_edge.i + 1
            break
        else:
            break
    name = next((c for c in head.rights if c.dep_ == "appos" and c.left_edge.i == end and _is_name(c)), None)
    if (head.pos_ == "NOUN" or head.is_title) and name is not None:
        # `the economist Dan Ortiz`, `Speaker of the House Paul Ryan`: the role, then the name
        end = name.i + 1
    while start < end - 1 and (doc[start].is_punct or doc[start].is_space):
        start += 1
    return doc[start:end]


def _is_name(token: Token) -> bool:
    return token.ent_type_ == "PERSON" or (token.pos_ == "PROPN" and token.is_title)
