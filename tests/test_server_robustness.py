"""What a slow, hostile or unlucky client cannot do to the server: hold up the other requests,
keep a connection with a body that never comes, or make it hold every snapshot it served."""

from __future__ import annotations

import asyncio
import gc
import json
import logging
import socket
import threading
import time
import urllib.error
import urllib.request
import weakref
from urllib.parse import urlparse

import pytest
from browser import running
from click.testing import CliRunner
from fastapi.testclient import TestClient
from starlette.exceptions import HTTPException
from test_server_api import DOCUMENTS, build_index

from pipeline import api
from pipeline.cli import cli
from pipeline.index import annotate
from pipeline.search import searcher as searcher_module
from pipeline.server import create_app
from pipeline.server.holder import IndexHolder
from pipeline.server.workers import HeavyWork

GENEROUS = 60.0  # seconds: only to end a test that failed, never a measure of speed


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory):
    return build_index(tmp_path_factory.mktemp("robust") / "index")


def get(url: str, body: dict | None = None) -> tuple[int, dict]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data, {"content-type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=GENEROUS) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


# -- a slow request holds up no other ----------------------------------------------------------


def test_status_answers_while_a_tag_computes(index_dir, monkeypatch):
    status_seen = threading.Event()

    def computing_tag(searcher, text, k=5):  # pure Python work: it holds the GIL as it runs
        deadline = time.monotonic() + GENEROUS
        while not status_seen.is_set() and time.monotonic() < deadline:
            sum(i * i for i in range(10_000))
        return {"still_running_when_status_answered": status_seen.is_set()}

    with running(create_app(index_dir)) as url:
        monkeypatch.setattr(api, "tag_text", computing_tag)  # after the warm-up, which tags
        tagged = {}
        tag = threading.Thread(
            target=lambda: tagged.update(answer=get(f"{url}/api/tag", {"text": "bois"}))
        )
        tag.start()
        time.sleep(0.2)  # let the tag start computing
        assert get(f"{url}/api/status")[0] == 200
        status_seen.set()
        tag.join(GENEROUS)
    assert tagged["answer"] == (200, {"still_running_when_status_answered": True})


def test_a_request_over_its_budget_is_a_504_in_json_and_the_others_still_answer(
    index_dir, monkeypatch
):
    release = threading.Event()
    try:
        with running(create_app(index_dir, budget=0.5)) as url:
            monkeypatch.setattr(api, "tag_text", lambda s, text, k=5: release.wait(GENEROUS))
            status, answer = get(f"{url}/api/tag", {"text": "bois"})
            assert status == 504 and "0.5 s" in answer["message"]
            assert get(f"{url}/api/status")[0] == 200
            assert get(f"{url}/api/search?q=bois")[0] == 200  # a worker is still free
    finally:
        release.set()


def test_when_every_worker_is_taken_a_heavy_request_is_refused_at_once():
    release = threading.Event()
    work = HeavyWork(budget=GENEROUS, workers=1, queue=0)

    async def two_at_once():
        first = asyncio.ensure_future(work.run(lambda: release.wait(GENEROUS)))
        await asyncio.sleep(0.1)
        with pytest.raises(HTTPException) as refused:
            await work.run(lambda: "second")
        release.set()
        await first
        return refused.value, await work.run(lambda: "third")

    refused, third = asyncio.run(two_at_once())
    work.close()
    assert refused.status_code == 503 and "busy" in refused.detail
    assert third == "third"  # the room is given back when a request ends


# -- a body that never comes -------------------------------------------------------------------


def test_a_body_shorter_than_its_content_length_gets_a_408_and_the_connection_closes(index_dir):
    with running(create_app(index_dir, body_seconds=1.0)) as url:
        address = urlparse(url)
        with socket.create_connection((address.hostname, address.port), GENEROUS) as connection:
            connection.sendall(
                b"POST /api/tag HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                b"Content-Type: application/json\r\nContent-Length: 100\r\n\r\n"
                b'{"text": "bois'
            )
            received = b""
            while chunk := connection.recv(4096):  # ends when the server closes
                received += chunk
        assert received.startswith(b"HTTP/1.1 408")
        assert b'"message":"request body not received within 1 s"' in received
        assert get(f"{url}/api/status")[0] == 200


# -- warm at start -----------------------------------------------------------------------------


def test_models_are_loaded_at_start_and_the_first_requests_load_nothing(
    index_dir, monkeypatch, caplog
):
    from pipeline.embed import make_embedder

    loads = []

    def counted(settings, runtime="onnx"):
        loads.append(settings)
        return make_embedder(settings, runtime)

    monkeypatch.setattr(searcher_module, "shared_embedder", counted)
    annotate.extractor.cache_clear()  # spaCy too: loaded by the warm-up, not by a request
    server_log = logging.getLogger("uvicorn.error")  # uvicorn may have stopped its propagation
    monkeypatch.setattr(server_log, "handlers", [caplog.handler])
    monkeypatch.setattr(server_log, "propagate", False)
    with (
        caplog.at_level(logging.INFO, logger=server_log.name),
        TestClient(create_app(index_dir), base_url="http://127.0.0.1") as client,
    ):
        assert len(loads) == 1 and annotate.extractor.cache_info().currsize == 1
        spacy_loads = annotate.extractor.cache_info().misses
        assert client.get("/api/search", params={"q": "monnaie"}).status_code == 200
        assert client.post("/api/tag", json={"text": "Une scierie à Montpellier."}).is_success
        assert len(loads) == 1
        assert annotate.extractor.cache_info().misses == spacy_loads
    ready = [r.getMessage() for r in caplog.records if r.getMessage().startswith("ready:")]
    assert len(ready) == 1
    assert str(index_dir) in ready[0] and f"{len(DOCUMENTS)} documents" in ready[0]


# -- index updates release the previous snapshot -----------------------------------------------


def test_a_swap_keeps_the_embedder_and_releases_the_previous_snapshot(tmp_path):
    index_dir = build_index(tmp_path / "index", DOCUMENTS[:2])
    holder = IndexHolder(index_dir)
    first = holder.searcher()
    embedder, gone = first.embedder, weakref.ref(first)
    del first
    build_index(index_dir, DOCUMENTS[:3])
    second = holder.searcher()
    assert len(second.store.documents) == 3
    assert second.embedder is embedder
    gc.collect()
    assert gone() is None


def test_while_a_new_snapshot_opens_the_other_requests_answer_from_the_live_one(tmp_path):
    index_dir = build_index(tmp_path / "index", DOCUMENTS[:2])
    opening, release = threading.Event(), threading.Event()

    def slow_opener(path):
        searcher = api.open_index(path)
        if len(searcher.store.documents) == 3:  # the new snapshot takes its time
            opening.set()
            release.wait(GENEROUS)
        return searcher

    holder = IndexHolder(index_dir, slow_opener)
    assert len(holder.searcher().store.documents) == 2
    build_index(index_dir, DOCUMENTS[:3])
    first = threading.Thread(target=holder.searcher)
    first.start()
    assert opening.wait(GENEROUS)
    assert len(holder.searcher().store.documents) == 2  # answered at once, from the live one
    release.set()
    first.join(GENEROUS)
    assert len(holder.searcher().store.documents) == 3


# -- the command line --------------------------------------------------------------------------


@pytest.mark.parametrize("port", ["99999", "0", "http"])
def test_a_port_out_of_range_is_one_line(port):
    result = CliRunner().invoke(cli, ["serve", "--port", port])
    assert result.exit_code == 2
    assert "--port" in result.output and "Traceback" not in result.output
