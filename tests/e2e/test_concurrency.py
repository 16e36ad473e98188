"""Many requests at once, mixing the server's read and write paths. A pool deadlock (all
cooperative threads waiting for a database reader that only they could release) once hung
the whole server under exactly this kind of load; every request must be answered."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import requests

from .support import new_buyer


def test_concurrent_reads_and_writes_all_complete(server, ops):
    buyer = new_buyer(server)
    cookie = {"facet_session": ops.session_cookie}
    base = server.base

    def worker(n: int) -> list[int]:
        session = requests.Session()
        session.cookies.update(cookie)
        statuses = []
        for i in range(15):
            statuses.append(session.get(base + "/api/health", timeout=20).status_code)
            statuses.append(session.get(base + "/api/me", timeout=20).status_code)
            statuses.append(session.get(base + "/api/admin/buyers?limit=5", timeout=20).status_code)
            statuses.append(session.post(base + "/api/admin/notices", timeout=20, headers={"Origin": base},
                                         json={"topic": f"buyer:{buyer.id}", "title": f"load {n}-{i}", "body": "x"}).status_code)
        return statuses

    with ThreadPoolExecutor(max_workers=24) as pool:
        results = [status for batch in pool.map(worker, range(24)) for status in batch]
    assert len(results) == 24 * 15 * 4
    assert set(results) <= {200, 202}, sorted(set(results))
    assert requests.get(base + "/api/health", timeout=5).status_code == 200
