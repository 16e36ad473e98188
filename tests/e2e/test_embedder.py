"""Which embedder the server runs: the learned one by default, and a server whose model file is
missing still serves with the hand-made one, says so loudly, and shows staff which one runs;
`--require-model` refuses to start instead."""

from __future__ import annotations

import os
import subprocess

from .brands_support import _wait_http
from .conftest import FACET_BIN, REPO, _free_port
from .support import OPS_EMAIL, OPS_PASSWORD, Client, Server, login

MODEL = os.environ.get("FACET_MODEL", str(REPO / ".cache" / "models" / "mobilenet_v2.onnx"))


def _search_tile(client: Client) -> dict:
    board = client.get("/api/admin/dashboard")
    assert board.status_code == 200, board.text
    return board.json()["health"]["search"]


def test_the_server_runs_the_learned_embedder_by_default(server):
    assert os.path.exists(MODEL), f"no model at {MODEL}: `make model` fetches it (make test does)"
    ops = Client(server)
    assert login(ops, OPS_EMAIL, OPS_PASSWORD).status_code == 200
    tile = _search_tile(ops)["detail"]
    assert tile["embedder"].startswith("facet-mobilenetv2") and tile["embedderWarning"] is None, tile


def _start(tmp_path, *extra: str, model: str) -> tuple[subprocess.Popen, Server]:
    data = tmp_path / "data"
    created = subprocess.run([str(FACET_BIN), "admin", "create", "--data", str(data), "--email", OPS_EMAIL,
                              "--password", OPS_PASSWORD, "--role", "ops"], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert created.returncode == 0, created.stderr
    port = _free_port()
    log = tmp_path / "serve.log"
    env = dict(os.environ, FACET_MODEL=model)
    env.pop("FACET_EMBEDDER", None)
    with open(log, "wb") as out:
        proc = subprocess.Popen([str(FACET_BIN), "serve", "--host", "127.0.0.1", "--port", str(port), "--data", str(data),
                                 "--web", str(REPO / "web"), *extra], cwd=REPO, stdout=out, stderr=subprocess.STDOUT, env=env)
    return proc, Server(host="127.0.0.1", port=port, data=data, proc=proc, log=log)


def test_without_the_model_file_the_server_says_so_and_serves_with_the_hand_made_embedder(tmp_path):
    proc, srv = _start(tmp_path, model=str(tmp_path / "missing.onnx"))
    try:
        _wait_http(srv.base + "/api/health", proc, srv.log, "facet serve without its model")
        said = srv.log.read_text(errors="replace")
        assert "WARNING" in said and "missing.onnx" in said and "make model" in said and "hand-made embedder" in said, said
        ops = Client(srv)
        assert login(ops, OPS_EMAIL, OPS_PASSWORD).status_code == 200
        tile = _search_tile(ops)
        assert tile["detail"]["embedder"] == "handcrafted" and tile["state"] == "amber"
        assert "make model" in tile["detail"]["embedderWarning"] and "missing.onnx" in tile["detail"]["embedderWarning"]
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_require_model_refuses_to_start_without_it(tmp_path):
    proc, srv = _start(tmp_path, "--require-model", model=str(tmp_path / "missing.onnx"))
    try:
        code = proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    said = srv.log.read_text(errors="replace")
    assert code != 0 and "missing.onnx" in said, said
