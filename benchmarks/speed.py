"""Throughput and peak memory of `quotes` on real news, against bare spaCy and the textacy baseline.

Why: the aims are that extraction costs little beyond parsing (jobs=1 at >= 0.9x the articles/s of a
bare `nlp.pipe` of the same pipeline), that a second process pays (jobs=2 at >= 1.6x jobs=1) and that
a streaming run stays under 1.5 GB. All four measurements run on the same articles in one invocation,
each in a fresh subprocess so that its memory high-water mark is its own:

  spacy        bare `nlp.pipe(texts, batch_size=quotes.extract.BATCH_SIZE, n_process=1)`
  quotes-j1    `extract_articles(articles, jobs=1)` then `canonicalize`, as `quotes extract` does
  quotes-j2    the same with jobs=2 (forked worker processes)
  textacy      `textacy.extract.triples.direct_quotations` on each whole article (errors counted)

In each subprocess the pipeline is loaded, the articles are read (with `quotes.articles.read_articles`)
and the pipeline is warmed up on the first batch of them before the clock starts; load and read times
are reported apart. Other work on the machine skews the figures, so the CPU it used meanwhile is
reported too ("other load", in cores).

    .venv/bin/python benchmarks/speed.py [--sample N | --all] [--seed S] [--repeat R] [--model NAME]

Reads ../shared/data/events/allsides (or $QUOTES_SHARED_DATA/events/allsides); exits 0 with
"skipped: ..." when it is absent. Writes benchmarks/out/speed_<n>.json.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
import spacy
import textacy
from common import OUT, git_state, shared_data, shown
from tabulate import tabulate
from textacy_baseline import document_mode

from quotes.articles import read_articles
from quotes.engines import BATCH_SIZE
from quotes.extract import extract_articles
from quotes.names import canonicalize
from quotes.pipeline import available_model, load_pipeline
from quotes.records import AUTO_MODEL, Article

DEFAULT_SAMPLE = 500
MODES = {
    "spacy": "spaCy nlp.pipe (bare)",
    "quotes-j1": "quotes, jobs=1",
    "quotes-j2": "quotes, jobs=2",
    "textacy": "textacy direct_quotations (whole doc)",
}
JOBS = {"quotes-j1": 1, "quotes-j2": 2}
AIMS = {"quotes-j1 / spacy": 0.9, "quotes-j2 / quotes-j1": 1.6}
MEMORY_AIM_MB = 1500
WARM_UP = BATCH_SIZE  # articles parsed before the clock starts, the same in every mode
SAMPLE_SECONDS = 0.1  # how often the process tree's RSS is sampled
PSS_EVERY = 10  # PSS (reads smaps) costs more: every 10th sample, i.e. once a second


# --------------------------------------------------------------------------------------------------
# One measurement, in its own process


def measure(mode: str, paths: list[str], model: str) -> dict:
    """Run one mode over the articles at `paths` and return its figures (this process only)."""
    started = time.perf_counter()
    nlp = load_pipeline(model)
    load_seconds = time.perf_counter() - started

    started = time.perf_counter()
    articles, failures = [], 0
    for item in read_articles(paths):
        if isinstance(item, Article):
            articles.append(item)
        else:
            failures += 1
    read_seconds = time.perf_counter() - started
    texts = [article.text for article in articles]
    # A first batch of long texts ran ~25 % slower than later ones (allocations, caches): every mode
    # parses the same first batch once, unclocked, so that none pays it and pool workers fork warm.
    for _ in nlp.pipe(texts[:WARM_UP], batch_size=BATCH_SIZE):
        pass
    gc.collect()

    quotations = errors = 0
    cpu_before = _our_cpu_seconds()
    started = time.perf_counter()
    if mode == "spacy":
        for _ in nlp.pipe(texts, batch_size=BATCH_SIZE, n_process=1):
            pass
    elif mode in JOBS:
        found = []
        for result in extract_articles(articles, model=model, jobs=JOBS[mode]):
            found.extend(result.quotations)
            errors += result.error is not None
        quotations = len(canonicalize(found))
    elif mode == "textacy":
        for result in document_mode(nlp, texts, BATCH_SIZE):
            quotations += len(result.predictions)
            errors += result.errors
    else:
        raise ValueError(f"unknown mode {mode!r}")
    seconds = time.perf_counter() - started
    cpu_seconds = _our_cpu_seconds() - cpu_before  # this process and its pool workers (reaped by now)

    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # reaped pool workers
    return {
        "mode": mode,
        "articles": len(articles),
        "read_failures": failures,
        "words": sum(len(text.split()) for text in texts),
        "chars": sum(map(len, texts)),
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "load_seconds": load_seconds,
        "read_seconds": read_seconds,
        "quotations": quotations,
        "errors": errors,
        "maxrss_mb": max(own, children) / 1024,
    }


# --------------------------------------------------------------------------------------------------
# The orchestrating process: one subprocess a mode, its process tree sampled for memory


def run_mode(mode: str, paths_file: Path, model: str) -> dict:
    """Measure `mode` in a fresh subprocess, sampling the RSS (and PSS) of its whole process tree."""
    with tempfile.NamedTemporaryFile(suffix=".json", dir=OUT, delete=False) as handle:
        result_file = Path(handle.name)
    command = [sys.executable, __file__, "--measure", mode, "--paths", str(paths_file)]
    command += ["--model", model, "--result", str(result_file)]
    busy_before, ours_before, started = _busy_seconds(), _our_cpu_seconds(), time.perf_counter()
    child = subprocess.Popen(command)
    peak_rss, peak_pss = peak_tree_memory(child)
    if child.wait() != 0:
        raise SystemExit(f"speed: the {mode} measurement failed (exit {child.returncode})")
    others = (_busy_seconds() - busy_before) - (_our_cpu_seconds() - ours_before)
    result = json.loads(result_file.read_text(encoding="utf-8"))
    result_file.unlink()
    result["other_cpu_cores"] = max(0.0, others) / (time.perf_counter() - started)
    result["tree_rss_mb"] = peak_rss / 2**20
    result["tree_pss_mb"] = peak_pss / 2**20
    return result


def peak_tree_memory(child: subprocess.Popen) -> tuple[int, int]:
    """Peak summed RSS and PSS (bytes) of `child` and all its descendants, sampled until it exits."""
    root = psutil.Process(child.pid)
    peak_rss = peak_pss = 0
    samples = 0
    while child.poll() is None:
        try:
            tree = [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            break
        rss = pss = 0
        for process in tree:
            try:
                rss += process.memory_info().rss
                if samples % PSS_EVERY == 0:
                    pss += process.memory_full_info().pss
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                continue
        peak_rss, peak_pss = max(peak_rss, rss), max(peak_pss, pss)
        samples += 1
        time.sleep(SAMPLE_SECONDS)
    return peak_rss, peak_pss


def _busy_seconds() -> float:
    """CPU seconds the whole machine has spent not idle."""
    times = psutil.cpu_times()
    return sum(times) - times.idle - getattr(times, "iowait", 0.0)


def _our_cpu_seconds() -> float:
    """CPU seconds of this process and its reaped descendants (the measurements and their workers)."""
    usage = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    return sum(u.ru_utime + u.ru_stime for u in usage)


def choose(files: list[Path], sample: int | None, seed: int) -> list[Path]:
    """A fixed sample of `files` (the same for a given seed and size), in name order; None = all."""
    if sample is None or sample >= len(files):
        return files
    return sorted(random.Random(seed).sample(files, sample))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--sample", type=int, default=DEFAULT_SAMPLE, help="articles (default %(default)s)")
    size.add_argument("--all", action="store_true", help="every article (3,402)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the sample (default 0)")
    parser.add_argument(
        "--repeat", type=int, default=1, help="rounds of all modes, the fastest reported (default 1)"
    )
    parser.add_argument("--model", default=AUTO_MODEL, help="spaCy pipeline (default: as `quotes` picks)")
    parser.add_argument("--modes", default=",".join(MODES), help=f"comma-separated, of {','.join(MODES)}")
    parser.add_argument("--measure", choices=MODES, help=argparse.SUPPRESS)
    parser.add_argument("--paths", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.measure:  # a measuring subprocess
        paths = args.paths.read_text(encoding="utf-8").splitlines()
        figures = measure(args.measure, paths, args.model)
        args.result.write_text(json.dumps(figures), encoding="utf-8")
        return 0

    events = shared_data() / "events" / "allsides"
    if not events.is_dir():
        print(f"skipped: {shown(events)} not found (set QUOTES_SHARED_DATA to its data folder)")
        return 0
    if args.repeat < 1 or (args.sample is not None and args.sample < 1):
        parser.error("--repeat and --sample must be at least 1")
    modes = [mode.strip() for mode in args.modes.split(",") if mode.strip()]
    if unknown := set(modes) - set(MODES):
        parser.error(f"unknown modes: {', '.join(sorted(unknown))}")
    files = sorted(events.glob("*/*.json"))
    chosen = choose(files, None if args.all else args.sample, args.seed)
    model = available_model(args.model)
    OUT.mkdir(parents=True, exist_ok=True)
    paths_file = OUT / f"speed_articles_{len(chosen)}.txt"
    paths_file.write_text("".join(f"{path}\n" for path in chosen), encoding="utf-8")
    sampled = "all" if len(chosen) == len(files) else f"sample of {len(chosen)} (seed {args.seed})"
    print(f"{len(chosen)} of {len(files)} articles from {shown(events)}, {sampled}; pipeline {model}")

    started = time.perf_counter()
    runs: dict[str, list[dict]] = {mode: [] for mode in modes}
    for round_ in range(1, args.repeat + 1):
        for mode in modes:  # round-robin, so that a slow spell on the machine hits every mode alike
            print(f"measuring {MODES[mode]} (round {round_} of {args.repeat}) …", flush=True)
            result = run_mode(mode, paths_file, model)
            result["articles_per_second"] = result["articles"] / result["seconds"]
            result["words_per_second"] = result["words"] / result["seconds"]
            runs[mode].append(result)
    wall = time.perf_counter() - started
    results = {mode: _fastest(mode_runs) for mode, mode_runs in runs.items()}

    rows = [
        [
            MODES[mode],
            f"{r['articles_per_second']:.2f}",
            f"{r['words_per_second']:,.0f}",
            f"{r['seconds']:.1f}",
            f"{r['cpu_seconds']:.1f}",
            f"{r['maxrss_mb']:,.0f}",
            f"{r['tree_rss_mb']:,.0f}",
            f"{r['tree_pss_mb']:,.0f}",
            f"{r['load_seconds']:.1f}",
            f"{r['read_seconds']:.1f}",
            r["quotations"],
            r["errors"],
            f"{r['other_cpu_cores']:.2f}",
        ]
        for mode, r in results.items()
    ]
    headers = ["run", "articles/s", "words/s", "seconds", "CPU s", "max RSS MB", "tree RSS MB", "tree PSS MB"]
    headers += ["load s", "read s", "quotations", "errors", "other load"]
    print()
    first = next(iter(results.values()))
    rounds = f"; fastest of {args.repeat} rounds, highest memory" if args.repeat > 1 else ""
    print(f"{first['articles']} articles, {first['words']:,} words, {first['chars']:,} characters{rounds}")
    print(tabulate(rows, headers=headers, disable_numparse=True))
    print(
        "max RSS: kernel high-water mark (ru_maxrss) of the largest single process in the tree;\n"
        f"tree RSS / PSS: psutil samples of the subprocess and all its children summed "
        f"(RSS every {SAMPLE_SECONDS} s, counts pages shared after fork once per process; "
        f"PSS every {SAMPLE_SECONDS * PSS_EVERY:.0f} s, shares them out). "
        "Load and read times are outside the clock.\n"
        "CPU s: CPU time of the clocked work, pool workers included.\n"
        "other load: average CPU cores used by processes outside the benchmark while it measured."
    )

    checks = []
    for name, aim in AIMS.items():
        top, bottom = name.split(" / ")
        if top in results and bottom in results:
            ratio = results[top]["articles_per_second"] / results[bottom]["articles_per_second"]
            checks.append([f"{name} (articles/s)", f"{ratio:.2f}×", f"≥ {aim}×", _verdict(ratio >= aim)])
            if top in JOBS and bottom not in JOBS:  # single process each: CPU time is less load-sensitive
                ratio = results[bottom]["cpu_seconds"] / results[top]["cpu_seconds"]
                checks.append([f"{name} (by CPU time)", f"{ratio:.2f}×", f"≥ {aim}×", _verdict(ratio >= aim)])
    for mode in (mode for mode in JOBS if mode in results):
        peak = results[mode]["tree_rss_mb"]
        verdict = _verdict(peak < MEMORY_AIM_MB)
        checks.append([f"{mode} peak tree RSS", f"{peak:,.0f} MB", f"< {MEMORY_AIM_MB:,} MB", verdict])
    print()
    print(tabulate(checks, headers=["aim", "measured", "target", "verdict"], disable_numparse=True))
    print(f"wall {wall:.1f} s")
    busiest = max(r["other_cpu_cores"] for r in results.values())
    if busiest > 0.2:
        print(
            f"warning: other processes kept up to {busiest:.2f} of {os.cpu_count()} cores busy during a "
            "measurement (column 'other load'); the timings are skewed, rerun on a quiet machine"
        )

    report = {
        "benchmark": "speed",
        "events": shown(events),
        "articles_available": len(files),
        "articles": len(chosen),
        "sample": None if len(chosen) == len(files) else {"size": len(chosen), "seed": args.seed},
        "article_list": shown(paths_file),
        "model": model,
        "batch_size": BATCH_SIZE,
        "cpus": os.cpu_count(),
        "versions": {
            "python": platform.python_version(),
            "spacy": spacy.__version__,
            "textacy": textacy.__version__,
        },
        "commit": git_state(),
        "repeat": args.repeat,
        "memory": {
            "maxrss_mb": "ru_maxrss (kernel high-water) of the largest single process of the tree",
            "tree_rss_mb": f"psutil: peak of the summed RSS of the tree, sampled every {SAMPLE_SECONDS} s",
            "tree_pss_mb": f"psutil: peak of the summed PSS of the tree, sampled every "
            f"{SAMPLE_SECONDS * PSS_EVERY:.0f} s",
        },
        "results": {mode: {k: _rounded(v) for k, v in r.items()} for mode, r in results.items()},
        "checks": [dict(zip(["aim", "measured", "target", "verdict"], row, strict=True)) for row in checks],
        "wall_seconds": round(wall, 1),
    }
    out = OUT / f"speed_{'all' if report['sample'] is None else len(chosen)}.json"
    out.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {shown(out)}")
    return 0


def _fastest(mode_runs: list[dict]) -> dict:
    """The fastest of a mode's rounds, with the highest memory of any round and every round's time."""
    best = dict(min(mode_runs, key=lambda run: run["seconds"]))
    for key in ("maxrss_mb", "tree_rss_mb", "tree_pss_mb"):
        best[key] = max(run[key] for run in mode_runs)
    best["rounds_seconds"] = [round(run["seconds"], 1) for run in mode_runs]
    return best


def _verdict(passed: bool) -> str:
    return "pass" if passed else "FAIL"


def _rounded(value: object) -> object:
    return round(value, 3) if isinstance(value, float) else value


if __name__ == "__main__":
    sys.exit(main())
