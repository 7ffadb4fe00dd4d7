"""Where the batches are parsed: in this process, in a pool of forked processes, or on Dask.

Every engine maps the same function, `quotes.extract.extract_batch`, over batches of articles and
gives back each batch's results in input order, so the rows do not depend on the engine. The Dask
engine uses `dask.distributed` as it is (its scheduler, its retries): each worker process loads the
spaCy pipeline and the framing model on its first batch and keeps them. Batches are submitted as the
input is read, a few per worker ahead, so an archive is never held in memory.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING, TypeVar

from quotes.records import AUTO_MODEL, MAX_QUOTE_CHARS, Article, ArticleResult, QuotesError

if TYPE_CHECKING:
    from distributed import Future

T = TypeVar("T")
ENGINES = ("local", "processes", "dask")
BATCH_SIZE = 16  # articles parsed together: the unit of work, of a commit, and of a Parquet partition
RETRIES = 3  # a batch whose worker died or failed is run again this many times before the run fails
BATCHES_AHEAD = 2  # batches in flight per worker thread: keeps workers busy and memory bounded


@dataclass(frozen=True)
class Engine:
    """How to run: `local` (one process), `processes` (`jobs` forked processes) or `dask`
    (`scheduler`'s cluster, else a local cluster of `jobs` single-threaded worker processes)."""

    name: str = "processes"
    jobs: int = 1
    scheduler: str | None = None
    model: str = AUTO_MODEL
    max_quote_chars: int = MAX_QUOTE_CHARS

    def __post_init__(self) -> None:
        if self.name not in ENGINES:
            raise QuotesError(f"unknown engine {self.name!r} (choose from {', '.join(ENGINES)})")
        if self.scheduler and self.name != "dask":
            raise QuotesError("--scheduler needs --engine dask")

    def map(self, batches: Iterable[list[Article]]) -> Iterator[list[ArticleResult]]:
        """Each batch's results, in input order."""
        if self.name == "dask":
            return self._dask(batches)
        from quotes.extract import extract_batches  # spaCy loads when there is something to parse

        jobs = self.jobs if self.name == "processes" else 1
        return extract_batches(batches, model=self.model, jobs=jobs, max_quote_chars=self.max_quote_chars)

    def _dask(self, batches: Iterable[list[Article]]) -> Iterator[list[ArticleResult]]:
        from dask.distributed import Client, LocalCluster  # imported only for this engine: it is slow

        from quotes.extract import extract_batch

        with ExitStack() as stack:
            if self.scheduler:
                try:
                    client = stack.enter_context(Client(self.scheduler, timeout="30s"))
                except OSError as error:
                    raise QuotesError(
                        f"cannot reach the Dask scheduler at {self.scheduler}: {error}"
                    ) from None
            else:
                cluster = stack.enter_context(
                    LocalCluster(
                        n_workers=self.jobs,
                        threads_per_worker=1,
                        processes=True,
                        dashboard_address=None,
                        silence_logs=logging.ERROR,
                    )
                )
                client = stack.enter_context(Client(cluster))
            ahead = BATCHES_AHEAD * max(sum(client.nthreads().values()), 1)
            pending: deque = deque()
            for batch in batches:
                future = client.submit(
                    extract_batch, batch, self.model, self.max_quote_chars, retries=RETRIES, pure=False
                )
                pending.append((batch[0].id, future))
                if len(pending) >= ahead:
                    yield _result(*pending.popleft())
            while pending:
                yield _result(*pending.popleft())


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Lists of `size` items in order (the last may be shorter)."""
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _result(first_article: str, future: Future) -> list[ArticleResult]:
    """The batch's results; a batch that failed every retry (or killed every worker it ran on) is a
    one-line error naming it, not a traceback."""
    try:
        return future.result()
    except QuotesError:
        raise
    except Exception as error:
        raise QuotesError(
            f"the batch from {first_article} failed on the cluster: {type(error).__name__}: {error}"
        ) from None
