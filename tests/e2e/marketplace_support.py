"""Fixtures for the marketplace tests: `facet market-sim` and a `facet serve` pointed at it
(web source enabled, API key configured, loopback allowed for the simulator), each on a free
loopback port with a fresh data folder. Imported by test_marketplace.py."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from .brands_support import _stop, _wait_http
from .conftest import FACET_BIN, REPO, _free_port
from .support import OPS_EMAIL, OPS_PASSWORD, Client, Server, login

APP_KEY = "test-app-key"
APP_SECRET = "test-app-secret"


@dataclass
class MarketSim:
    port: int
    proc: subprocess.Popen
    log: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def control(self, **faults) -> dict:
        r = requests.post(self.base + "/_control", json=faults, timeout=10)
        assert r.status_code == 200, r.text
        return r.json()

    def status(self) -> dict:
        return requests.get(self.base + "/_control", timeout=10).json()


@dataclass
class MarketWorld:
    facet: Server
    ops: Client
    sim: MarketSim

    def search(self, **body) -> dict:
        r = self.ops.post("/api/admin/marketplace/search", json=body)
        assert r.status_code == 200, r.text
        return r.json()

    def overview(self) -> dict:
        r = self.ops.get("/api/admin/marketplace")
        assert r.status_code == 200, r.text
        return r.json()

    def source(self, name: str) -> dict:
        return next(s for s in self.overview()["sources"] if s["name"] == name)


@pytest.fixture(scope="module")
def market(tmp_path_factory) -> MarketWorld:
    if not FACET_BIN.exists():
        pytest.fail(f"facet binary not found at {FACET_BIN}", pytrace=False)
    root = tmp_path_factory.mktemp("market")
    procs: list[subprocess.Popen] = []
    try:
        port = _free_port()
        log = root / "market-sim.log"
        with open(log, "wb") as out:
            proc = subprocess.Popen(
                [str(FACET_BIN), "market-sim", "--port", str(port), "--seeds", str(REPO / "seeds"), "--latency-ms", "20-60",
                 "--app-key", APP_KEY, "--app-secret", APP_SECRET],
                cwd=REPO, stdout=out, stderr=subprocess.STDOUT)
        procs.append(proc)
        sim = MarketSim(port, proc, log)
        _wait_http(sim.base + "/health", proc, log, "facet market-sim")

        data = root / "facet"
        created = subprocess.run(
            [str(FACET_BIN), "admin", "create", "--data", str(data), "--email", OPS_EMAIL, "--password", OPS_PASSWORD,
             "--role", "ops"], cwd=REPO, capture_output=True, text=True, timeout=120)
        assert created.returncode == 0, created.stderr
        facet_port = _free_port()
        log = root / "facet-serve.log"
        with open(log, "wb") as out:
            proc = subprocess.Popen(
                [str(FACET_BIN), "serve", "--port", str(facet_port), "--data", str(data), "--web", str(REPO / "web"),
                 "--marketplace-url", sim.base, "--marketplace-source", "web", "--marketplace-allow-loopback"],
                cwd=REPO, stdout=out, stderr=subprocess.STDOUT,
                env={**__import__("os").environ, "FACET_MARKETPLACE_APP_KEY": APP_KEY, "FACET_MARKETPLACE_APP_SECRET": APP_SECRET})
        procs.append(proc)
        facet = Server(host="127.0.0.1", port=facet_port, data=data, proc=proc, log=log)
        _wait_http(facet.base + "/api/health", proc, log, "facet serve")
        ops = Client(facet)
        assert login(ops, OPS_EMAIL, OPS_PASSWORD).status_code == 200
        yield MarketWorld(facet=facet, ops=ops, sim=sim)
        code = _stop(facet.proc)
        procs.remove(facet.proc)
        assert code == 0, f"facet serve exited with {code}"
    finally:
        for p in procs:
            _stop(p)
