"""Columnar output for archives: Parquet partitions, one per input batch, and a speakers table.

A partition is a folder named by the content hash of its batch's articles, holding one Parquet file
per table (`SCHEMAS`). It is written in a temporary folder and renamed into place, so a killed run
leaves no half partition and a re-run skips the batches whose partition exists (the checkpoint).
Canonical speakers are a reduce step over all partitions (`write_speakers`): the same
`quotes.names.canonical_names` that one process applies, fed the same names, so the same result.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from quotes.names import canonical_names
from quotes.records import FRAMING_LABELS, Article, ArticleResult, Quotation, QuotesError

TABLES = ("articles", "quotations", "mentions", "errors")
SPEAKERS_FILE = "speakers.parquet"
_TEMPORARY = ".partial-"

_string, _int = pa.string(), pa.int64()
SCHEMAS = {
    "articles": pa.schema(
        [
            ("article", _string),
            ("outlet", _string),
            ("original_outlet", _string),
            ("title", _string),
            ("date", _string),
            ("url", _string),
            ("source", _string),
            ("sha256", _string),
            ("chars", _int),
            ("quotations", _int),
            ("text", _string),  # as read, so that offsets, reports and audits work from the archive
        ]
    ),
    "quotations": pa.schema(  # the fields of `Quotation`, in its order; `speaker` is the article's name
        [
            ("article", _string),
            ("outlet", _string),
            ("start", _int),
            ("end", _int),
            ("text", _string),
            ("kind", _string),
            ("speaker", _string),
            ("speaker_type", _string),
            ("speaker_mention", _string),
            ("speaker_start", _int),
            ("speaker_end", _int),
            ("speaker_role", _string),
            ("cue", _string),
            ("framing", _string),
            ("framing_scores", pa.struct([(label, pa.float64()) for label in FRAMING_LABELS])),
            ("confidence", pa.float64()),
        ]
    ),
    "mentions": pa.schema([("article", _string), ("name", _string)]),
    "errors": pa.schema([("article", _string), ("source", _string), ("error", _string)]),
    "speakers": pa.schema([("speaker_type", _string), ("speaker", _string), ("canonical", _string)]),
}


def partition_key(articles: Iterable[Article]) -> str:
    """The hash of the articles' ids and texts: the same batch gets the same partition in every run."""
    digest = hashlib.sha256()
    for article in articles:
        for part in (article.id, article.text):
            data = part.encode("utf-8", "surrogatepass")
            digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()[:32]


class Archive:
    """A folder of Parquet partitions (`--out DIR`)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.mkdir(parents=True, exist_ok=True)
        self.skipped = 0  # articles in batches already written

    def unwritten(self, batches: Iterable[list[Article]]) -> Iterator[list[Article]]:
        """The batches whose partition is not written yet; the others are counted in `skipped`."""
        for batch in batches:
            if (self.path / partition_key(batch)).is_dir():
                self.skipped += len(batch)
            else:
                yield batch

    def write(self, results: list[ArticleResult]) -> None:
        """One batch's partition, atomically: a temporary folder renamed into place."""
        final = self.path / partition_key(result.article for result in results)
        temporary = Path(tempfile.mkdtemp(prefix=_TEMPORARY, dir=self.path))
        try:
            for name, rows in _rows(results).items():
                pq.write_table(
                    pa.Table.from_pylist(rows, schema=SCHEMAS[name]), temporary / f"{name}.parquet"
                )
            os.rename(temporary, final)
        except OSError:
            shutil.rmtree(temporary, ignore_errors=True)
            if not final.is_dir():  # another run wrote the same batch first: that is fine
                raise

    def partitions(self) -> list[Path]:
        return sorted(p for p in self.path.iterdir() if p.is_dir() and not p.name.startswith(_TEMPORARY))

    def table(self, name: str, columns: list[str] | None = None) -> pa.Table:
        """One table over all partitions (`speakers` is the reduce step's single file)."""
        if name == "speakers":
            return pq.read_table(self.path / SPEAKERS_FILE, columns=columns)
        tables = [pq.read_table(p / f"{name}.parquet", columns=columns) for p in self.partitions()]
        schema = SCHEMAS[name] if columns is None else pa.schema([SCHEMAS[name].field(c) for c in columns])
        return pa.concat_tables(tables) if tables else schema.empty_table()

    def write_speakers(self) -> int:
        """The reduce step: canonical names of every (type, name) speaker across all partitions,
        written atomically to `speakers.parquet`; returns how many canonical speakers there are."""
        speakers = self._counts("quotations", ["speaker_type", "speaker"])
        people = Counter({name: count for (name,), count in self._counts("mentions", ["name"]).items()})
        # in sorted order, so that the names never depend on which partition was written first
        names = canonical_names(Counter(dict(sorted(speakers.items()))).elements(), people.elements())
        rows = [
            {"speaker_type": kind, "speaker": name, "canonical": names.get((kind, name), name)}
            for kind, name in sorted(speakers)
        ]
        handle, temporary = tempfile.mkstemp(prefix=_TEMPORARY, suffix=".parquet", dir=self.path)
        os.close(handle)  # a name of its own, so runs writing into one archive never share it
        pq.write_table(pa.Table.from_pylist(rows, schema=SCHEMAS["speakers"]), temporary)
        os.replace(temporary, self.path / SPEAKERS_FILE)
        return len({(row["speaker_type"], row["canonical"]) for row in rows})

    def _counts(self, name: str, columns: list[str]) -> Counter:
        """How often each value of `columns` occurs in a table, partition by partition: the reduce
        holds one count per distinct name, never the archive's rows."""
        counts: Counter = Counter()
        for partition in self.partitions():
            table = pq.read_table(partition / f"{name}.parquet", columns=columns)
            for row in table.group_by(columns).aggregate([([], "count_all")]).to_pylist():
                if row[columns[-1]]:  # no name, no speaker to name (as in `canonicalize`)
                    counts[tuple(row[column] for column in columns)] += row["count_all"]
        return counts

    def quotations(self) -> list[Quotation]:
        """Every quotation with its canonical speaker, by article id then offset."""
        canonical = {
            (r["speaker_type"], r["speaker"]): r["canonical"] for r in self.table("speakers").to_pylist()
        }
        rows = sorted(self.table("quotations").to_pylist(), key=lambda row: (row["article"], row["start"]))
        return [
            Quotation(
                **{**row, "speaker": canonical.get((row["speaker_type"], row["speaker"]), row["speaker"])}
            )
            for row in rows
        ]

    def results(self) -> Iterator[ArticleResult]:
        """Each processed article with its quotations (speakers named as in the article) and the
        people it mentions, partition by partition: what `quotes.store.Store.add` takes."""
        for partition in self.partitions():
            tables = {name: pq.read_table(partition / f"{name}.parquet").to_pylist() for name in TABLES}
            if tables["articles"] and "text" not in tables["articles"][0]:
                raise QuotesError(
                    f"{partition}: written without article texts (by an older quotes); "
                    "write the archive again with quotes ingest --out"
                )
            failed = {row["article"] for row in tables["errors"]}
            quotations: dict[str, list[Quotation]] = {}
            for row in tables["quotations"]:
                quotations.setdefault(row["article"], []).append(Quotation(**row))
            people: dict[str, list[str]] = {}
            for row in tables["mentions"]:
                people.setdefault(row["article"], []).append(row["name"])
            for row in tables["articles"]:
                if row["article"] not in failed:
                    article = Article(
                        id=row["article"], text=row["text"], **{f: row[f] for f in _ARTICLE_METADATA}
                    )
                    yield ArticleResult(
                        article, quotations.get(article.id, []), people=people.get(article.id, [])
                    )


_ARTICLE_METADATA = ("outlet", "original_outlet", "title", "date", "url", "source")


def _rows(results: list[ArticleResult]) -> dict[str, list[dict]]:
    tables: dict[str, list[dict]] = {name: [] for name in TABLES}
    for result in results:
        article = result.article
        tables["articles"].append(
            {
                "article": article.id,
                "outlet": article.outlet,
                "original_outlet": article.original_outlet,
                "title": article.title,
                "date": article.date,
                "url": article.url,
                "source": article.source,
                "sha256": hashlib.sha256(article.text.encode("utf-8", "surrogatepass")).hexdigest(),
                "chars": len(article.text),
                "quotations": len(result.quotations),
                "text": article.text,
            }
        )
        tables["quotations"].extend(q.as_json() for q in result.quotations)
        tables["mentions"].extend({"article": article.id, "name": name} for name in result.people)
        if result.error:
            tables["errors"].append({"article": article.id, "source": article.source, "error": result.error})
    return tables
