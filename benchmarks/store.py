"""The store on real news: ingest time and memory, finding a story's articles, and `quotes audit` speed.

Why: a tracker has to ingest a real corpus in reasonable time and memory, and an editor's audit of one
article against it has to come back in seconds (aim: <= 3 s wall, start-up included). Three steps, on
whole AllSides events (the articles of one event are one story):

  ingest    `quotes ingest FILES --db TMP --jobs J` in a subprocess: wall time, peak RSS of its tree
  stories   for up to --stories stored articles, `quotes.audit.similar_articles` against the store,
            scored against the events (same event = same story): precision, recall, others per article
  audit     `quotes audit ARTICLE --db TMP --format json` in a subprocess, wall time start-up included,
            the best of --repeat runs: an article held out of the ingest (parsed on the spot) and a
            stored one (read back); then the held-out one against the same rows as a Parquet archive
            (`--db FOLDER`, read whole into memory), one run

    .venv/bin/python benchmarks/store.py [--sample N] [--jobs J] [--seed S] [--repeat R] [--keep DIR]

--sample N takes whole events, in a seeded random order, until N articles (default: all 3,402).
Reads ../shared/data/events/allsides (or $QUOTES_SHARED_DATA/events/allsides); exits 0 with
"skipped: ..." when it is absent. Writes benchmarks/out/store_<n>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import OUT, git_state, shared_data, shown
from speed import peak_tree_memory
from tabulate import tabulate

from quotes.archive import Archive
from quotes.audit import SIMILARITY, WINDOW_DAYS, similar_articles
from quotes.engines import BATCH_SIZE, batched
from quotes.records import ArticleResult
from quotes.store import Store

QUOTES = Path(sys.executable).with_name("quotes")
AUDIT_AIM_SECONDS = 3.0


def events(root: Path, sample: int | None, seed: int) -> list[list[Path]]:
    """The events (lists of article files), whole, in a seeded order, until `sample` articles."""
    found = [sorted(d.glob("*.json")) for d in sorted(p for p in root.iterdir() if p.is_dir())]
    random.Random(seed).shuffle(found)
    chosen, count = [], 0
    for files in found:
        if sample is not None and count >= sample:
            break
        chosen.append(files)
        count += len(files)
    return chosen


def ingest(files: list[Path], db: Path, jobs: int) -> dict:
    started = time.perf_counter()
    child = subprocess.Popen([QUOTES, "ingest", *map(str, files), "--db", str(db), "--jobs", str(jobs)])
    peak_rss, _ = peak_tree_memory(child)
    if child.wait() not in (0, 1):  # 1: some articles failed, reported on stderr
        raise SystemExit(f"store: quotes ingest failed (exit {child.returncode})")
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "articles_per_s": len(files) / seconds, "peak_tree_rss_mb": peak_rss / 2**20}


def stories(db: Path, limit: int, seed: int) -> dict:
    """How well similar_articles finds the other articles of an article's event among those stored."""
    with Store(db) as store:
        articles = store.articles()
        event = {i: Path(a.id).parent.name for i, a in articles.items()}
        chosen = sorted(random.Random(seed).sample(sorted(articles), min(limit, len(articles))))
        found = right = expected = 0
        started = time.perf_counter()
        for article_id in chosen:
            similar = {i for i, _ in similar_articles(store, articles[article_id], exclude=article_id)}
            same = {i for i, e in event.items() if e == event[article_id] and i != article_id}
            found, right, expected = found + len(similar), right + len(similar & same), expected + len(same)
        seconds = time.perf_counter() - started
    return {
        "articles": len(chosen),
        "precision": right / found if found else 0.0,
        "recall": right / expected if expected else 0.0,
        "others_per_article": (found - right) / len(chosen),
        "seconds_per_article": seconds / len(chosen),
    }


def copy_to_archive(db: Path, folder: Path) -> None:
    """The store's articles, quotations and people as a `quotes ingest --out` archive (written from
    the rows, not parsed again), to time `quotes audit --db FOLDER` on the same corpus."""
    with Store(db) as store:
        articles, quotations = store.articles(), store.quotations()
        results = [
            ArticleResult(a, quotations.get(i, []), people=store.people([i])) for i, a in articles.items()
        ]
    archive = Archive(folder)
    for batch in batched(results, BATCH_SIZE):
        archive.write(batch)
    archive.write_speakers()


def audit_seconds(article: Path, db: Path, repeat: int) -> dict:
    runs, output = [], {}
    for _ in range(repeat):
        started = time.perf_counter()
        done = subprocess.run(
            [QUOTES, "audit", str(article), "--db", str(db), "--format", "json"],
            capture_output=True,
            text=True,
        )
        runs.append(time.perf_counter() - started)
        if done.returncode != 0:
            raise SystemExit(f"store: quotes audit failed: {done.stderr.strip()}")
        output = json.loads(done.stdout)
    return {
        "article": shown(article),
        "seconds": min(runs),
        "runs": runs,
        "related": len(output["related"]),
        "findings": output["counts"],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sample", type=int, help="about this many articles, whole events (default all)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3, help="audit runs; the fastest is reported")
    parser.add_argument("--stories", type=int, default=300, help="articles whose story is looked up")
    parser.add_argument(
        "--keep", type=Path, help="keep the store here (quotes.db, and held_out.txt naming the new article)"
    )
    options = parser.parse_args()
    root = shared_data() / "events" / "allsides"
    if not root.is_dir():
        print(f"skipped: {shown(root)} not found")
        return 0
    chosen = events(root, options.sample, options.seed)
    held_out = next(files[0] for files in chosen if len(files) > 1)  # audited as a new article
    files = [f for event in chosen for f in event if f != held_out]
    OUT.mkdir(parents=True, exist_ok=True)
    load_before = os.getloadavg()[1]
    with tempfile.TemporaryDirectory(dir=OUT) as tmp:
        db = Path(tmp) / "quotes.db"
        print(
            f"ingesting {len(files)} articles of {len(chosen)} events (jobs={options.jobs}) ...", flush=True
        )
        ingested = ingest(files, db, options.jobs)
        with Store(db) as store:
            summary = store.stats()
        ingested["db_mb"] = sum(p.stat().st_size for p in Path(tmp).iterdir()) / 2**20
        found = stories(db, options.stories, options.seed)
        audits = {
            "new article": audit_seconds(held_out, db, options.repeat),
            "stored article": audit_seconds(files[0], db, options.repeat),
        }
        archive = Path(tmp) / "archive"
        copy_to_archive(db, archive)
        audits["new article, Parquet archive"] = audit_seconds(held_out, archive, 1)
        if options.keep:
            options.keep.mkdir(parents=True, exist_ok=True)
            for path in Path(tmp).iterdir():
                path.replace(options.keep / path.name)
            (options.keep / "held_out.txt").write_text(f"{held_out}\n", encoding="utf-8")
    load = (load_before + os.getloadavg()[1]) / 2  # other work on the machine skews every figure
    quotations = sum(summary["quotations"].values())
    rows = [
        [
            "ingest",
            f"{len(files)} articles, {quotations:,} quotations",
            f"{ingested['seconds']:.0f} s",
            f"{ingested['articles_per_s']:.2f} articles/s",
            f"peak tree RSS {ingested['peak_tree_rss_mb']:,.0f} MB",
            f"store {ingested['db_mb']:.0f} MB",
        ],
        [
            "stories",
            f"{found['articles']} articles looked up",
            f"{found['seconds_per_article']:.2f} s each",
            f"precision {found['precision']:.3f}",
            f"recall {found['recall']:.3f}",
            f"{found['others_per_article']:.2f} other-event articles each",
        ],
    ]
    for kind, result in audits.items():
        met = "met" if result["seconds"] <= AUDIT_AIM_SECONDS else "NOT met"
        verdict = "archive read whole" if "archive" in kind else f"aim <= {AUDIT_AIM_SECONDS:.0f} s: {met}"
        rows.append(
            [
                f"audit ({kind})",
                result["article"],
                f"{result['seconds']:.2f} s wall",
                verdict,
                f"{result['related']} related",
                ", ".join(f"{k} {n}" for k, n in result["findings"].items() if n),
            ]
        )
    print(tabulate(rows, tablefmt="simple"))
    print(f"machine load (5-minute average, start and end): {load:.1f} on {os.cpu_count()} cores")
    report = {
        "commit": git_state(),
        "sample": len(files),
        "events": len(chosen),
        "jobs": options.jobs,
        "load_average": load,
        "similarity": SIMILARITY,
        "window_days": WINDOW_DAYS,
        "ingest": ingested,
        "store": summary,
        "stories": found,
        "audit": audits,
    }
    out = OUT / f"store_{len(files)}.json"
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {shown(out)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
