"""Starts the real `facet serve` binary once for the whole session.

FACET_BIN selects the binary (default: <repo>/.build/debug/facet). The server gets a
fresh data folder, a free loopback port, the repository's web/ folder, and an ops
account created beforehand with `facet admin create`. At the end it is stopped with
SIGTERM and must exit, cleanly, within 5 seconds.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest
import requests

from .support import OPS_EMAIL, OPS_PASSWORD, Client, Server, assert_user, login

REPO = Path(__file__).resolve().parents[2]
FACET_BIN = Path(os.environ.get("FACET_BIN", REPO / ".build" / "debug" / "facet"))
STARTUP_TIMEOUT = float(os.environ.get("FACET_STARTUP_TIMEOUT", "60"))

_server: Server | None = None


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: takes tens of seconds (keepalive, slow consumers, replay limits)")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _log_tail(path: Path, lines: int = 60) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


@pytest.fixture(scope="session")
def server(tmp_path_factory) -> Server:
    global _server
    if not FACET_BIN.exists():
        pytest.fail(f"facet binary not found at {FACET_BIN}; build it first (swift build) or set FACET_BIN",
                    pytrace=False)
    data = tmp_path_factory.mktemp("facet-data")
    log = data.parent / "facet-serve.log"

    created = subprocess.run(
        [str(FACET_BIN), "admin", "create", "--data", str(data), "--email", OPS_EMAIL,
         "--password", OPS_PASSWORD, "--role", "ops"],
        cwd=REPO, capture_output=True, text=True, timeout=120)
    assert created.returncode == 0, f"facet admin create failed ({created.returncode}):\n{created.stdout}\n{created.stderr}"

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [str(FACET_BIN), "serve", "--host", "127.0.0.1", "--port", str(port), "--data", str(data),
             "--web", str(REPO / "web"), "--public-url", base,
             # The tests act as their own reverse proxy to speak from several client addresses.
             "--trusted-proxy", "127.0.0.1"],
            cwd=REPO, stdout=out, stderr=subprocess.STDOUT)
    srv = Server(host="127.0.0.1", port=port, data=data, proc=proc, log=log)

    deadline = time.monotonic() + STARTUP_TIMEOUT
    while True:
        if proc.poll() is not None:
            pytest.fail(f"facet serve exited with {proc.returncode} during startup:\n{_log_tail(log)}", pytrace=False)
        try:
            if requests.get(base + "/api/health", timeout=2).status_code == 200:
                break
        except requests.RequestException:
            pass
        if time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"facet serve did not answer /api/health within {STARTUP_TIMEOUT}s:\n{_log_tail(log)}",
                        pytrace=False)
        time.sleep(0.2)

    _server = srv
    yield srv
    _server = None

    proc.send_signal(signal.SIGTERM)
    started = time.monotonic()
    try:
        code = proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        pytest.fail(f"facet serve did not exit within 5 s of SIGTERM:\n{_log_tail(log)}", pytrace=False)
    elapsed = time.monotonic() - started
    assert code == 0, f"facet serve exited with {code} after SIGTERM ({elapsed:.1f}s):\n{_log_tail(log)}"


@pytest.fixture(scope="session")
def ops(server) -> Client:
    """An HTTP client signed in as the ops account."""
    client = Client(server)
    user = assert_user(login(client, OPS_EMAIL, OPS_PASSWORD))
    assert user["role"] == "ops"
    assert client.session_cookie
    return client


@pytest.fixture
def anon(server) -> Client:
    return Client(server)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.failed and _server is not None:
        report.sections.append(("facet serve log (tail)", _log_tail(_server.log, 40)))
