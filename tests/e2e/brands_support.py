"""Fixtures for the brand-integration tests: both brand simulators (`facet brand-sim`) and a
`facet serve` wired to them with a short sync interval, each on a free loopback port with a
fresh data folder. Imported by test_brands.py; the session server of conftest is not used."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from .conftest import FACET_BIN, REPO, STARTUP_TIMEOUT, _free_port, _log_tail
from .support import OPS_EMAIL, OPS_PASSWORD, Client, Server, login

SYNC_INTERVAL = 1.0
BRAND_TIMEOUT = 2.0
SECRETS = {"aurelia": "whsec-aurelia-test", "northbridge": "whsec-northbridge-test"}
KEYS = {"aurelia": "test-aurelia-key", "northbridge": "test-northbridge-key"}


@dataclass
class Sim:
    brand: str
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

    def change(self, **body) -> dict:
        r = requests.post(self.base + "/_control/change", json=body, timeout=10)
        assert r.status_code == 200, r.text
        return r.json()

    def orders(self) -> list:
        return requests.get(self.base + "/_control/orders", timeout=10).json()["orders"]

    def status(self) -> dict:
        return requests.get(self.base + "/_control", timeout=10).json()


@dataclass
class BrandWorld:
    facet: Server
    ops: Client
    sims: dict
    market: object | None = None  # marketplace_support.MarketSim when started with one

    def product(self, sku: str) -> dict | None:
        r = self.ops.get(f"/api/admin/catalog/{sku}")
        if r.status_code == 404:
            return None
        assert r.status_code == 200, r.text
        return r.json()

    def wait_for(self, sku: str, predicate, timeout: float) -> float:
        """Seconds until the catalog shows `sku` satisfying `predicate`; fails after `timeout`."""
        start = time.monotonic()
        last = None
        while time.monotonic() - start < timeout:
            last = self.product(sku)
            if last is not None and predicate(last):
                return time.monotonic() - start
            time.sleep(0.02)
        raise AssertionError(f"{sku} did not change as expected within {timeout}s; last seen: {json.dumps(last)[:400]}")

    def health(self, brand: str) -> dict:
        brands = self.ops.get("/api/admin/sync").json()["brands"]
        return next(b for b in brands if b["brand"] == brand)


def sign(secret: str, timestamp: int, body: bytes) -> str:
    return "v1=" + hmac.new(secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256).hexdigest()


def _wait_http(url: str, proc: subprocess.Popen, log: Path, what: str) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while True:
        if proc.poll() is not None:
            pytest.fail(f"{what} exited with {proc.returncode}:\n{_log_tail(log)}", pytrace=False)
        try:
            if requests.get(url, timeout=2).status_code < 500:
                return
        except requests.RequestException:
            pass
        if time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"{what} did not answer within {STARTUP_TIMEOUT}s:\n{_log_tail(log)}", pytrace=False)
        time.sleep(0.2)


def _stop(proc: subprocess.Popen) -> int:
    proc.send_signal(signal.SIGTERM)
    try:
        return proc.wait(timeout=8)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        return -9


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> BrandWorld:
    yield from _world(tmp_path_factory, with_market=False)


@pytest.fixture(scope="module")
def sourcing_world(tmp_path_factory) -> BrandWorld:
    """Both brands and the marketplace simulator (web pages, 300–800 ms per page as in production)."""
    yield from _world(tmp_path_factory, with_market=True)


def _world(tmp_path_factory, with_market: bool):
    if not FACET_BIN.exists():
        pytest.fail(f"facet binary not found at {FACET_BIN}", pytrace=False)
    root = tmp_path_factory.mktemp("brands")
    facet_port = _free_port()
    sims: dict[str, Sim] = {}
    procs: list[subprocess.Popen] = []
    try:
        for brand in ("aurelia", "northbridge"):
            port = _free_port()
            log = root / f"sim-{brand}.log"
            with open(log, "wb") as out:
                proc = subprocess.Popen(
                    [str(FACET_BIN), "brand-sim", "--brand", brand, "--port", str(port), "--data", str(root / "sims"),
                     "--api-key", KEYS[brand], "--webhook-url", f"http://127.0.0.1:{facet_port}/api/webhooks/brands/{brand}",
                     "--webhook-secret", SECRETS[brand], "--seeds", str(REPO / "seeds")],
                    cwd=REPO, stdout=out, stderr=subprocess.STDOUT)
            procs.append(proc)
            sims[brand] = Sim(brand, port, proc, log)
            _wait_http(sims[brand].base + "/health", proc, log, f"brand-sim {brand}")

        market = None
        extra: list[str] = []
        if with_market:
            from .marketplace_support import MarketSim
            port = _free_port()
            log = root / "market-sim.log"
            with open(log, "wb") as out:
                proc = subprocess.Popen([str(FACET_BIN), "market-sim", "--port", str(port), "--seeds", str(REPO / "seeds"),
                                         "--latency-ms", "300-800"], cwd=REPO, stdout=out, stderr=subprocess.STDOUT)
            procs.append(proc)
            market = MarketSim(port, proc, log)
            _wait_http(market.base + "/health", proc, log, "facet market-sim")
            extra = ["--marketplace-url", market.base, "--marketplace-source", "web", "--marketplace-allow-loopback"]

        config = root / "brands.json"
        config.write_text(json.dumps({"brands": [
            {"brand": b, "baseURL": s.base, "apiKey": KEYS[b], "webhookSecrets": [SECRETS[b]],
             "mappingFile": f"seeds/brands/{b}/mapping.json"} for b, s in sims.items()]}))
        data = root / "facet"
        created = subprocess.run(
            [str(FACET_BIN), "admin", "create", "--data", str(data), "--email", OPS_EMAIL, "--password", OPS_PASSWORD,
             "--role", "ops"], cwd=REPO, capture_output=True, text=True, timeout=120)
        assert created.returncode == 0, created.stderr
        log = root / "facet-serve.log"
        with open(log, "wb") as out:
            proc = subprocess.Popen(
                [str(FACET_BIN), "serve", "--port", str(facet_port), "--data", str(data), "--web", str(REPO / "web"),
                 "--brands", str(config), "--sync-interval", str(SYNC_INTERVAL), "--brand-timeout", str(BRAND_TIMEOUT),
                 "--mapping-root", str(REPO)] + extra,
                cwd=REPO, stdout=out, stderr=subprocess.STDOUT)
        procs.append(proc)
        facet = Server(host="127.0.0.1", port=facet_port, data=data, proc=proc, log=log)
        _wait_http(facet.base + "/api/health", proc, log, "facet serve")
        ops = Client(facet)
        assert login(ops, OPS_EMAIL, OPS_PASSWORD).status_code == 200
        w = BrandWorld(facet=facet, ops=ops, sims=sims, market=market)
        # The initial import runs at start-up.
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            brands = ops.get("/api/admin/sync").json()["brands"]
            if len(brands) == 2 and all(b["lastFullSyncAt"] for b in brands):
                break
            time.sleep(0.3)
        else:
            pytest.fail(f"initial import did not finish:\n{_log_tail(log)}", pytrace=False)
        yield w
        code = _stop(proc)
        procs.remove(proc)
        assert code == 0, f"facet serve exited with {code}:\n{_log_tail(log)}"
    finally:
        for p in procs:
            _stop(p)
