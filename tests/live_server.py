"""A real aikg server (waitress, the app factory) on 127.0.0.1 in a thread, for
tests that talk HTTP to it or drive a browser against it."""
import socket
import threading
import time
import urllib.request
from contextlib import contextmanager

import pytest
from waitress.server import create_server

from api.app import create_app


@contextmanager
def serving(build_dir, app=None, **config):
    app = app or create_app({"AIKG_BUILD_DIR": str(build_dir), **config})
    server = create_server(app, host="127.0.0.1", port=0, threads=4)
    port = server.socket.getsockname()[1]
    stop = threading.Event()

    def loop():
        # waitress's own run() has no way to stop; poll its socket map until told to.
        while not stop.is_set():
            server.asyncore.loop(timeout=0.1, map=server._map, count=1)

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 10
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
    try:
        yield base
    finally:
        stop.set()
        thread.join(timeout=5)
        server.task_dispatcher.shutdown(timeout=5)
        server.close()


def get(url, accept=None):
    """(status, content type, body bytes) of a GET, errors included."""
    req = urllib.request.Request(url, headers={"Accept": accept} if accept else {})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.headers.get("Content-Type", ""), r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type", ""), e.read()


@pytest.fixture(scope="module", name="base")
def base_fixture(build_dir):
    """The base URL of a server on the session build, for one test module."""
    with serving(build_dir) as url:
        yield url
