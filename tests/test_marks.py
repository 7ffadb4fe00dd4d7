"""The quotation finder: which stretches of raw text are quoted, from the quotation marks alone.

`find_quotations(text)` returns QuoteSpans, marks included, so `text[s.start:s.end]` is the quotation
as printed. These tests need no spaCy.
"""

from __future__ import annotations

from itertools import pairwise

import pytest
from conftest import fuzz_settings
from hypothesis import example, given
from hypothesis import strategies as st

from quotes.marks import QuoteSpan, find_quotations, paragraph_spans


def quoted(text: str) -> list[str]:
    return [text[s.start : s.end] for s in find_quotations(text)]


def paragraphs(text: str) -> list[str]:
    return [text[start:end] for start, end in paragraph_spans(text)]


# --------------------------------------------------------------------------------------------------
# What is quoted: text → the quoted substrings, in order
# --------------------------------------------------------------------------------------------------

MARK_STYLES = [
    ("“We will win,” said Jane Doe, the mayor.", ["“We will win,”"]),
    ('He said "we will win" on Monday.', ['"we will win"']),
    ('He said “we will win" on Monday.', ['“we will win"']),
    ('He said "we will win” on Monday.', ['"we will win”']),
    ("He said « nous gagnerons » lundi.", ["« nous gagnerons »"]),
    ("«Non», a-t-il dit.", ["«Non»"]),
    ("Er sagte „wir gewinnen“ am Montag.", ["„wir gewinnen“"]),
    ("Powiedział „wygramy” w poniedziałek.", ["„wygramy”"]),
    ("他说「我们会赢」。", ["「我们会赢」"]),
    ("他说『我们会赢』。", ["『我们会赢』"]),
    ("''We will win,'' he said.", ["''We will win,''"]),
    ("He called it ''a disgrace'' and left.", ["''a disgrace''"]),
    ("He said ``we will win,'' and left.", ["``we will win,''"]),
    ("She called it ‘a disgrace’ and left.", ["‘a disgrace’"]),
    ("She called it 'a disgrace' and left.", ["'a disgrace'"]),
    ("She said ‘hi’. Then she said ‘bye’.", ["‘hi’", "‘bye’"]),
    ("He said 'hi.' She said 'bye.'", ["'hi.'", "'bye.'"]),
    ("He said “stop” and she said “go.”", ["“stop”", "“go.”"]),
    ("She said: “No.”", ["“No.”"]),
    ("—“No,” she said.", ["“No,”"]),
    ("(“No”) she said.", ["“No”"]),
    ("“We will—” he began.", ["“We will—”"]),
    ("No quotation here at all.", []),
    ("", []),
]

APOSTROPHES = [
    ("China’s ties, don't worry, the ’90s, countries’ ties.", []),
    ("China's ties, don’t worry, the '90s, countries' ties.", []),
    ("The ’90s and the ‘80s were different decades.", []),
    ("Mr. O'Brien said 'no' and Ms. D'Arcy said 'yes'.", ["'no'", "'yes'"]),
    ("The players' union said 'no' on Monday.", ["'no'"]),
    ("It's a 'big deal,' he said.", ["'big deal,'"]),
    ("He said ‘it’s fine’ and left.", ["‘it’s fine’"]),
    ("‘It’s fine,’ he said.", ["‘It’s fine,’"]),
    ("'It's fine,' he said.", ["'It's fine,'"]),
    ("He said 'the '90s were great' today.", ["'the '90s were great'"]),
    ("He said ‘the ’90s were great’ today.", ["‘the ’90s were great’"]),
    ("China’s leader said “the ’90s are over” and the countries’ ties grew.", ["“the ’90s are over”"]),
    (
        '"We\'ll see," he said. "It\'s the \'90s all over again."',
        ['"We\'ll see,"', "\"It's the '90s all over again.\""],
    ),
    ("''It's the players' union,'' he said.", ["''It's the players' union,''"]),
    ("''It was the '90s,'' he said.", ["''It was the '90s,''"]),
    pytest.param(
        "Rock 'n' roll is here to stay.",
        [],
        id="rock-n-roll",
    ),
]

NESTING = [
    ("“He called it ‘a disgrace’ today,” she said.", ["“He called it ‘a disgrace’ today,”"]),
    ("“He called it 'a disgrace' today,” she said.", ["“He called it 'a disgrace' today,”"]),
    ("\"He called it 'a disgrace,'\" she said.", ["\"He called it 'a disgrace,'\""]),
    ("“He said «non» today,” she said.", ["“He said «non» today,”"]),
    ('"He said «non» today," she said.', ['"He said «non» today,"']),
    pytest.param(
        "''He called it 'a disgrace.''' she said.",
        ["''He called it 'a disgrace.'''"],
        id="typewriter-triple-close",
    ),
    pytest.param(
        "He said ‘a “b” c’ today.",
        ["‘a “b” c’"],
        id="double-inside-single",
    ),
]

SPLIT = [
    ("“A,” he said. “B.”", ["“A,”", "“B.”"]),
    ("“We will win,” he said. “We will not back down.”", ["“We will win,”", "“We will not back down.”"]),
    ('"Quote one." "Quote two," she said.', ['"Quote one."', '"Quote two,"']),
    ("“Stop.” “Go.”", ["“Stop.”", "“Go.”"]),
    ("„Wir“, sagte er, „gewinnen.“", ["„Wir“", "„gewinnen.“"]),
    ("“A,” he said.\n\n“B,” she said.", ["“A,”", "“B,”"]),
]

STRAY_MARKS = [
    # A lone opener at the end of a paragraph runs to the end of that paragraph, and no further.
    ("He said “we will", ["“we will"]),
    ("He said “we will\nShe left.", ["“we will"]),
    ('He said "we will win.\n\nShe went home.', ['"we will win.']),
    # A stray mark costs at most its own paragraph.
    ("He said “this is stray.\nShe said “second” today.", ["“this is stray.", "“second”"]),
    ("He said stray” mark.\nShe said “second” today.", ["“second”"]),
    ('Paragraph one has a stray " mark.\nParagraph two: "quoted" here.', ['"quoted"']),
    ('One stray " mark and "quoted" text.\nParagraph two: "quoted" here.', ['"quoted"', '"quoted"']),
    ("He said “yes” and a stray “ mark and then “no.”", ["“yes”", "“no.”"]),
    ("He said ‘yes and left.\nShe said ‘no’ today.", ["‘no’"]),
]

MARKUP = [
    ('<tweet author="@x">Great day</tweet> He said “yes.”', ["“yes.”"]),
    ('<tweet author="@x" id="1">He said "hi" now</tweet>', ['"hi"']),
    ('He said "hi" <img alt="x"> then "bye."', ['"hi"', '"bye."']),
    ('<a href="https://example.com/a">Link</a> and <a href="/b">another</a>.', []),
]

INCH_MARKS = [
    ('He is a 5\'10" man. He said "go" then.', ['"go"']),
    ("He said “stop” to a 5'10\" guy.", ["“stop”"]),
    pytest.param(
        "He is a 5'10\" man who runs fast. Later he was 6'2\" tall.",
        [],
        id="two-heights",
    ),
    pytest.param(
        'A 5\'10" man said "hello" and a 6\'1" woman said "goodbye."',
        ['"hello"', '"goodbye."'],
        id="heights-between-quotations",
    ),
    pytest.param(
        'The 12" pizza was good. The 14" pizza was better.',
        [],
        id="pizza-sizes",
    ),
    pytest.param('A 12.5" screen costs more.', [], id="decimal-inches"),
    # a straight mark after a sum closes the quotation it belongs to
    pytest.param(
        'He took "about $200,000" from banks. She called it "disarray."',
        ['"about $200,000"', '"disarray."'],
        id="sum-before-a-closing-mark",
    ),
    pytest.param('They offered "2,500" in cash.', ['"2,500"'], id="thousands-before-a-closing-mark"),
    # after feet, any double mark is an inch mark, even before a comma or a closing mark
    pytest.param(
        "“He’s like 6’2”,” Rubio said. “Small hands.”",
        ["“He’s like 6’2”,”", "“Small hands.”"],
        id="curly-height",
    ),
    pytest.param(
        '"He is 6\'2", taller than me," she said.', ['"He is 6\'2", taller than me,"'], id="straight-height"
    ),
]


@pytest.mark.parametrize(("text", "expected"), MARK_STYLES)
def test_mark_styles(text, expected):
    assert quoted(text) == expected


@pytest.mark.parametrize(("text", "expected"), APOSTROPHES)
def test_apostrophes_are_never_quotation_marks(text, expected):
    assert quoted(text) == expected


@pytest.mark.parametrize(("text", "expected"), NESTING)
def test_nested_quotes_stay_inside_the_outer_span(text, expected):
    assert quoted(text) == expected


@pytest.mark.parametrize(("text", "expected"), SPLIT)
def test_split_quotations_give_one_span_each(text, expected):
    assert quoted(text) == expected


@pytest.mark.parametrize(("text", "expected"), STRAY_MARKS)
def test_a_stray_mark_costs_at_most_its_paragraph(text, expected):
    assert quoted(text) == expected


@pytest.mark.parametrize(("text", "expected"), MARKUP)
def test_markup_attribute_quotes_are_ignored(text, expected):
    assert quoted(text) == expected


@pytest.mark.parametrize(("text", "expected"), INCH_MARKS)
def test_inch_marks_make_no_long_quotations(text, expected):
    assert quoted(text) == expected


# --------------------------------------------------------------------------------------------------
# The marks of each span, and quotations that run over several paragraphs
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "open_mark", "close_mark", "content"),
    [
        ("He said “yes” today.", "“", "”", "yes"),
        ("He said ``yes'' today.", "``", "''", "yes"),
        ("He said ''yes'' today.", "''", "''", "yes"),
        ("He said « oui » today.", "«", "»", " oui "),
        ("He said ‘yes’ today.", "‘", "’", "yes"),
        ("He said “yes", "“", None, "yes"),
    ],
)
def test_span_marks_and_content(text, open_mark, close_mark, content):
    (span,) = find_quotations(text)
    assert (span.open_mark, span.close_mark) == (open_mark, close_mark)
    assert text[span.content_start : span.content_end] == content


MULTI_PARAGRAPH = [
    (
        "He said, “we will win.\n“And we will keep winning,” he added.",
        [("“we will win.", None, False), ("“And we will keep winning,”", "”", True)],
    ),
    (
        "“This is the first paragraph.\n\n“This is the second,” he said.",
        [("“This is the first paragraph.", None, False), ("“This is the second,”", "”", True)],
    ),
    (
        "He said, “we will win.\n“And we will keep winning.\n“Always.”",
        [
            ("“we will win.", None, False),
            ("“And we will keep winning.", None, True),
            ("“Always.”", "”", True),
        ],
    ),
    (
        # Only the first span of the next paragraph carries the quotation on.
        "“First paragraph.\n“Second,” he said. “Another.”",
        [("“First paragraph.", None, False), ("“Second,”", "”", True), ("“Another.”", "”", False)],
    ),
    (
        'He said: "we will win.\n"And we will keep winning," he added.',
        [('"we will win.', None, False), ('"And we will keep winning,"', '"', True)],
    ),
]


@pytest.mark.parametrize(("text", "expected"), MULTI_PARAGRAPH)
def test_multi_paragraph_quotations(text, expected):
    spans = find_quotations(text)
    assert [(text[s.start : s.end], s.close_mark, s.continued) for s in spans] == expected
    assert [s.continues for s in spans] == [close is None for _, close, _ in expected]


def test_an_unclosed_span_ends_at_its_paragraph_end_not_the_text_end():
    text = "He said “we will win.\n\nThe council met on Monday."
    (span,) = find_quotations(text)
    assert text[span.start : span.end] == "“we will win."
    assert span.end == text.index("\n")


# --------------------------------------------------------------------------------------------------
# Paragraphs
# --------------------------------------------------------------------------------------------------

HARD_WRAPPED = """\
“We are not going anywhere, and we will not be leaving the region any
time soon,” the secretary told reporters at the State Department after a
meeting with his counterpart on Tuesday afternoon in Washington, where
the talks were held behind closed doors for most of the day.

“We will stay the course for as long as it takes to make sure that our
allies feel safe and that the sea lanes remain open to every nation's
ships,” he added, before leaving the building for the airport.

Analysts were skeptical. Some said the statement was aimed at allies
rather than at rivals, and that little would change in practice."""

SHORT_HARD_WRAPPED = """\
He said that the talks, which have been stalled for months, would
resume next week, and added: “We are not going anywhere, and we will
not be leaving the region any time soon.

“We will stay the course for as long as it takes to make sure that
our allies feel safe,” he said on Tuesday in Washington after talks."""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One paragraph.", ["One paragraph."]),
        ("First line.\nSecond line.", ["First line.", "Second line."]),
        (
            "First line.\nSecond line.\n\nThird after a blank.\n   Indented fourth.  \n",
            ["First line.", "Second line.", "Third after a blank.", "Indented fourth."],
        ),
        ("\n\n  \n", []),
        ("", []),
        ("Windows line.\r\nNext line.\r\n", ["Windows line.", "Next line."]),
        (
            # Long lines that each end a sentence are paragraphs, not a wrapped block.
            "The minister arrived in Beijing on Monday for two days of talks there.\n"
            "The talks are the first at this level since the summit last spring.\n"
            "Officials on both sides said they expected no breakthrough this week.\n"
            "A joint statement is due on Wednesday, the ministry in Beijing said.\n"
            "Markets in Asia rose slightly on the news of the visit by the minister.",
            [
                "The minister arrived in Beijing on Monday for two days of talks there.",
                "The talks are the first at this level since the summit last spring.",
                "Officials on both sides said they expected no breakthrough this week.",
                "A joint statement is due on Wednesday, the ministry in Beijing said.",
                "Markets in Asia rose slightly on the news of the visit by the minister.",
            ],
        ),
        (HARD_WRAPPED, [block for block in HARD_WRAPPED.split("\n\n")]),
    ],
    ids=["one", "lines", "blank-and-indent", "blank", "empty", "crlf", "sentence-lines", "hard-wrapped"],
)
def test_paragraph_spans(text, expected):
    assert paragraphs(text) == expected


def test_a_quotation_wrapped_over_lines_is_one_span():
    assert quoted(HARD_WRAPPED) == [
        "“We are not going anywhere, and we will not be leaving the region any\ntime soon,”",
        "“We will stay the course for as long as it takes to make sure that our\nallies feel safe and "
        "that the sea lanes remain open to every nation's\nships,”",
    ]


def test_a_short_hard_wrapped_text_is_read_by_blocks():
    assert paragraphs(SHORT_HARD_WRAPPED) == SHORT_HARD_WRAPPED.split("\n\n")
    spans = find_quotations(SHORT_HARD_WRAPPED)
    assert [(SHORT_HARD_WRAPPED[s.start : s.end][:20], s.continues, s.continued) for s in spans] == [
        ("“We are not going an", True, False),
        ("“We will stay the co", False, True),
    ]


# --------------------------------------------------------------------------------------------------
# Properties on arbitrary text heavy in quotation marks
# --------------------------------------------------------------------------------------------------

QUOTE_PIECES = ["“", "”", '"', "'", "‘", "’", "«", "»", "„", "「", "」", "``", "''", "\n", "\n\n", " "]
WORD_PIECES = ["word", " He said ", "5'10\"", "don't", "’90s", ". ", ", ", '<a b="c">', "</a>", "—"]
texts = st.lists(
    st.one_of(
        st.sampled_from(QUOTE_PIECES),
        st.sampled_from(QUOTE_PIECES),
        st.sampled_from(WORD_PIECES),
        st.text(max_size=8),
    ),
    max_size=60,
).map("".join)

PROPERTY_SETTINGS = fuzz_settings(300)


@pytest.mark.fuzz
@PROPERTY_SETTINGS
@given(texts)
def test_spans_are_well_formed(text):
    spans = find_quotations(text)  # never raises
    blocks = paragraph_spans(text)
    for span in spans:
        assert isinstance(span, QuoteSpan)
        assert 0 <= span.start < span.end <= len(text)
        assert span.start <= span.content_start <= span.content_end <= span.end
        assert text.startswith(span.open_mark, span.start)
        if span.close_mark is not None:
            assert text[span.end - len(span.close_mark) : span.end] == span.close_mark
        assert any(start <= span.start and span.end <= end for start, end in blocks)
    assert [s.start for s in spans] == sorted(s.start for s in spans)


@pytest.mark.fuzz
@PROPERTY_SETTINGS
@given(texts)
def test_spans_never_partially_overlap(text):
    spans = find_quotations(text)
    for i, one in enumerate(spans):
        for other in spans[i + 1 :]:
            disjoint = one.end <= other.start or other.end <= one.start
            nested = one.start <= other.start and other.end <= one.end
            assert disjoint or nested


@pytest.mark.fuzz
@PROPERTY_SETTINGS
@given(texts)
@example("He said ‘a “b” c’ today.")
def test_spans_do_not_overlap(text):
    spans = find_quotations(text)
    assert all(one.end <= other.start for one, other in pairwise(spans))


@pytest.mark.fuzz
@PROPERTY_SETTINGS
@given(texts)
def test_paragraph_spans_are_trimmed_sorted_and_disjoint(text):
    blocks = paragraph_spans(text)
    for start, end in blocks:
        assert 0 <= start < end <= len(text)
        assert text[start:end] == text[start:end].strip()
    assert all(end < next_start for (_, end), (next_start, _) in pairwise(blocks))
