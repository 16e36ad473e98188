"""`GET /metrics`: Prometheus text for loopback scrapers and staff, nobody else."""

from __future__ import annotations

import io
import re
import time

import requests
from PIL import Image

from .support import Client, assert_error, new_buyer


def _scrape(server, **kwargs) -> requests.Response:
    return requests.get(server.base + "/metrics", timeout=10, **kwargs)


def _value(text: str, series: str) -> float | None:
    match = re.search(r"^" + re.escape(series) + r" ([0-9.e+-]+)$", text, re.M)
    return float(match.group(1)) if match else None


def test_loopback_scrape_has_request_search_and_state_series(server):
    buyer = new_buyer(server)
    assert requests.get(server.base + "/api/health", timeout=10).status_code == 200
    photo = io.BytesIO()
    Image.new("RGB", (200, 200), (200, 170, 40)).save(photo, "JPEG")
    resp = buyer.client.post("/api/searches", files={"image": ("p.jpg", photo.getvalue(), "image/jpeg")}, data={"category": "ring"})
    assert resp.status_code == 202, resp.text
    search_id = resp.json()["id"]
    deadline = time.monotonic() + 60
    while buyer.client.get(f"/api/searches/{search_id}").json()["status"] not in ("done", "failed"):
        assert time.monotonic() < deadline, "search never finished"
        time.sleep(0.2)

    scraped = _scrape(server)
    assert scraped.status_code == 200
    assert scraped.headers["Content-Type"].startswith("text/plain")
    text = scraped.text
    assert (_value(text, 'facet_http_request_duration_seconds_count{method="GET",route="/api/health",status="2xx"}') or 0) >= 1
    # Routes are named by pattern, never by the raw path with its id.
    assert 'route="/api/searches/:id"' in text and search_id not in text
    for stage in ("decode_store", "extracting_attributes", "finding_alternatives"):
        assert (_value(text, f'facet_search_stage_seconds_count{{stage="{stage}"}}') or 0) >= 1, stage
    assert (_value(text, "facet_search_total_seconds_count") or 0) >= 1
    for gauge in ("facet_websocket_sessions", "facet_search_queue_depth", "facet_searches_in_flight"):
        assert _value(text, gauge) is not None, gauge


def test_metrics_from_elsewhere_need_staff(server, ops):
    outside = {"X-Forwarded-For": "198.51.100.77"}
    assert_error(_scrape(server, headers=outside), 401, "unauthorized")
    buyer = new_buyer(server)
    buyer.client.headers.update(outside)
    assert_error(buyer.client.get("/metrics"), 403, "forbidden")
    staff = Client(server)
    staff.cookies.update(ops.cookies)
    staff.headers.update(outside)
    assert staff.get("/metrics").status_code == 200
