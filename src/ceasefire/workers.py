"""Work fanned out to forked worker processes, results taken back in order.

A large import is prepared (validated, built into entries, serialised) in parts by worker
processes while the importing process hashes and writes the parts already done: the
writing is about half of an import's time, and a second core is otherwise idle. Workers
are forked (they inherit the job, the rows and the agreements; nothing is pickled on the
way out), never touch the database, and are gone when the work ends, fails or is
interrupted.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import signal
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, TypeVar

Job = TypeVar("Job")
Task = TypeVar("Task")
Result = TypeVar("Result")

#: The job of the pool being started, and how its workers pack a result to send it,
#: inherited by its forked workers.
_JOB: Any = None
_PACK: Callable[[Any], Any] | None = None


def default_workers() -> int:
    """One worker per core this process may run on; none where processes cannot fork (the
    rows would have to be pickled to each worker, which costs what it saves).

    On two cores, two workers and the importing process (which also takes a task when it
    would wait: see ``in_workers``) imported 49,000-51,000 rows/s where one worker and the
    importing process managed 39,000-45,000: the importing process, writing and preparing,
    became the slower of the two.
    """
    if "fork" not in mp.get_all_start_methods():
        return 0
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    return min(cores, 8) if cores > 1 else 0


def _start_worker() -> None:
    # Ctrl-C goes to the whole process group: the importing process handles it (and ends
    # the pool); a worker would only print a second traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _keep_freed_memory()


def _keep_freed_memory() -> None:
    """Keep the memory a task frees for the next (glibc's malloc; elsewhere nothing).

    Each result is pickled into a buffer of a megabyte or more that grows as it is
    written; freed, glibc gave it back to the system, and the next task's result faulted
    every page of it in again: a third of a worker's system time.
    """
    try:
        import ctypes

        libc = ctypes.CDLL(None)
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # not glibc
        return
    mallopt(-1, 256 << 20)  # M_TRIM_THRESHOLD
    mallopt(-3, 32 << 20)  # M_MMAP_THRESHOLD


def _run(fn: Callable[[Any, Any], Any], task: Any) -> Any:
    """In a worker: the task, with the job the worker inherited (packed to be sent)."""
    result = fn(_JOB, task)
    return result if _PACK is None else _PACK(result)


@contextlib.contextmanager
def in_workers(fn: Callable[[Job, Task], Result], job: Job, tasks: Sequence[Task],
               workers: int, *, pack: Callable[[Result], Any] | None = None,
               unpack: Callable[[Any], Result] | None = None) -> Iterator[Iterator[Result]]:
    """``fn(job, task)`` for each task, in order, by ``workers`` forked processes (here, one
    at a time, when ``workers`` is 0). A worker sends ``pack(result)``, taken back here
    with ``unpack``, where that is cheaper than pickling the result itself.

    At most two tasks per worker (and two more) are ahead of the one being consumed, so
    memory follows the tasks, not their number. Where the next result is not ready, this
    process does, instead of waiting, the furthest task ahead that no worker has started
    (the consumer of the results is otherwise idle part of the time: a core's worth of
    work on two cores). An exception in a task is raised here when its result is
    reached, in order, wherever the task ran: the first failing task is the one reported.
    Leaving the block (done, failed or interrupted) ends every worker (each finishes the
    task it has).
    """
    if not workers:
        yield (fn(job, t) for t in tasks)
        return
    global _JOB, _PACK
    _JOB, _PACK = job, pack  # forked workers (all started with the first task) inherit it
    take = unpack or (lambda packed: packed)
    pool = ProcessPoolExecutor(workers, mp_context=mp.get_context("fork"),
                               initializer=_start_worker)

    def here(task: Task) -> Future[Result]:
        """A task done in this process, as a finished future (its result or its error)."""
        done: Future[Result] = Future()
        try:
            done.set_result(fn(job, task))
        except Exception as exc:  # raised when its turn comes, as a worker's would be
            done.set_exception(exc)
        return done

    def results() -> Iterator[Result]:
        # each task, its future, and whether a worker runs it (its result comes packed)
        pending: deque[tuple[Task, Future[Any], bool]] = deque()
        todo = iter(tasks)
        for task in todo:
            pending.append((task, pool.submit(_run, fn, task), True))
            if len(pending) >= 2 * workers + 2:
                break
        while pending:
            if not pending[0][1].done():  # help with the furthest task not yet started
                for k in range(len(pending) - 1, 0, -1):
                    task, future, _ = pending[k]
                    if future.cancel():
                        pending[k] = (task, here(task), False)
                        break
            _, future, packed = pending.popleft()
            result = take(future.result()) if packed else future.result()
            for task in todo:  # one more in place of the one taken
                pending.append((task, pool.submit(_run, fn, task), True))
                break
            yield result

    try:
        yield results()
    finally:
        _JOB = _PACK = None
        # Parts not started are dropped; those under way are finished (a fraction of a
        # second): a worker killed while sending its result would leave half a message in
        # the pipe the pool reads from, and the pool's thread waiting on it for ever.
        pool.shutdown(wait=True, cancel_futures=True)
