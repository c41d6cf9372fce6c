"""Does one slow request hold up the others? `/api/status` polled while `POST /api/tag` runs.

Starts `search.py serve` in a subprocess over an index (by default the seed corpus indexed with
the hashing embedder into benchmarks/out/contention-index: tag still runs spaCy). Sends each
hostile body once, then a 100,000-letter word from 40 clients at once (as many as Starlette's
thread pool holds), polls `/api/status` every 0.1 s until the tags answer, and prints their
statuses, the time of the last, and the status latencies (median, max) seen meanwhile.

    python benchmarks/server_contention.py [--index DIR] [--port 8765] [--flood 40] [--budget S]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from common import OUT, ROOT, percentile

BODIES = {
    "100,000-letter word": "a" * 100_000,
    "190 kB of French text": "Une coopérative de Lyon fédère les artisans du bois local. " * 3_150,
}


def request(url: str, body: bytes | None = None, timeout: float = 600) -> tuple[int, float]:
    started = time.perf_counter()
    headers = {"content-type": "application/json"} if body is not None else {}
    try:
        with urllib.request.urlopen(
            urllib.request.Request(url, body, headers), timeout=timeout
        ) as answer:
            answer.read()
            status = answer.status
    except urllib.error.HTTPError as error:
        status = error.code
    return status, time.perf_counter() - started


def contention(base: str, text: str, clients: int = 1) -> dict:
    """``clients`` tags of ``text`` at once; `/api/status` polled until they all answer."""
    body = json.dumps({"text": text}, ensure_ascii=False).encode()
    tagged: list[tuple[int, float]] = []

    def tag() -> None:
        tagged.append(request(f"{base}/api/tag", body))

    workers = [threading.Thread(target=tag) for _ in range(clients)]
    for worker in workers:
        worker.start()
    latencies = []
    while any(worker.is_alive() for worker in workers):
        latencies.append(request(f"{base}/api/status")[1])
        time.sleep(0.1)
    codes = sorted({code for code, _ in tagged})
    return {
        "status": ", ".join(f"{sum(c == code for c, _ in tagged)}×{code}" for code in codes),
        "seconds": max(seconds for _, seconds in tagged),
        "polls": len(latencies),
        "latencies": latencies,
    }


def default_index() -> Path:
    index = OUT / "contention-index"
    if not (index / "CURRENT").is_file():
        subprocess.run(
            [sys.executable, str(ROOT / "search.py"), "build", str(ROOT / "corpus")]
            + ["--index", str(index), "--model", "hash:64"],
            check=True,
        )
    return index


def serve(index: Path, port: int, budget: float | None) -> subprocess.Popen:
    timeout = ["--timeout", str(budget)] if budget is not None else []
    server = subprocess.Popen(
        [sys.executable, str(ROOT / "search.py"), "serve", "--index", str(index)]
        + ["--port", str(port)]
        + timeout,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(600):  # the first start may load spaCy and the model
        try:
            request(f"http://127.0.0.1:{port}/api/status", timeout=2)
            return server
        except OSError:
            time.sleep(0.5)
    server.kill()
    raise SystemExit("the server did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--flood", type=int, default=40, help="clients tagging at once")
    parser.add_argument("--budget", type=float, help="serve --timeout (default: its own)")
    args = parser.parse_args()
    server = serve(args.index or default_index(), args.port, args.budget)
    base = f"http://127.0.0.1:{args.port}"
    try:
        request(f"{base}/api/tag", json.dumps({"text": "Une scierie à Lyon."}).encode())
        idle = [request(f"{base}/api/status")[1] for _ in range(20)]
        print(f"status alone: median {percentile(idle, 50) * 1000:.0f} ms")
        scenarios = [(name, text, 1) for name, text in BODIES.items()]
        scenarios.append(
            (f"{args.flood} clients at once, a 100,000-letter word each", "a" * 100_000, args.flood)
        )
        for name, text, clients in scenarios:
            found = contention(base, text, clients)
            seen = found["latencies"] or [0.0]
            print(
                f"{name}: tag {found['status']}, the last in {found['seconds']:.1f} s; "
                f"status meanwhile ({found['polls']} polls): "
                f"median {percentile(seen, 50) * 1000:.0f} ms, max {max(seen) * 1000:.0f} ms"
            )
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
