"""The tracker's memory: articles, their quotations and speakers in one SQLite file.

SQLite because a tracker must remember what it has read without a server: one file, transactions (an
ingest commits whole batches, so a crash never leaves half an article), WAL so that `quotes audit` can
read while an ingest writes. The schema is versioned with `PRAGMA user_version`: `MIGRATIONS[n]` takes
a file from version n to n + 1, and every open brings an older file up to date.

Each article also keeps its word counts (hashed, so no vocabulary needs storing), which lets
`quotes audit` find the stored articles on the same story without re-reading their texts.

Canonical speaker names are a fact about the whole corpus, not one batch (a later article may give
`Blinken` his full name), so each quotation keeps the name its own article gave (`speaker_raw`) and each
article the people it names; `refresh_speakers` recomputes every canonical name from them.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections import Counter
from collections.abc import Iterable
from dataclasses import fields
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from scipy.sparse import csr_matrix

from quotes.names import canonical_names
from quotes.records import Article, ArticleResult, Quotation, QuotesError

if TYPE_CHECKING:
    from sklearn.feature_extraction.text import HashingVectorizer

DEFAULT_DB = "quotes.db"
DB_ENV = "QUOTES_DB"

MIGRATIONS: tuple[tuple[str, ...], ...] = (
    # 1: articles, their quotations, the people they name, the canonical speakers
    (
        """CREATE TABLE articles (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,                 -- Article.id as read: path, path#line or the JSON id
            source TEXT,
            outlet TEXT NOT NULL,
            original_outlet TEXT,
            title TEXT,
            date TEXT,
            url TEXT,
            text TEXT NOT NULL,
            content_hash TEXT NOT NULL UNIQUE,  -- sha256 of the text: the same text is stored once
            speakers_merged INTEGER NOT NULL DEFAULT 0  -- 0 until refresh_speakers has counted it
        )""",
        """CREATE TABLE quotations (
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,          -- order in the article
            "start" INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            text TEXT NOT NULL,
            kind TEXT NOT NULL,
            speaker TEXT,                       -- canonical across the store
            speaker_raw TEXT,                   -- as resolved inside the article
            speaker_type TEXT NOT NULL,
            speaker_mention TEXT,
            speaker_start INTEGER,
            speaker_end INTEGER,
            speaker_role TEXT,
            cue TEXT,
            framing TEXT NOT NULL,
            framing_scores TEXT NOT NULL,       -- JSON object label -> probability
            confidence REAL NOT NULL,
            PRIMARY KEY (article_id, position)
        )""",
        """CREATE TABLE people (
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            name TEXT NOT NULL
        )""",
        """CREATE TABLE speakers (
            type TEXT NOT NULL,
            name TEXT NOT NULL,
            aliases TEXT NOT NULL,              -- JSON list of the names articles used
            roles TEXT NOT NULL,                -- JSON list of the roles articles gave
            quotations INTEGER NOT NULL,
            PRIMARY KEY (type, name)
        )""",
    ),
    # 2: inputs that failed (for `quotes stats`); articles found by date and by their words (for
    # `quotes audit`: the word counts of older articles are filled in on open, see _backfill_terms)
    (
        "CREATE TABLE failures (source TEXT NOT NULL, message TEXT NOT NULL, at TEXT NOT NULL)",
        "CREATE INDEX articles_date ON articles(date)",
        """CREATE TABLE terms (
            article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
            counts BLOB NOT NULL                -- term_counts() of the text, packed
        )""",
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)

TERM_FEATURES = 2**20  # words are hashed into a space this wide, so that collisions are rare
_ARTICLE_FIELDS = ("name", "source", "outlet", "original_outlet", "title", "date", "url", "text")
_QUOTATION_FIELDS = tuple(f.name for f in fields(Quotation) if f.name not in ("article", "outlet"))


def content_hash(text: str) -> str:
    """What makes two articles the same article: their text, byte for byte."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def term_counts(texts: list[str]) -> csr_matrix:
    """One row of hashed word counts for each text (what the store keeps for each article), English
    stop words left out."""
    return _term_vectorizer().transform(texts).astype(np.float32)


@cache
def _term_vectorizer() -> HashingVectorizer:
    # imported when first needed: scikit-learn takes a second to import, which an audit of a stored
    # article (its counts are stored) does not have to pay
    from sklearn.feature_extraction import text

    return text.HashingVectorizer(
        n_features=TERM_FEATURES, alternate_sign=False, norm=None, stop_words="english"
    )


def _pack(row: csr_matrix) -> bytes:
    return row.indices.astype(np.int32).tobytes() + row.data.astype(np.float32).tobytes()


def _unpack(blobs: list[bytes]) -> csr_matrix:
    """The rows packed by `_pack`, as one matrix (built at once: stacking rows one by one is slow)."""
    sizes = [len(blob) // 8 for blob in blobs]
    indices = [np.frombuffer(blob, np.int32, size) for blob, size in zip(blobs, sizes, strict=True)]
    data = [
        np.frombuffer(blob, np.float32, size, offset=4 * size)
        for blob, size in zip(blobs, sizes, strict=True)
    ]
    return csr_matrix(
        (
            np.concatenate([*data, np.empty(0, np.float32)]),
            np.concatenate([*indices, np.empty(0, np.int32)]),
            np.concatenate([[0], np.cumsum(sizes)]),
        ),
        shape=(len(blobs), TERM_FEATURES),
    )


class Store:
    """An open store; use as a context manager so the file is closed."""

    def __init__(self, path: str | Path):
        self.path = str(path)
        try:
            self.db = sqlite3.connect(self.path, isolation_level=None)  # transactions are explicit
            self.db.execute("PRAGMA journal_mode = WAL")
            self.db.execute("PRAGMA foreign_keys = ON")
            self.db.execute("PRAGMA busy_timeout = 10000")
            self._migrate()
            self._backfill_terms()
        except sqlite3.DatabaseError as error:
            raise QuotesError(f"{self.path}: not a usable quotes store: {error}") from None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.db.close()

    def _migrate(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise QuotesError(
                f"{self.path}: store schema {version} is newer than this quotes ({SCHEMA_VERSION})"
            )
        for number in range(version, SCHEMA_VERSION):
            with self._transaction():
                if self.version != number:  # another process migrated it meanwhile
                    continue
                for statement in MIGRATIONS[number]:
                    self.db.execute(statement)
                self.db.execute(f"PRAGMA user_version = {number + 1}")

    def _backfill_terms(self) -> None:
        """Word counts for the articles stored before version 2 kept them."""
        rows = self.db.execute(
            "SELECT id, text FROM articles WHERE id NOT IN (SELECT article_id FROM terms)"
        ).fetchall()
        if rows:
            with self._transaction():
                counts = term_counts([text for _, text in rows])
                self.db.executemany(
                    "INSERT INTO terms (article_id, counts) VALUES (?, ?)",
                    [(article_id, _pack(counts[n])) for n, (article_id, _) in enumerate(rows)],
                )

    def _transaction(self) -> _Transaction:
        return _Transaction(self.db)

    @property
    def version(self) -> int:
        return self.db.execute("PRAGMA user_version").fetchone()[0]

    # -- writing ---------------------------------------------------------------------------------

    def new_articles(self, articles: Iterable[Article]) -> tuple[list[Article], int]:
        """The articles whose text is not stored yet (each text once), and how many were skipped."""
        new, seen, skipped = [], set(), 0
        for article in articles:
            digest = content_hash(article.text)
            stored = self.db.execute("SELECT 1 FROM articles WHERE content_hash = ?", (digest,)).fetchone()
            if stored or digest in seen:
                skipped += 1
            else:
                seen.add(digest)
                new.append(article)
        return new, skipped

    def add(self, results: Iterable[ArticleResult]) -> int:
        """Store the processed articles with their quotations and people, all or none; returns how
        many were stored (a text already stored is skipped). Canonical names wait for
        `refresh_speakers`."""
        added = 0
        with self._transaction():
            for result in results:
                article = result.article
                values = [article.id, *(getattr(article, f) for f in _ARTICLE_FIELDS[1:])]
                cursor = self.db.execute(
                    f"INSERT OR IGNORE INTO articles ({', '.join(_ARTICLE_FIELDS)}, content_hash) "
                    f"VALUES ({', '.join('?' * (len(_ARTICLE_FIELDS) + 1))})",
                    (*values, content_hash(article.text)),
                )
                if not cursor.rowcount:
                    continue
                added += 1
                article_id = cursor.lastrowid
                self.db.execute(
                    "INSERT INTO terms (article_id, counts) VALUES (?, ?)",
                    (article_id, _pack(term_counts([article.text]))),
                )
                self.db.executemany(
                    "INSERT INTO quotations (article_id, position, speaker_raw, "
                    + ", ".join(f'"{f}"' for f in _QUOTATION_FIELDS)
                    + f") VALUES ({', '.join('?' * (len(_QUOTATION_FIELDS) + 3))})",
                    [
                        (
                            article_id,
                            position,
                            q.speaker,
                            *map(_column, (getattr(q, f) for f in _QUOTATION_FIELDS)),
                        )
                        for position, q in enumerate(result.quotations)
                    ],
                )
                self.db.executemany(
                    "INSERT INTO people (article_id, name) VALUES (?, ?)",
                    [(article_id, name) for name in result.people],
                )
        return added

    def add_failures(self, failures: Iterable[tuple[str, str]]) -> None:
        """Remember the inputs (source, message) an ingest could not read or process."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self._transaction():
            self.db.executemany(
                "INSERT INTO failures (source, message, at) VALUES (?, ?, ?)",
                [(source, message, now) for source, message in failures],
            )

    def refresh_speakers(self) -> None:
        """Recompute every quotation's canonical speaker and the speakers table over the whole store
        (what `quotes.names.canonicalize` does for one run), when articles were added since."""
        if not self.db.execute("SELECT 1 FROM articles WHERE NOT speakers_merged LIMIT 1").fetchone():
            return
        names = canonical_names_by_group(self.speaker_counts(), self.people_counts())
        with self._transaction():
            self.db.execute(
                "CREATE TEMP TABLE canonical (type TEXT, raw TEXT, name TEXT, PRIMARY KEY (type, raw))"
            )
            self.db.executemany(
                "INSERT INTO canonical VALUES (?, ?, ?)", [(*key, n) for key, n in names.items()]
            )
            self.db.execute(
                "UPDATE quotations SET speaker = coalesce((SELECT name FROM canonical "
                "WHERE type = speaker_type AND raw = speaker_raw), speaker_raw)"
            )
            self.db.execute("DROP TABLE temp.canonical")
            self.db.execute("DELETE FROM speakers")
            self.db.executemany(
                "INSERT INTO speakers (type, name, aliases, roles, quotations) VALUES (?, ?, ?, ?, ?)",
                self._speaker_rows(),
            )
            self.db.execute("UPDATE articles SET speakers_merged = 1 WHERE NOT speakers_merged")

    def _speaker_rows(self) -> list[tuple]:
        """(type, canonical name, its aliases, its roles, its quotation count), aliases and roles sorted."""
        speakers: dict[tuple[str, str], tuple[set, set, list]] = {}
        rows = self.db.execute(
            "SELECT speaker_type, speaker, speaker_raw, speaker_role FROM quotations "
            "WHERE speaker IS NOT NULL"
        )
        for kind, name, raw, role in rows:
            aliases, roles, count = speakers.setdefault((kind, name), (set(), set(), [0]))
            aliases.add(raw)
            roles.update([role] if role else [])
            count[0] += 1
        return [
            (*key, json.dumps(sorted(aliases)), json.dumps(sorted(roles)), count[0])
            for key, (aliases, roles, count) in speakers.items()
        ]

    # -- reading ---------------------------------------------------------------------------------

    def speaker_counts(self) -> Counter:
        """(type, name as the article gave it) → number of quotations, over the store."""
        rows = self.db.execute(
            "SELECT speaker_type, speaker_raw, count(*) FROM quotations "
            "WHERE speaker_raw IS NOT NULL GROUP BY speaker_type, speaker_raw"
        )
        return Counter({(kind, name): count for kind, name, count in rows})

    def people_counts(self) -> Counter:
        """Full name → how often the stored articles name that person."""
        return Counter(dict(self.db.execute("SELECT name, count(*) FROM people GROUP BY name")))

    def find(self, text: str) -> int | None:
        """The stored id of the article with this text, if any."""
        row = self.db.execute(
            "SELECT id FROM articles WHERE content_hash = ?", (content_hash(text),)
        ).fetchone()
        return row[0] if row else None

    def articles(self, ids: Iterable[int] | None = None) -> dict[int, Article]:
        """Stored articles by id (all of them when `ids` is None), in the order they were stored."""
        query = f"SELECT id, {', '.join(_ARTICLE_FIELDS)} FROM articles"
        if ids is None:
            rows = self.db.execute(query + " ORDER BY id")
        else:
            rows = self.db.execute(
                query + " WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id", (json.dumps(list(ids)),)
            )
        return {row[0]: _article(row[1:]) for row in rows}

    def term_counts(self) -> tuple[list[int], csr_matrix]:
        """The ids of all stored articles and their word counts (one row each, same order)."""
        rows = self.db.execute("SELECT article_id, counts FROM terms ORDER BY article_id").fetchall()
        return [row[0] for row in rows], _unpack([row[1] for row in rows])

    def people(self, ids: Iterable[int]) -> list[str]:
        """The full names the given articles mention (each as often as they do)."""
        rows = self.db.execute(
            "SELECT name FROM people WHERE article_id IN (SELECT value FROM json_each(?))",
            (json.dumps(list(ids)),),
        )
        return [row[0] for row in rows]

    def article_ids(self, since: str | None = None, until: str | None = None) -> list[int]:
        """Ids of the articles dated within [since, until] (ISO dates), and of those with no date."""
        if since is None or until is None:
            return [row[0] for row in self.db.execute("SELECT id FROM articles ORDER BY id")]
        rows = self.db.execute(
            "SELECT id FROM articles WHERE date IS NULL OR substr(date, 1, 10) BETWEEN ? AND ? ORDER BY id",
            (since, until),
        )
        return [row[0] for row in rows]

    def quotations(self, ids: Iterable[int] | None = None) -> dict[int, list[Quotation]]:
        """Stored quotations by article id, in article order, with their canonical speakers."""
        query = (
            "SELECT q.article_id, a.name, a.outlet, "
            + ", ".join(f'q."{f}"' for f in _QUOTATION_FIELDS)
            + " FROM quotations q JOIN articles a ON a.id = q.article_id"
        )
        if ids is None:
            rows = self.db.execute(query + " ORDER BY q.article_id, q.position")
        else:
            rows = self.db.execute(
                query
                + " WHERE q.article_id IN (SELECT value FROM json_each(?)) ORDER BY q.article_id, q.position",
                (json.dumps(list(ids)),),
            )
        by_article: dict[int, list[Quotation]] = {}
        for article_id, name, outlet, *values in rows:
            record = dict(zip(_QUOTATION_FIELDS, values, strict=True))
            record["framing_scores"] = json.loads(record["framing_scores"])
            by_article.setdefault(article_id, []).append(Quotation(article=name, outlet=outlet, **record))
        return by_article

    def stats(self) -> dict:
        """Counts that describe the store (see `quotes stats`)."""
        one = self.db.execute
        dates = one(
            "SELECT min(substr(date, 1, 10)), max(substr(date, 1, 10)), sum(date IS NULL) FROM articles"
        )
        first, last, undated = dates.fetchone()
        return {
            "path": self.path,
            "schema": self.version,
            "articles": one("SELECT count(*) FROM articles").fetchone()[0],
            "first_date": first,
            "last_date": last,
            "undated": undated or 0,
            "outlets": dict(one("SELECT outlet, count(*) FROM articles GROUP BY outlet ORDER BY 2 DESC, 1")),
            "quotations": dict(one("SELECT kind, count(*) FROM quotations GROUP BY kind ORDER BY 2 DESC, 1")),
            "speakers": dict(one("SELECT type, count(*) FROM speakers GROUP BY type ORDER BY 2 DESC, 1")),
            "top_speakers": one(
                "SELECT name, quotations FROM speakers WHERE type = 'person' ORDER BY 2 DESC, 1 LIMIT 5"
            ).fetchall(),
            "framing": dict(
                one("SELECT framing, count(*) FROM quotations GROUP BY framing ORDER BY 2 DESC, 1")
            ),
            "failures": one("SELECT count(*) FROM failures").fetchone()[0],
        }


def canonical_names_by_group(speakers: Counter, people: Counter) -> dict[tuple[str, str], str]:
    """`quotes.names.canonical_names(speakers, people)` (both as counts), computed group by group.

    Comparing every person name with every other grows with the square of the names stored (minutes
    for a few thousand), and the store recomputes after every ingest. A person name can only merge
    with a name that has the same last word or, being one word, contains it; so the names linked that
    way form groups that merge on their own, and merging each group alone gives the same names.
    """
    persons = {name for kind, name in speakers if kind == "person"} | set(people)
    parent = {name: name for name in persons}

    def root(name: str) -> str:
        while parent[name] != name:
            parent[name] = parent[parent[name]]
            name = parent[name]
        return name

    def join(a: str, b: str) -> None:
        parent[root(a)] = root(b)

    by_last: dict[str, str] = {}
    by_word: dict[str, list[str]] = {}
    for name in sorted(persons):
        words = name.split()
        if len(words) > 1:
            join(name, by_last.setdefault(words[-1], name))
            for word in set(words):
                by_word.setdefault(word, []).append(name)
    for name in persons:
        if len(name.split()) == 1:
            for full in by_word.get(name.strip(), ()):
                join(name, full)
    groups: dict[str, tuple[Counter, Counter]] = {}
    for (kind, name), count in speakers.items():
        if kind == "person":
            groups.setdefault(root(name), (Counter(), Counter()))[0][(kind, name)] = count
    for name, count in people.items():
        if root(name) in groups:
            groups[root(name)][1][name] = count
    others = Counter({key: count for key, count in speakers.items() if key[0] != "person"})
    names = canonical_names(others.elements())
    for group_speakers, group_people in groups.values():
        names.update(canonical_names(group_speakers.elements(), group_people.elements()))
    return names


class _Transaction:
    """BEGIN IMMEDIATE … COMMIT, or ROLLBACK on any exception (Ctrl-C included)."""

    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def __enter__(self) -> None:
        if not self.db.in_transaction:
            self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: type | None, *rest: object) -> None:
        if not self.db.in_transaction:
            return
        self.db.execute("COMMIT" if kind is None else "ROLLBACK")


def _column(value: object) -> object:
    return json.dumps(value) if isinstance(value, dict) else value


def _article(row: Iterable) -> Article:
    values = dict(zip(_ARTICLE_FIELDS, row, strict=True))
    return Article(id=values.pop("name"), **values)
