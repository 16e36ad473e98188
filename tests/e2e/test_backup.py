"""`facet backup` of a live server's data folder, `facet restore` into a new one, and
the two compared table by table, row by row, image by image."""

from __future__ import annotations

import io
import sqlite3
import subprocess
import threading

from PIL import Image

from .conftest import FACET_BIN, REPO
from .support import Client, assert_status, new_buyer


def _photo(seed: int) -> bytes:
    image = Image.new("RGB", (320, 240), (40 + seed * 20 % 200, 90, 160))
    for x in range(0, 320, 16):
        for y in range(0, 240, 16):
            if (x // 16 + y // 16 + seed) % 3 == 0:
                image.paste((230, 200 - seed * 7 % 150, 40), (x, y, x + 12, y + 12))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def _rows(path) -> dict[str, list[tuple]]:
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [name for (name,) in db.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        return {t: sorted(db.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables}
    finally:
        db.close()


def _run(*args: str) -> str:
    done = subprocess.run([str(FACET_BIN), *args], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, f"facet {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def test_a_live_backup_restores_to_the_same_data(server, tmp_path):
    buyer = new_buyer(server)
    for seed in range(2):
        resp = buyer.client.post("/api/searches", files={"image": ("p.jpg", _photo(seed), "image/jpeg")},
                                 data={"category": "ring"})
        assert_status(resp, 202)

    # Writes keep arriving while the backup runs: it must not block them or tear the copy.
    stop = threading.Event()
    failures: list[str] = []

    def keep_writing():
        while not stop.is_set():
            resp = Client(server).post("/api/auth/login", json={"email": "nobody@example.com", "password": "Wrong-guess-1x"})
            if resp.status_code not in (401, 429):
                failures.append(resp.text)
            new_buyer(server, verified=False, signed_in=False)

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        backup_dir = tmp_path / "backup"
        printed = _run("backup", "--data", str(server.data), "--to", str(backup_dir))
        assert "backed up" in printed
    finally:
        stop.set()
        writer.join()
    assert not failures

    restored = tmp_path / "restored"
    assert "restored" in _run("restore", "--from", str(backup_dir), "--data", str(restored))
    # Restoring over existing data needs --force.
    again = subprocess.run([str(FACET_BIN), "restore", "--from", str(backup_dir), "--data", str(restored)],
                           cwd=REPO, capture_output=True, text=True, timeout=60)
    assert again.returncode != 0 and "--force" in again.stderr

    backup_rows = _rows(backup_dir / "facet.sqlite")
    assert backup_rows == _rows(restored / "facet.sqlite")
    # The backup holds everything written before it started.
    emails = {row for rows in backup_rows["user"] for row in rows if isinstance(row, str)}
    assert buyer.email in emails
    searches = [r for r in backup_rows["search"]]
    assert len(searches) >= 2
    backed = {p.name: p.read_bytes() for p in (backup_dir / "images").iterdir()}
    assert backed == {p.name: p.read_bytes() for p in (restored / "images").iterdir()}
    live = {p.name for p in (server.data / "images").iterdir() if not p.name.startswith(".")}
    assert set(backed) <= live and backed
    # The restored folder passes the schema check of the binary that made it.
    assert "is current" in _run("migrate", "--data", str(restored))
