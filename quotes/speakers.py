"""Who a speaker mention refers to: inside one article, then across a corpus.

Inside an article, every person named in it is registered with the roles the text gives them and the
pronouns it uses for them; a mention is then resolved to the nearest compatible antecedent:
"he" to the last man spoken of, "the Secretary" to the person the text calls Secretary, "Wang" to
the nearest preceding full name with that word (so Wang Yi, Wang Wenbin and Wang Wentao stay apart).
Across articles, names are merged only when one is a variant of the other (a surname, a nickname,
a middle initial), never two different full names.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from quotes.lexicon import (
    ANONYMOUS_NOUNS,
    CUE_NOUNS,
    FEMALE_HONORIFICS,
    FEMALE_PRONOUNS,
    GROUP_NOUNS,
    HONORIFICS,
    MALE_HONORIFICS,
    MALE_PRONOUNS,
    ORGANIZATION_NOUNS,
    PERSONAL_PRONOUNS,
    PLURAL_PRONOUNS,
    RELATIVE_PRONOUNS,
    ROLE_NOUNS,
)
from quotes.names import is_short_form, name_words
from quotes.pipeline import entities_in, entity_at, is_age, sentence_of

_NAME_ENTITIES = ("PERSON",)
_BODY_ENTITIES = ("ORG", "GPE", "NORP", "FAC")
_GENDERED = MALE_PRONOUNS | FEMALE_PRONOUNS
_DETERMINERS = frozenset({"the", "a", "an", "this", "that", "these", "those", "one", "another"})


@dataclass(frozen=True)
class Speaker:
    """A resolved speaker: `name` is what the article calls them in full (None when nobody is named)."""

    name: str | None
    type: str  # person | organization | anonymous | group | unknown
    role: str | None = None


UNKNOWN = Speaker(None, "unknown")


@dataclass
class _Person:
    name: str
    positions: list[int] = field(default_factory=list)  # token indices of its mentions
    roles: list[str] = field(default_factory=list)
    gender: Counter = field(default_factory=Counter)


class ArticlePeople:
    """The people an article names, with their roles and pronouns, in order of mention."""

    def __init__(self, doc: Doc):
        self.doc = doc
        self.people: dict[str, _Person] = {}
        self.mentions: list[tuple[int, str]] = []  # (token index, full name), in text order
        self.surnames: dict[str, str] = {}  # a surname written alone -> the full name it meant
        persons = [ent for ent in doc.ents if ent.label_ in _NAME_ENTITIES]
        self.person_texts = [ent.text for ent in persons]
        for ent in persons:
            self._register(ent)
        self._learn_genders()

    def _register(self, ent: Span) -> None:
        words = _name_words(ent)
        if not words:
            return
        name = " ".join(words)
        full = self._full_name(words, ent.start) or name
        if len(words) == 1 and full != name and any(known == full for _, known in self.mentions):
            self.surnames[words[0]] = full  # the person this surname alone now means
        person = self.people.setdefault(full, _Person(full))
        person.positions.append(ent.start)
        self.mentions.append((ent.start, full))
        role = role_before(ent) or role_after(ent)
        if role:
            person.roles.append(role)
        honorific = ent.doc[ent.start - 1].lower_ if ent.start else ""
        if honorific in MALE_HONORIFICS:
            person.gender["m"] += 3
        elif honorific in FEMALE_HONORIFICS:
            person.gender["f"] += 3

    def _full_name(self, words: list[str], position: int) -> str | None:
        """The longer name already registered (nearest before `position`) that `words` is a short form of;
        a surname alone keeps meaning whom it meant before (`Clinton` stays Hillary Clinton after
        `her husband, Bill Clinton`: the second person of a name is called by both names)."""
        best = None
        matches = set()
        for index, full in self.mentions:
            if index < position and full.split() != words and is_short_form(words, full.split()):
                best = full
                matches.add(full)
        if len(words) == 1 and self.surnames.get(words[0]) in matches:
            return self.surnames[words[0]]
        if best is None and len(words) == 1:
            later = [f for f in self.person_texts if words[0] in f.split()]
            best = max(later, key=len) if later and len(max(later, key=len).split()) > 1 else None
            if best is not None:
                best = " ".join(name_words(best))
        return best

    def _learn_genders(self) -> None:
        """Votes from pronouns that follow a person with nobody else named in between."""
        names = dict(self.mentions)
        last: str | None = None
        last_sentence = -1
        for number, sentence in enumerate(self.doc.sents):
            for token in sentence:
                if token.i in names:
                    last, last_sentence = names[token.i], number
                elif last and token.lower_ in _GENDERED and number - last_sentence <= 1:
                    self.people[last].gender["m" if token.lower_ in MALE_PRONOUNS else "f"] += 1

    def gender(self, name: str) -> str | None:
        votes = self.people[name].gender if name in self.people else Counter()
        if not votes:
            return None
        (top, count), *rest = votes.most_common()
        return top if not rest or count > rest[0][1] else None

    def role(self, name: str) -> str | None:
        roles = self.people[name].roles if name in self.people else []
        return Counter(roles).most_common(1)[0][0] if roles else None

    def known_name(self, mention: Span) -> str | None:
        """The person a bare name refers to when the tagger missed it (`Wang said`): the nearest
        registered full name it is a short form of."""
        words = [t.text for t in mention if t.pos_ == "PROPN" or t.is_title]
        if not words or len(words) != len(
            [t for t in mention if not t.is_punct and t.lower_ not in _DETERMINERS]
        ):
            return None
        for name in self.before(mention.start, window=100_000):
            if is_short_form(words, name.split()) or words == name.split():
                return name
        return None

    def name_of(self, token: Token) -> str | None:
        """The full name of the person a token's name belongs to, if it names one."""
        if token.ent_type_ == "PERSON":
            start = token.i
            while start > 0 and self.doc[start].ent_iob_ == "I":
                start -= 1
            return self.name_at(start)
        return None

    def name_at(self, token_index: int) -> str | None:
        return next((full for index, full in self.mentions if index == token_index), None)

    def before(self, token_index: int, window: int = 400) -> list[str]:
        """Full names mentioned before a token, nearest first."""
        return [
            full for index, full in reversed(self.mentions) if token_index - window <= index < token_index
        ]


# Pronouns that refer to nobody in particular (`all she could do was shout`), never to the last
# speaker: many people, or one unnamed person.
_SOME_PEOPLE = frozenset("all everyone everybody both many some others".split())
_SOMEONE = frozenset("anyone anybody someone somebody nobody none each".split())
_NOBODY_IN_PARTICULAR = _SOME_PEOPLE | _SOMEONE


def resolve(
    people: ArticlePeople, mention: Span | None, recent_speakers: list[tuple[int, Speaker]]
) -> Speaker:
    """The speaker a mention refers to. `recent_speakers` are (token index, Speaker) of the article's
    earlier attributions, oldest first, so "he said" can continue the last man quoted."""
    if mention is None:
        return UNKNOWN
    head = mention.root
    lower = head.lower_
    if lower in RELATIVE_PRONOUNS and head.head.dep_ == "relcl":
        return resolve(people, _antecedent(head), recent_speakers)
    person = _person_in(people, mention) or people.known_name(mention)
    if person is not None:
        return Speaker(person, "person", _own_role(mention) or people.role(person))
    if (head.pos_ == "PRON" or lower in PERSONAL_PRONOUNS) and lower not in _NOBODY_IN_PARTICULAR:
        return _resolve_pronoun(people, head, recent_speakers)
    if is_age(head):  # `said the 46-year-old`: refers back like `she`
        found = _resolve_pronoun(people, head, recent_speakers)
        if found.name:
            return found
    body = _body_in(mention)
    words = _plain_words(mention)
    lemma = head.lemma_.lower()
    definite = any(c.lower_ in ("the", "this", "that") for c in head.children if c.dep_ == "det")
    if lemma in ROLE_NOUNS and not _is_plural(head) and definite:
        found = _resolve_role(people, mention, lemma, recent_speakers)
        if found is not None:
            return found
    if lemma in CUE_NOUNS and definite:
        author = _document_speaker(people, head, recent_speakers)
        if author is not None:
            return author
    if lemma in ANONYMOUS_NOUNS or lower in _SOMEONE:
        return Speaker(_common_words(mention), "anonymous")
    if (lemma in GROUP_NOUNS and _is_plural(head)) or head.pos_ == "NUM" or lower in _SOME_PEOPLE:
        return Speaker(_common_words(mention), "group")
    if lemma in GROUP_NOUNS:
        return Speaker(_common_words(mention), "anonymous")  # `a voter`, `one resident`
    if body is not None and (
        head.ent_type_ in _BODY_ENTITIES or lemma in ORGANIZATION_NOUNS or head.pos_ == "PROPN"
    ):
        return Speaker(body, "organization")
    if lemma in ORGANIZATION_NOUNS or lemma in CUE_NOUNS:
        return Speaker(words, "organization")
    if head.pos_ == "PROPN":
        name = " ".join(name_words(words))
        return Speaker(name, "person" if len(name.split()) > 1 else "unknown")
    if lemma in ROLE_NOUNS:
        return Speaker(words, "anonymous", words)
    return Speaker(words or None, "unknown")


def _document_speaker(
    people: ArticlePeople, document: Token, recent: list[tuple[int, Speaker]]
) -> Speaker | None:
    """`the statement said`: whoever the text said spoke `in a statement` before, nearest first."""
    lemma = document.lemma_.lower()
    for index, speaker in reversed(recent):
        sentence = sentence_of(people.doc[index])
        if any(t.lemma_.lower() == lemma and t.i < document.i for t in sentence):
            return speaker
    return None


def _common_words(mention: Span) -> str:
    """An unnamed mention as a name: without articles, its first word in lower case unless a name."""
    words = _plain_words(mention)
    first = next((t for t in mention if t.lower_ not in _DETERMINERS), None)
    if first is not None and first.pos_ != "PROPN" and not first.text.isupper() and words:
        words = words[0].lower() + words[1:]
    return words


def _antecedent(relative: Token) -> Span:
    head = relative.head.head
    return (
        head.doc[head.left_edge.i : head.i + 1]
        if head.pos_ in ("NOUN", "PROPN")
        else head.doc[head.i : head.i + 1]
    )


def _person_in(people: ArticlePeople, mention: Span) -> str | None:
    """The full name of the person a mention names, if it names one."""
    root = mention.root
    for ent in entities_in(mention):
        # the name must be the mention's head or stand beside it (`the economist Dan Ortiz`, `Speaker
        # of the House Paul Ryan`, which the parser may hang from `of`), not qualify it (`Clinton
        # supporters`, `the Trump campaign`, `the mother of Jane Doe`)
        beside = ent.root.head.i == root.i and ent.root.dep_ == "appos"
        after_title = (
            root.lemma_.lower() in ROLE_NOUNS
            and ent.root.dep_ == "pobj"
            and ent.root.head.lower_ == "of"
            and ent.root.head.head.i == root.i
        )
        if ent.label_ == "PERSON" and (ent.start <= root.i < ent.end or beside or after_title):
            return people.name_at(ent.start) or " ".join(_name_words(ent)) or None
    return None


def _body_in(mention: Span) -> str | None:
    ents = [e for e in entities_in(mention) if e.label_ in _BODY_ENTITIES]
    if not ents:
        return None
    if mention.root.lemma_.lower() in ORGANIZATION_NOUNS and mention.root not in ents[-1]:
        return _plain_words(mention)  # `the Sanders campaign`, `the Chinese Foreign Ministry`
    return _strip_determiners(ents[-1].text)


def _resolve_pronoun(people: ArticlePeople, pronoun: Token, recent: list[tuple[int, Speaker]]) -> Speaker:
    lower = pronoun.lower_
    if lower in PLURAL_PRONOUNS:
        for _, speaker in reversed(recent):
            if speaker.type in ("organization", "group", "anonymous") and speaker.name:
                return speaker
        return Speaker(None, "group")
    if lower in ("it",):
        for _, speaker in reversed(recent):
            if speaker.type == "organization":
                return speaker
        return UNKNOWN
    want = "m" if lower in MALE_PRONOUNS else "f" if lower in FEMALE_PRONOUNS else None
    bound = _binding_subject(people, pronoun, want)
    if bound is not None:
        return Speaker(bound, "person", people.role(bound))
    sentence_start = sentence_of(pronoun).start
    # the last person quoted, unless someone else compatible was named since in subject position
    last_quoted = next(((i, s) for i, s in reversed(recent) if s.type == "person" and s.name), None)
    for name in people.before(pronoun.i):
        if want and people.gender(name) not in (None, want):
            continue
        positions = [p for p in people.people[name].positions if p < pronoun.i]
        is_subject = any(
            people.doc[p].head.dep_ in ("nsubj", "nsubjpass") or _is_subject_name(people.doc, p)
            for p in positions[-1:]
        )
        if last_quoted and last_quoted[1].name == name:
            return last_quoted[1]
        if is_subject or positions[-1] >= sentence_start:
            return Speaker(name, "person", people.role(name))
    if last_quoted:
        return last_quoted[1]
    return Speaker(None, "person")


def _binding_subject(people: ArticlePeople, pronoun: Token, want: str | None) -> str | None:
    """`Clinton said that she called …`: a pronoun inside a clause refers to the named subject of
    the verb the clause hangs from, when that subject fits."""
    node = pronoun.head
    for _ in range(6):
        if node.head.i == node.i:
            return None
        node = node.head
        subject = next(
            (c for c in node.children if c.dep_ in ("nsubj", "nsubjpass") and c.i < pronoun.i), None
        )
        if subject is None:
            continue
        name = people.name_of(subject)
        if name is not None and (want is None or people.gender(name) in (None, want)):
            return name
        if subject.pos_ != "PRON":
            return None
    return None


def _is_subject_name(doc: Doc, position: int) -> bool:
    ent = entity_at(doc, position)
    return ent is not None and ent.root.dep_ in ("nsubj", "nsubjpass")


def _resolve_role(
    people: ArticlePeople, mention: Span, lemma: str, recent: list[tuple[int, Speaker]]
) -> Speaker | None:
    """`the Secretary`, `the spokesperson`: the nearest person the article gives that role."""
    for name in people.before(mention.root.i, window=100_000):
        roles = " ".join(people.people[name].roles).lower()
        if re.search(rf"\b{re.escape(lemma)}", roles):
            return Speaker(name, "person", people.role(name))
    for _, speaker in reversed(recent):
        if speaker.type == "anonymous" and speaker.name and lemma in speaker.name.lower():
            return speaker
    return None


def _own_role(mention: Span) -> str | None:
    ents = [e for e in entities_in(mention) if e.label_ == "PERSON"]
    return role_before(ents[0]) or role_after(ents[0]) if ents else None


def role_before(ent: Span) -> str | None:
    """Title words written before a name: `Secretary of State` in `US Secretary of State Antony Blinken`,
    `Speaker of the House` in `Speaker of the House Paul Ryan`."""
    doc = ent.doc
    i = ent.start - 1
    while i >= 0 and (
        doc[i].pos_ in ("PROPN", "NOUN", "ADJ")
        or doc[i].lower_ in ("of", "for", "-", "and")
        or (doc[i].lower_ == "the" and i > 0 and doc[i - 1].lower_ == "of")
        or (doc[i].text.endswith(".") and doc[i].is_title)
    ):
        if doc[i].ent_type_ == "PERSON" or doc[i].tag_ == "POS":
            break
        i -= 1
    words = [t for t in doc[i + 1 : ent.start]]
    while words and (
        words[0].ent_type_ in ("GPE", "NORP")
        or words[0].lower_ in ("of", "and", "-")
        or _governs_title(words)
    ):
        words = words[1:]
    words = [t for t in words if t.lower_ not in HONORIFICS]
    if not words or not any(t.lemma_.lower() in ROLE_NOUNS or t.lower_ in ROLE_NOUNS for t in words):
        return None
    return doc[words[0].i : words[-1].i + 1].text


def _governs_title(words: list[Token]) -> bool:
    """`impeachment` in `impeachment of President Trump`: a common noun that is not a role, with the
    title as its complement, is what the sentence says about the person, not their title."""
    return (
        len(words) > 2
        and words[0].pos_ == "NOUN"
        and words[0].is_lower
        and words[0].lemma_.lower() not in ROLE_NOUNS
        and words[1].lower_ in ("of", "for", "against", "by")
    )


def role_after(ent: Span) -> str | None:
    """An appositive after a name: `Bonnie Glaser, managing director of the Indo-Pacific program`."""
    doc = ent.doc
    if ent.end + 1 >= len(doc) or doc[ent.end].text != ",":
        return None
    end = ent.end + 1
    while (
        end < len(doc)
        and end - ent.end <= 30
        and doc[end].text not in (",", ".", ";", ":", "“", '"', "(")
        and not (doc[end].pos_ == "VERB" and doc[end].tag_ in ("VBD", "VBZ", "VBP"))
    ):
        end += 1
    words = doc[ent.end + 1 : end]
    if not words or words[-1].pos_ == "VERB" or not any(t.lemma_.lower() in ROLE_NOUNS for t in words):
        return None
    text = words.text
    return re.sub(r"^(?:the|a|an)\s+", "", text, flags=re.I)


def _name_words(ent: Span) -> list[str]:
    return name_words(ent.text)


def _plain_words(mention: Span) -> str:
    return _strip_determiners(mention.text)


def _strip_determiners(text: str) -> str:
    words = text.lstrip("-—– ").split()  # `-Jane Ruiz` signing a quotation: the dash is no part of her name
    while words and words[0].lower() in _DETERMINERS:
        words = words[1:]
    return re.sub(r"[’']s$", "", " ".join(words))


def _is_plural(token: Token) -> bool:
    return token.tag_ in ("NNS", "NNPS")
