"""Articles per second of each `quotes ingest` engine on the same AllSides articles.

Why: the Dask engine is for archives too big for one machine; what it costs against the fork pool,
and how its rate grows with workers, gives the per-core rate the README's cluster estimate uses.
Each engine maps `quotes.extract.extract_batch` over the same batches (as `quotes ingest --engine
E --jobs N` does). Two figures a run: the wall time including start-up (cluster, workers loading the
spaCy pipeline and the framing model), and the steady rate, counted from the first batch returned to
the last, which is what a long archive run sees.

    .venv/bin/python benchmarks/engines.py [--sample N] [--batch-size B]

Reads ../shared/data/events/allsides (or $QUOTES_SHARED_DATA/events/allsides): whole events in name
order until N articles; exits 0 with "skipped: ..." when it is absent. Writes benchmarks/out/engines.json.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from itertools import islice

from common import OUT, shared_data
from tabulate import tabulate

from quotes.articles import read_articles
from quotes.engines import Engine, batched
from quotes.records import Article

RUNS = (("processes", 1), ("processes", 2), ("dask", 1), ("dask", 2))


def measure(engine: Engine, articles: list[Article], batch_size: int) -> dict:
    """Wall seconds with start-up, and articles/s from the first batch returned to the last."""
    start = time.perf_counter()
    first_at, first_size, done = None, 0, 0
    for results in engine.map(batched(articles, batch_size)):
        done += len(results)
        if first_at is None:
            first_at, first_size = time.perf_counter(), len(results)
    end = time.perf_counter()
    steady = (done - first_size) / (end - first_at) if first_at and end > first_at else None
    return {"articles": done, "wall_s": round(end - start, 1), "steady_articles_per_s": steady}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=100)
    parser.add_argument("--batch-size", type=int, default=4)
    options = parser.parse_args()
    allsides = shared_data() / "events" / "allsides"
    if not allsides.is_dir():
        print(f"skipped: {allsides} not found")
        return
    events = [str(path) for path in sorted(allsides.iterdir()) if path.is_dir()]
    items = (item for item in read_articles(events) if isinstance(item, Article))
    articles = list(islice(items, options.sample))
    rows, figures = [], {}
    for name, jobs in RUNS:
        load = os.getloadavg()[0]
        result = measure(Engine(name, jobs=jobs), articles, options.batch_size)
        result["load_average_before"] = load
        figures[f"{name}-{jobs}"] = result
        rate = result["steady_articles_per_s"]
        rows.append(
            [
                name,
                jobs,
                result["articles"],
                result["wall_s"],
                f"{rate:.2f}" if rate else "—",
                f"{rate / jobs:.2f}" if rate else "—",
                f"{load:.1f}",
            ]
        )
    print(
        tabulate(
            rows,
            headers=[
                "engine",
                "workers",
                "articles",
                "wall s (with start-up)",
                "articles/s (steady)",
                "per worker",
                "load avg before",
            ],
        )
    )
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "engines.json").write_text(json.dumps({"cpus": os.cpu_count(), "runs": figures}, indent=1) + "\n")


if __name__ == "__main__":
    main()
