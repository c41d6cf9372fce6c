"""The threads that answer CPU-heavy requests (search, similar, tag, the themed index).

Each such request runs on a small pool of its own, so the light routes (status, titles, a
document), which run on Starlette's thread pool, always find a thread free, and the event
loop never waits on a computation. A request gets a time budget: past it, the client is told
so (504) and the connection is free again.

A Python thread cannot be stopped: the computation itself goes on until it ends. What bounds
it is the body limit (``guards.BodyLimit``: a tag of the largest body allowed takes about a
minute on two cores), and the pool's size: at most ``workers`` run at once and ``queue`` wait;
beyond, a request is refused at once (503) rather than piling up threads.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from starlette.exceptions import HTTPException

T = TypeVar("T")

BUDGET = 30.0  # seconds: a tag of a long case study (~30 kB) takes a few seconds
WORKERS = 2
QUEUE = 8


class HeavyWork:
    def __init__(self, budget: float = BUDGET, workers: int = WORKERS, queue: int = QUEUE):
        self.budget = budget
        self.workers = workers
        self._pool: ThreadPoolExecutor | None = None  # made at first use, again after close
        self._room = threading.BoundedSemaphore(workers + queue)  # running or waiting

    async def run(self, call: Callable[[], T]) -> T:
        """``call()`` on a worker thread; 503 when the pool is full, 504 past the budget."""
        if not self._room.acquire(blocking=False):
            raise HTTPException(
                503,
                "the server is busy with other long requests: try again in a moment",
                headers={"retry-after": "5"},
            )
        if self._pool is None:
            self._pool = ThreadPoolExecutor(self.workers, thread_name_prefix="tisser-heavy")
        future = self._pool.submit(call)
        future.add_done_callback(lambda _: self._room.release())
        try:
            return await asyncio.wait_for(asyncio.wrap_future(future), self.budget)
        except (asyncio.TimeoutError, TimeoutError):
            raise HTTPException(
                504,
                f"the request took longer than {self.budget:g} s and was abandoned: "
                "send a shorter text, or ask for fewer results",
            ) from None

    def close(self) -> None:
        """Stop the threads once their requests end (an app's lifespan may start again)."""
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
