"""Requests and responses agree with protocol/openapi.yaml, checked by schemathesis.

A server of its own (brand simulators, the catalog imported, one finished search) so that
generated markups, suspensions and staff changes touch nobody else's tests. schemathesis runs
as a buyer, as ops and as an admin, each for a bounded time (FACET_CONFORMANCE_SECONDS, 60 by
default) with a fixed seed; every check is on (server errors, status codes, content types,
headers, response schemas, schema-valid requests accepted, schema-violating ones refused,
undeclared methods), with the exceptions in schemathesis.toml and their reasons.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from .brands_support import world  # noqa: F401  (module fixture: brand sims and facet serve)
from .conftest import FACET_BIN, REPO
from .support import Client, login, new_buyer
from .test_search import catalog_photo, finished, post_search, some_sku

SECONDS = int(os.environ.get("FACET_CONFORMANCE_SECONDS", "60"))
SCHEMATHESIS = REPO / ".venv" / "bin" / "schemathesis"
CONFIG = Path(__file__).with_name("schemathesis.toml")
ADMIN_EMAIL = "conformance-admin@example.com"
ADMIN_PASSWORD = "Conformance-admin-1"


@pytest.fixture(scope="module")
def sessions(world) -> dict[str, str]:
    made = subprocess.run([str(FACET_BIN), "admin", "create", "--data", str(world.facet.data), "--email", ADMIN_EMAIL,
                           "--password", ADMIN_PASSWORD, "--role", "admin"], cwd=REPO, capture_output=True, text=True,
                          timeout=120)
    assert made.returncode == 0, made.stderr
    admin = Client(world.facet)
    assert login(admin, ADMIN_EMAIL, ADMIN_PASSWORD).status_code == 200
    buyer = new_buyer(world.facet)
    # Something real to find: a finished search with results, so links lead somewhere.
    sku = some_sku(world, "ring")["sku"]
    created = post_search(buyer.client, catalog_photo(sku), "ring")
    assert created.status_code == 202, created.text
    finished(buyer.client, created.json()["id"])
    return {"buyer": buyer.cookie, "ops": world.ops.session_cookie, "admin": admin.session_cookie}


@pytest.mark.parametrize("role", ["buyer", "ops", "admin"])
def test_the_server_answers_as_the_api_document_says(world, sessions, role, tmp_path):
    command = [str(SCHEMATHESIS), "--config-file", str(CONFIG), "run", str(REPO / "protocol" / "openapi.yaml"),
               "--url", world.facet.base, "--checks", "all", "--max-time", str(SECONDS), "--seed", "20261204",
               "--workers", "2", "--no-color", "--max-failures", "40",
               # A WebSocket handshake (the realtime suite covers /ws); logout would end the run's session.
               "--exclude-path-regex", "^/(ws|api/auth/logout)$"]
    env = dict(os.environ, FACET_SESSION=sessions[role])
    run = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=SECONDS * 3 + 120)
    output = run.stdout + run.stderr
    (REPO / ".build").mkdir(exist_ok=True)
    (REPO / ".build" / f"conformance-{role}.txt").write_text(output)
    assert run.returncode == 0, output[-20000:]
    assert world.facet.proc.poll() is None, "facet serve exited during the run"
