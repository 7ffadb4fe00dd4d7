"""Alignment spec: which quotations are one statement, how each wording relates, and copied articles."""

from __future__ import annotations

import pytest

from quotes.align import align_quotations, copied_quotations, find_copies, format_diff, outlet_of
from quotes.records import Article

FULL = "“The minister stressed the value of dialogue and keeping lines of contact open on every issue,”"


@pytest.mark.parametrize(
    ("first", "second", "same", "extent", "exact", "diff"),
    [
        # exact repeat, different punctuation and case
        (
            "“Talks were frank, deep and useful.”",
            "“talks were frank, deep and useful”",
            True,
            "full",
            True,
            "",
        ),
        # a fragment inside the full quotation
        (FULL, "“keeping lines of contact open”", True, "partial", True, ""),
        # variant wording of the whole
        (
            FULL,
            "“The minister stressed the value of dialogue and keeping channels of contact open on all "
            "issues,”",
            True,
            "full",
            False,
            "The minister stressed the value of dialogue and keeping [-lines-] {+channels+} of contact open "
            "on [-every issue-] {+all issues+}",
        ),
        # variant wording of a fragment: compared with the part it covers only
        (
            FULL,
            "“value of dialogue and keeping lines of communication open”",
            True,
            "partial",
            False,
            "value of dialogue and keeping lines of [-contact-] {+communication+} open",
        ),
        # a fragment of two content words, word for word
        ("“we share very real concerns”", "“real concerns”", True, "partial", True, ""),
        # a one-word fragment is too little to tell
        ("“frank, deep and useful”", "“useful”", False, None, None, None),
        # short generic quotations that share a word are different statements
        ("“a long list of results”", "“a long list of complaints”", False, None, None, None),
        ("“very real concerns”", "“a global concern”", False, None, None, None),
        ("“very real concerns”", "“real worries”", False, None, None, None),
        # shared words scattered over a long quotation are a coincidence
        (
            "“The minister will travel to the capital next week, where she will meet officials and "
            "discuss trade, and she will also raise the issue of visas and other concerns,”",
            "“The minister raised issues of concern,”",
            False,
            None,
            None,
            None,
        ),
        # quotations of function words only are never statements
        ("“it is what it is”", "“it is what it is”", False, None, None, None),
    ],
)
def test_alignment(make_quotation, first, second, same, extent, exact, diff):
    a = make_quotation(first, article="a.txt", outlet="Outlet A")
    b = make_quotation(second, article="b.txt", outlet="Outlet B", speaker="Somebody Else")
    statements = align_quotations([b, a])
    assert len(statements) == (1 if same else 2)
    if same:
        (statement,) = statements
        assert statement.reference is a  # the fullest wording (the first, when as long)
        assert statement.outlets == ("Outlet A", "Outlet B")
        wording = statement.wordings[1]
        assert (wording.extent, wording.exact, format_diff(wording.diff)) == (extent, exact, diff)


def test_grouping_ignores_speakers_and_input_order(make_quotation):
    quotations = [
        make_quotation("“candid, thorough and constructive”", article="c.txt", outlet="C", speaker="U.S."),
        make_quotation("“Candid, thorough, and constructive.”", article="a.txt", outlet="A", speaker=None),
        make_quotation("“candid”", article="a.txt", outlet="A", start=50),
        make_quotation(
            "“candid, thorough and constructive”", article="b.txt", outlet="B", speaker="State Department"
        ),
    ]
    forward, backward = align_quotations(quotations), align_quotations(quotations[::-1])
    assert forward == backward
    assert [s.outlets for s in forward] == [("A", "B", "C"), ("A",)]
    assert [w.quotation.speaker for w in forward[0].wordings] == [None, "State Department", "U.S."]


def test_a_fragment_in_two_statements_joins_neither(make_quotation):
    statements = align_quotations(
        [
            make_quotation("“national security comes first, and our borders stay shut”", article="a"),
            make_quotation("“national security demands that we talk to everyone”", article="b"),
            make_quotation("“national security”", article="c"),
        ]
    )
    assert [len(s.wordings) for s in statements] == [1, 1, 1]


def test_unknown_outlets_count_apart(make_quotation):
    q = make_quotation(article="x/1.txt", outlet="unknown")
    assert outlet_of(q) == "unknown (x/1.txt)"
    assert outlet_of(make_quotation(outlet="VOA News")) == "VOA News"


def test_markdown_diff_escapes_words():
    (statement,) = [
        s
        for s in align_quotations(
            [
                _q("“we reject all |pipes| and `code` in this long sentence”", "a"),
                _q("“we reject all |pipes| and <b>code</b> in this long sentence”", "b"),
            ]
        )
    ]
    from quotes.output import markdown_cell

    marked = format_diff(statement.wordings[1].diff, markdown_cell, "~~{}~~", "**{}**")
    assert "|" not in marked.replace("\\|", "")
    assert "<" not in marked


def _q(text: str, article: str):
    from quotes.records import Quotation

    return Quotation(article=article, outlet=article, start=0, end=len(text), text=text, kind="direct")


LEAD = " ".join(f"w{i}" for i in range(120))  # text written for the test, 120 distinct words


@pytest.mark.parametrize(
    ("texts", "dates", "expected"),
    [
        # a whole copy with its own intro, dated later
        ((LEAD, "Syndicated from the wire. " + LEAD), ("2023-06-18", "2023-06-19"), [("b", "a", True)]),
        # undated: the copy is the article mostly made of the other's text
        (("Own reporting " * 60 + LEAD[:400], LEAD[:400]), (None, None), [("b", "a", True)]),
        # a long passage of a copied into a longer article: undated, the rule above makes a the copy
        ((LEAD, "x1 x2 x3 " * 80 + LEAD[:300]), (None, None), [("a", "b", False)]),
        # a short shared phrase is not a copy
        ((LEAD, "y " * 50 + " ".join(LEAD.split()[:20])), (None, None), []),
    ],
)
def test_copies(texts, dates, expected):
    articles = [Article(id=i, text=t, date=d) for i, t, d in zip("ab", texts, dates, strict=True)]
    copies = find_copies(articles[::-1])
    assert [(c.article, c.source, c.whole) for c in copies] == expected
    for copy in copies:
        text = articles[ord(copy.article) - ord("a")].text
        assert all(text[start:end].split()[0] == "w0" for start, end in copy.passages)


def test_a_copy_credits_its_source_outlet():
    wire = Article(id="b", text=LEAD, outlet="Wire")
    site = Article(id="a", text=LEAD + " Read more at our site.", outlet="Site", original_outlet="Wire")
    assert [(c.article, c.source) for c in find_copies([wire, site])] == [("a", "b")]


def test_a_footer_in_many_articles_is_boilerplate_not_a_copy():
    footer = " ".join(f"f{i}" for i in range(40))
    articles = [Article(id=f"a{n}", text=f"Story {n}: " + f"s{n} " * 50 + footer) for n in range(12)]
    assert find_copies(articles) == []
    assert len(find_copies(articles[:3])) == 3  # among a few articles it is a shared passage


def test_a_long_statement_both_outlets_quote_is_not_a_copy(make_quotation):
    statement = f"“{LEAD}”"
    a = Article(id="a", text=f"The minister spoke. {statement} she said.", outlet="A")
    b = Article(id="b", text=f"In a speech on Monday: {statement} Critics were unmoved.", outlet="B")
    quotations = [
        make_quotation(
            statement,
            article=x.id,
            start=x.text.index(statement),
            end=x.text.index(statement) + len(statement),
        )
        for x in (a, b)
    ]
    assert find_copies([a, b], quotations) == []
    assert len(find_copies([a, b])) == 1  # the same text, when nobody says it is quoted


def test_an_outlet_reusing_its_own_text_is_not_syndication():
    articles = [Article(id=n, text=f"Update {n}. {LEAD}", outlet="Daily") for n in "ab"]
    assert find_copies(articles) == []


def test_copied_quotations_are_those_inside_passages(make_quotation):
    source = Article(id="a", text=f"“{LEAD},” she said.", date="2023-06-18")
    copy = Article(
        id="b",
        date="2023-06-18T10:00",
        text=f"Intro words here. “{LEAD},” she said. “Own words here,” he added.",
    )
    copies = find_copies([source, copy])
    inside = make_quotation(copy.text[17 : 17 + len(LEAD) + 4], article="b", start=17, end=17 + len(LEAD) + 4)
    own_start = copy.text.index("“Own")
    own = make_quotation("“Own words here,”", article="b", start=own_start, end=own_start + 17)
    in_source = make_quotation(source.text[: len(LEAD) + 4], article="a", start=0, end=len(LEAD) + 4)
    assert copied_quotations([inside, own, in_source], copies) == [inside]
