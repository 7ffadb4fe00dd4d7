"""`quotes audit`: the seeds audited one by one against the other four, the flags, exit codes, JSON."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from quotes.articles import read_articles
from quotes.audit import FINDING_KINDS, Related, _idf, _tfidf, audit
from quotes.cli import main
from quotes.extract import extract_articles
from quotes.records import Article
from quotes.store import Store

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
GOLD = [
    json.loads(line)
    for line in (ROOT / "tests" / "data" / "seeds_gold.jsonl").read_text("utf-8").splitlines()
]
SEED_NAMES = [article["id"] for article in GOLD]
CNN_SEED = "003_acf96132f0f084c7.txt"
NAMED = ("person", "organization")

# Stories that share no event with the seeds, written for these tests.
UNRELATED = [
    "Springfield opens its new river bridge\n\n"
    "The four-lane bridge over the Clear River opened on Monday after two years of work. “Traffic on "
    "Main Street will fall by half,” said Mayor Ann Lee, who cut the ribbon with the city engineer. "
    "Cyclists get a separate lane, and the old ferry will run at weekends for tourists.",
    "Rovers win the cup on penalties\n\n"
    "Rovers beat United 5-4 on penalties after a goalless final in front of 40,000 fans. “The lads never "
    "gave up,” coach Tom Hart told reporters. Goalkeeper Sam Reid saved two spot kicks; the club will "
    "parade the trophy through the town centre on Sunday.",
]


def run(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture(scope="module")
def seed_results():
    articles = [a for a in read_articles([str(SEEDS)]) if isinstance(a, Article)]
    return {Path(r.article.id).name: r for r in extract_articles(articles)}


def _store(path: Path, results) -> Path:
    with Store(path) as store:
        store.add(results)
        store.refresh_speakers()
    return path


@pytest.fixture(scope="module")
def seeds_db(seed_results, tmp_path_factory) -> Path:
    return _store(tmp_path_factory.mktemp("audit") / "seeds.db", seed_results.values())


def audit_json(article: Path | str, *options: object) -> dict:
    result = run("audit", article, "--format", "json", *options)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def gold_speakers(names: list[str], types: tuple[str, ...] | None = None) -> set[str]:
    return {
        q["speaker"]
        for article in GOLD
        if article["id"] in names
        for q in article["quotes"]
        if q["speaker"] and (types is None or q["speaker_type"] in types)
    }


# -- the bars: each seed against the other four ------------------------------------------------------


@pytest.fixture(scope="module")
def audits(seed_results, tmp_path_factory) -> dict[str, dict]:
    """Each seed audited against a store holding the other four."""
    found = {}
    for name in SEED_NAMES:
        others = [r for seed, r in seed_results.items() if seed != name]
        db = _store(tmp_path_factory.mktemp("minus") / "quotes.db", others)
        found[name] = audit_json(SEEDS / name, "--db", db)
    return found


@pytest.mark.parametrize("name", SEED_NAMES)
def test_each_seed_finds_the_other_four_as_its_story(audits, name):
    related = {Path(r["id"]).name for r in audits[name]["related"]}
    assert related == set(SEED_NAMES) - {name}


@pytest.mark.parametrize("name", SEED_NAMES)
def test_each_seed_is_told_the_speakers_others_quote_and_it_does_not(audits, name):
    others = [n for n in SEED_NAMES if n != name]
    expected = gold_speakers(others, NAMED) - gold_speakers([name])
    found = {f["speaker"] for f in audits[name]["findings"] if f["kind"] == "omitted-speaker"}
    assert found == expected


def _findings(audit_result: dict, kind: str, own_text: str) -> list[dict]:
    return [
        f
        for f in audit_result["findings"]
        if f["kind"] == kind and any(own_text in q["text"] for q in f["quotations"])
    ]


def test_the_cnn_seed_words_the_state_department_readout_differently(audits):
    [finding] = _findings(audits[CNN_SEED], "wording", "maintaining channels of communication")
    assert any("maintaining open channels of communication" in q["text"] for q in finding["others"])
    assert "{+open+}" in finding["diff"]  # the other outlet's word, missing here


def test_the_cnn_seed_credits_the_readout_to_the_spokesman_where_another_outlet_credits_the_us(audits):
    [finding] = _findings(audits[CNN_SEED], "attribution", "maintaining channels of communication")
    assert finding["speaker"] == "Matthew Miller"
    assert {q["speaker"] for q in finding["others"]} == {"U.S."}


def test_only_the_cnn_seed_carries_the_lowest_point_quotation(audits):
    [finding] = _findings(audits[CNN_SEED], "exclusive", "lowest point")
    assert finding["quotations"][0]["speaker"] == "Qin Gang"


@pytest.mark.parametrize("name", SEED_NAMES)
def test_unattributed_quotations_are_flagged_as_the_gold_leaves_them(audits, name):
    [gold] = [a for a in GOLD if a["id"] == name]
    expected = sorted(q["text"] for q in gold["quotes"] if q["speaker"] is None)
    found = sorted(
        f["quotations"][0]["text"] for f in audits[name]["findings"] if f["kind"] == "unattributed"
    )
    assert found == expected


# -- related articles, stored articles, corpus -------------------------------------------------------


@pytest.mark.parametrize("text", UNRELATED)
def test_another_story_finds_no_related_articles_and_compares_nothing(seeds_db, tmp_path, text):
    article = tmp_path / "other.txt"
    article.write_text(text, encoding="utf-8")
    result = audit_json(article, "--db", seeds_db)
    assert result["related"] == []
    assert not {f["kind"] for f in result["findings"]} & {
        "wording",
        "attribution",
        "omitted-speaker",
        "exclusive",
    }


def test_a_stored_article_is_read_back_and_never_compared_with_itself(seeds_db, audits):
    result = audit_json(SEEDS / CNN_SEED, "--db", seeds_db)
    assert len(result["related"]) == 4
    assert result["counts"] == audits[CNN_SEED]["counts"]


def test_a_corpus_directory_gives_the_same_audit_as_a_store_of_it(audits, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in [*SEED_NAMES, "manifest.json"]:
        if name != CNN_SEED:
            shutil.copy(SEEDS / name, corpus / name)
    result = audit_json(SEEDS / CNN_SEED, "--corpus", corpus)
    assert result["counts"] == audits[CNN_SEED]["counts"]
    assert [f["kind"] for f in result["findings"]] == [f["kind"] for f in audits[CNN_SEED]["findings"]]


def test_json_output_keeps_its_documented_keys(audits):
    result = audits[CNN_SEED]
    assert list(result) == ["article", "quotations", "related", "findings", "counts"]
    assert list(result["article"]) == ["id", "outlet", "original_outlet", "title", "date", "url"]
    assert list(result["related"][0]) == ["id", "outlet", "title", "date", "similarity", "copy"]
    assert list(result["findings"][0]) == ["kind", "detail", "speaker", "diff", "quotations", "others"]
    assert list(result["counts"]) == list(FINDING_KINDS)


@pytest.mark.parametrize(
    ("options", "exit_code"),
    [
        ([], 0),
        (["--fail-on", "exclusive"], 1),
        (["--fail-on", "wording,anonymous"], 1),
        (["--fail-on", "any"], 1),
        (["--fail-on", "one-sided"], 0),  # the CNN seed's framed quotations are not all one way
        (["--fail-on", "bogus"], 2),
        (["--format", "md"], 0),
    ],
)
def test_exit_codes_follow_fail_on(seeds_db, options, exit_code):
    result = run("audit", SEEDS / CNN_SEED, "--db", seeds_db, *options)
    assert result.exit_code == exit_code, result.output


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["missing.txt", "--db", "{db}"], "missing.txt"),
        ([SEEDS / CNN_SEED, "--db", "{tmp}/none.db"], "no such store"),
        ([SEEDS / CNN_SEED, "--db", "{db}", "--corpus", SEEDS], "not both"),
    ],
)
def test_usage_and_input_errors_exit_2_with_one_line(seeds_db, tmp_path, arguments, message):
    filled = [str(a).format(db=seeds_db, tmp=tmp_path) for a in arguments]
    result = run("audit", *filled)
    assert result.exit_code == 2
    assert message in result.output


def test_text_output_is_a_table_with_every_section(seeds_db):
    text = run("audit", SEEDS / CNN_SEED, "--db", seeds_db).output
    for heading in ("Quotations", "Stored articles on the same story", "Findings"):
        assert heading in text
    assert "lowest point" in text


# -- flags, on records written for the tests ----------------------------------------------------------


OWN_STATEMENTS = [
    "“Taxes will rise in the spring,”",
    "“The harbour needs dredging before winter,”",
    "“Schools reopen next week,”",
    "“Parking fees double from March,”",
]
OTHER_STATEMENTS = ["“Rail fares are frozen until June,”"]


@pytest.mark.parametrize(
    ("own", "others", "kinds"),
    [
        # two of four quotations from anonymous sources: reliance
        (
            [("officials", "anonymous", "neutral")] * 2 + [("Ann Lee", "person", "neutral")] * 2,
            [],
            {"anonymous"},
        ),
        # one of four: not reliance
        ([("officials", "anonymous", "neutral")] + [("Ann Lee", "person", "neutral")] * 3, [], set()),
        # nobody named
        ([(None, "unknown", "neutral")], [], {"unattributed"}),
        # all framed quotations adversarial, the coverage carries conciliatory ones
        (
            [("Ann Lee", "person", "adversarial")] * 2,
            [("Ann Lee", "person", "conciliatory")],
            {"one-sided", "exclusive"},
        ),
        # ... but not when the coverage leans the same way
        ([("Ann Lee", "person", "adversarial")] * 2, [("Ann Lee", "person", "adversarial")], {"exclusive"}),
        # another speaker quoted elsewhere and not here
        (
            [("Ann Lee", "person", "neutral")],
            [("Bob Hale", "person", "neutral")],
            {"exclusive", "omitted-speaker"},
        ),
    ],
)
def test_flags(make_quotation, own, others, kinds):
    article = Article(id="a.txt", text="x", outlet="Daily")
    other = Article(id="b.txt", text="y", outlet="Gazette")

    def quotations(rows, article_id, outlet, statements):
        return [
            make_quotation(
                statements[n],
                article=article_id,
                outlet=outlet,
                start=n * 100,
                speaker=speaker,
                speaker_type=kind,
                framing=framing,
            )
            for n, (speaker, kind, framing) in enumerate(rows)
        ]

    result = audit(
        article,
        quotations(own, "a.txt", "Daily", OWN_STATEMENTS),
        [Related(other, 0.5)],
        quotations(others, "b.txt", "Gazette", OTHER_STATEMENTS),
    )
    assert {kind for kind, n in result.counts().items() if n} == kinds


def test_the_same_statement_worded_and_credited_differently(make_quotation):
    article = Article(id="a.txt", text="x", outlet="Daily")
    other = Article(id="b.txt", text="y", outlet="Gazette")
    mine = make_quotation(
        "“We stressed keeping lines of contact open on every issue,”", article="a.txt", speaker="Ann Lee"
    )
    theirs = make_quotation(
        "“We stressed keeping channels of contact open on every issue,”",
        article="b.txt",
        outlet="Gazette",
        speaker="Foreign Ministry",
        speaker_type="organization",
    )
    result = audit(article, [mine], [Related(other, 0.5)], [theirs])
    kinds = {f.kind: f for f in result.findings}
    assert set(kinds) == {"wording", "attribution", "omitted-speaker"}
    assert (
        kinds["wording"].diff == "We stressed keeping [-lines-] {+channels+} of contact open on every issue"
    )
    assert kinds["attribution"].others == (theirs,)


AUDIT_STORED = """
import sys
from quotes.cli import main
sys.argv = ["quotes", "audit", sys.argv[1], "--db", sys.argv[2], "--format", "json"]
try:
    main()
finally:
    heavy = [name for name in ("spacy", "sklearn", "skops", "pyarrow", "dask") if name in sys.modules]
    print("heavy:", heavy, file=sys.stderr)
"""


def test_auditing_a_stored_article_loads_neither_spacy_nor_scikit_learn(seeds_db):
    """Start-up is most of an audit's time: a stored article is read back, so nothing that parses or
    frames is imported."""
    run = subprocess.run(
        [sys.executable, "-c", AUDIT_STORED, SEEDS / CNN_SEED, seeds_db], capture_output=True, text=True
    )
    assert run.returncode in (0, 1), run.stderr
    assert json.loads(run.stdout)["quotations"]
    assert run.stderr.splitlines()[-1] == "heavy: []"


def test_story_similarity_is_scikit_learns_tfidf_cosine():
    from scipy.sparse import random as sparse_random
    from scipy.sparse import vstack
    from sklearn.feature_extraction.text import TfidfTransformer
    from sklearn.metrics.pairwise import cosine_similarity

    def counts(rows: int, seed: int):
        matrix = sparse_random(rows, 2000, density=0.02, format="csr", dtype=np.float32, random_state=seed)
        matrix.data = np.ceil(matrix.data * 5)
        return matrix

    stored, own = counts(200, 1), counts(1, 2)
    for use_idf in (True, False):
        reference = TfidfTransformer(sublinear_tf=True, use_idf=use_idf).fit(vstack([stored, own]))
        expected = cosine_similarity(reference.transform(own), reference.transform(stored))[0]
        idf = _idf(stored, own) if use_idf else None
        got = (_tfidf(stored, idf) @ _tfidf(own, idf).T).toarray()[:, 0]
        assert np.allclose(got, expected, atol=1e-6)


def test_the_framing_process_classifies_as_this_process_does():
    """A new article's framing model loads in a forked process (start-up in parallel with spaCy's);
    its answers are the model's."""
    from quotes.statements import classify_here, framing_in_background

    records = [
        {"text": text, "marked": text.lower(), "cue": cue, "context": ""}
        for text, cue in (
            ("We welcome the talks.", "said"),
            ("This is a reckless provocation.", "warned"),
            ("", ""),
        )
    ]
    with framing_in_background() as framer:
        assert framer(records) == classify_here(records)
        assert framer([]) == []
