"""`facet demo` (both brand simulators and the marketplace simulator) for the browser tests and the
landing page's recorder: started on a free port with a fresh data folder, ready once the ops
account can sign in and the search index holds the whole catalog."""

from __future__ import annotations

import contextlib
import re
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from .conftest import FACET_BIN, REPO, _free_port, _tail
from .helpers import HttpClient

BUYER = ("buyer@demo.facet.local", "Buyer-demo-2026")
OPS = ("ops@demo.facet.local", "Ops-demo-2026")
READY_TIMEOUT = 240


@dataclass
class DemoWorld:
    base: str
    data: Path
    log: Path
    proc: subprocess.Popen

    def simulator_url(self, brand: str) -> str:
        """The brand simulator's address, as `facet demo` prints it."""
        match = re.search(rf"Brand simulator {re.escape(brand)}: (http://[0-9.:]+)", self.log.read_text(errors="replace"))
        assert match, f"no simulator URL for {brand} in the demo log:\n{_tail(self.log)}"
        return match.group(1)

    def marketplace_url(self) -> str:
        """The marketplace simulator's address, as `facet demo` prints it."""
        match = re.search(r"Marketplace simulator: (http://[0-9.:]+)", self.log.read_text(errors="replace"))
        assert match, f"no marketplace simulator URL in the demo log:\n{_tail(self.log)}"
        return match.group(1)


@contextlib.contextmanager
def running_demo(data: Path, sync_interval: int = 60):
    if not FACET_BIN.exists():
        pytest.fail(f"facet binary not found at {FACET_BIN} (build it, or set FACET_BIN)", pytrace=False)
    log = data.parent / f"{data.name}.log"
    port = _free_port()
    out = open(log, "ab")
    proc = subprocess.Popen(
        [str(FACET_BIN), "demo", "--host", "127.0.0.1", "--port", str(port), "--data", str(data),
         "--web", str(REPO / "web"), "--seeds", str(REPO / "seeds"), "--sync-interval", str(sync_interval),
         # Searches here ask the marketplace live, as the pages' tests expect; the background index has its own tests.
         "--sourcing-refresh", "0"],
        cwd=REPO, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        ops = HttpClient(base)
        deadline = time.monotonic() + READY_TIMEOUT
        logged_in, state = False, "not started"
        while True:
            if proc.poll() is not None:
                pytest.fail(f"facet demo exited with {proc.returncode}:\n{_tail(log)}", pytrace=False)
            try:
                if not logged_in:
                    logged_in = ops.post("/api/auth/login", {"email": OPS[0], "password": OPS[1]}).status == 200
                if logged_in:
                    index = ops.get("/api/admin/search-index").json() or {}
                    total = (ops.get("/api/admin/catalog?status=active&limit=1").json() or {}).get("total", 0)
                    state = f"index {index.get('items')} items (loaded={index.get('loaded')}), catalog {total}"
                    if index.get("loaded") and total > 0 and index.get("items", 0) >= total:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"demo not ready in {READY_TIMEOUT}s ({state}):\n{_tail(log)}", pytrace=False)
            time.sleep(0.5)
        yield DemoWorld(base=base, data=data, log=log, proc=proc)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        out.close()
