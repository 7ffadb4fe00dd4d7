"""Time and peak memory of `quotes report` over the AllSides events: one report per event and one over
the whole corpus, from a single run.

Why: the issue asks that `quotes report` run over every event of ../shared/data/events/allsides (1,440
events, 3,402 articles) and over the whole corpus. Parsing dominates, so the benchmark runs
`quotes report ALLSIDES --each-folder -o benchmarks/out/report/all.md` once: it reads and parses every
article a single time, then writes `all.md` (the whole corpus) and `all/<event>.md` (one per event),
each with its two charts. It runs as a subprocess, exactly as a user would run it; the process tree's
resident memory is sampled every 0.1 s for the peak.

    .venv/bin/python benchmarks/report.py [--events N] [--jobs J] [--no-charts] [--model NAME]

`--events N` takes N events spread evenly over the sorted list (for quick runs while developing).
Reads ../shared/data/events/allsides (or $QUOTES_SHARED_DATA/events/allsides); exits 0 with
"skipped: ..." when it is absent. Writes the reports and benchmarks/out/report_<n>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
from common import OUT, REPO, shared_data
from tabulate import tabulate

QUOTES = Path(sys.executable).with_name("quotes")
SAMPLE_SECONDS = 0.1


def chosen_events(root: Path, count: int | None) -> list[Path]:
    events = sorted(p for p in root.iterdir() if p.is_dir())
    if count is None or count >= len(events):
        return events
    step = len(events) / count
    return [events[int(n * step)] for n in range(count)]


def run(command: list[str]) -> tuple[float, int, int]:
    """Wall seconds, peak resident memory of the process tree (bytes) and exit code of `command`."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)})
    watched, peak = psutil.Process(process.pid), 0
    while process.poll() is None:
        try:
            tree = [watched, *watched.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
        except psutil.Error:
            pass  # a worker ended between listing and reading it
        time.sleep(SAMPLE_SECONDS)
    return time.perf_counter() - start, peak, process.returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, help="Only N events, spread over the list.")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--no-charts", action="store_true")
    parser.add_argument("--model", default="auto")
    options = parser.parse_args()
    root = shared_data() / "events" / "allsides"
    if not root.is_dir():
        print(f"skipped: {root} not found")
        return 0
    events = chosen_events(root, options.events)
    articles = sum(1 for event in events for _ in event.glob("*.json"))
    out = OUT / "report" / "all.md"
    shutil.rmtree(out.parent, ignore_errors=True)  # no reports left from an earlier run
    with tempfile.TemporaryDirectory(prefix="report-events-") as farm:
        if options.events is None:
            corpus = root
        else:  # a folder of links to the chosen events, so that --each-folder sees them as subfolders
            corpus = Path(farm)
            for event in events:
                (corpus / event.name).symlink_to(event, target_is_directory=True)
        command = [str(QUOTES), "report", str(corpus), "--each-folder", "-o", str(out)]
        command += ["--jobs", str(options.jobs), "--model", options.model]
        command += ["--no-charts"] if options.no_charts else []
        seconds, peak, code = run(command)
    reports = sorted((out.parent / out.stem).glob("*.md"))
    figures = {
        "events": len(events),
        "articles": articles,
        "jobs": options.jobs,
        "charts": "no" if options.no_charts else "yes",
        "seconds": round(seconds, 1),
        "articles_per_second": round(articles / seconds, 2),
        "peak_memory_mb": round(peak / 2**20),
        "event_reports": len(reports),
        "whole_corpus_report_kb": round(out.stat().st_size / 1024) if out.exists() else None,
        "exit_code": code,
        "command": " ".join(command),
    }
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"report_{len(events)}.json").write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
    print(tabulate([[k, v] for k, v in figures.items() if k != "command"], tablefmt="simple"))
    return 0 if code in (0, 1) and len(reports) == len(events) else 1  # 1: some articles failed, reported


if __name__ == "__main__":
    sys.exit(main())
