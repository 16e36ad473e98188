"""HTTP surface: errors, limits, routing, static files, headers, Origin checks."""

import re
import select
import socket
import time
from pathlib import Path

import pytest

from .support import Client, assert_error, assert_status, assert_user, health, new_buyer, raw_http, registration

REPO = Path(__file__).resolve().parents[2]
WEB = REPO / "web"
PAGES = ["/", "/index.html", "/signup.html", "/signin.html", "/verify.html", "/reset.html", "/profile.html",
         "/app.html", "/admin.html", "/search.html", "/offer.html"]
TYPES = {
    ".html": {"text/html"},
    ".css": {"text/css"},
    ".js": {"text/javascript", "application/javascript"},
    ".mjs": {"text/javascript", "application/javascript"},
    ".svg": {"image/svg+xml"},
    ".png": {"image/png"},
    ".jpg": {"image/jpeg"},
    ".jpeg": {"image/jpeg"},
    ".webp": {"image/webp"},
    ".ico": {"image/x-icon", "image/vnd.microsoft.icon"},
    ".json": {"application/json", "application/manifest+json"},
    ".webmanifest": {"application/manifest+json"},
    ".woff2": {"font/woff2"},
}


def media_type(resp) -> str:
    return resp.headers.get("Content-Type", "").split(";")[0].strip().lower()


# ---------------------------------------------------------------- health

def test_health(server):
    body = health(server)
    assert body["status"] == "ok"
    assert body["memory"]["rssBytes"] > 0


# ---------------------------------------------------------------- JSON errors

@pytest.mark.parametrize("payload", [b'{"email":', b"not json at all", b'{"email" "a@b.c"}', b"\xff\xfe\x00"])
def test_malformed_json_is_400_bad_json(anon, payload):
    resp = anon.post("/api/auth/login", data=payload, headers={"Content-Type": "application/json"})
    assert_error(resp, 400, "bad_json")


def test_malformed_json_on_register_is_400_bad_json(anon):
    resp = anon.post("/api/auth/register", data=b'{"companyName": "x", ', headers={"Content-Type": "application/json"})
    assert_error(resp, 400, "bad_json")


@pytest.mark.parametrize("method,path", [
    ("GET", "/api/does-not-exist"),
    ("POST", "/api/does-not-exist"),
    ("GET", "/api/"),
    ("GET", "/api/auth"),
    ("GET", "/api/admin/nothing-here"),
    ("DELETE", "/api/nope/nope"),
])
def test_unknown_api_route_is_404_not_found(anon, method, path):
    assert_error(anon.request(method, path), 404, "not_found")


@pytest.mark.parametrize("method,path", [
    ("GET", "/api/auth/login"),
    ("GET", "/api/auth/register"),
    ("DELETE", "/api/me"),
    ("PUT", "/api/me"),
    ("POST", "/api/health"),
    ("GET", "/api/admin/notices"),
])
def test_wrong_method_is_405_method_not_allowed(anon, method, path):
    assert_error(anon.request(method, path, json={}), 405, "method_not_allowed")


def test_plain_get_of_the_websocket_path_is_426(anon):
    assert_error(anon.get("/ws"), 426, "upgrade_required")


def test_unknown_static_file_is_404(anon):
    assert_status(anon.get("/no-such-page.html"), 404)
    assert_status(anon.get("/css/no-such.css"), 404)


# ---------------------------------------------------------------- body limit

def _read_status(sock: socket.socket, timeout: float) -> tuple[int | None, bytes]:
    """Read one response from the socket; (None, b"") when the server just closed or reset."""
    sock.settimeout(timeout)
    data = b""
    try:
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
        head, _, rest = data.partition(b"\r\n\r\n")
        match = re.search(rb"content-length:\s*(\d+)", head, re.I)
        if match:
            while len(rest) < int(match.group(1)):
                chunk = sock.recv(65536)
                if not chunk:
                    break
                rest += chunk
        data = head + b"\r\n\r\n" + rest
    except (ConnectionResetError, BrokenPipeError, socket.timeout):
        pass
    match = re.match(rb"HTTP/1\.[01] (\d{3})", data)
    return (int(match.group(1)) if match else None), data


def test_50mb_body_to_a_json_route_is_413(server):
    size = 50 * 1024 * 1024
    head = (f"POST /api/auth/register HTTP/1.1\r\nHost: {server.host}:{server.port}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {size}\r\nConnection: close\r\n\r\n").encode()
    chunk = b"a" * 65536
    started = time.monotonic()
    sock = socket.create_connection((server.host, server.port), timeout=10)
    status, response = None, b""
    try:
        sock.sendall(head + b'{"companyName":"')
        sent = 0
        try:
            while sent < size:
                readable, _, _ = select.select([sock], [], [], 0)
                if readable:  # the server answered (or closed) before the body was complete
                    break
                sock.sendall(chunk)
                sent += len(chunk)
                assert time.monotonic() - started < 120, "sending 50 MB took over 2 minutes"
        except (BrokenPipeError, ConnectionResetError, socket.timeout):
            pass  # the server stopped reading: allowed, as long as it answered 413 or closed
        status, response = _read_status(sock, 15)
    finally:
        sock.close()
    if status is not None:
        assert status == 413, f"expected 413, got {response[:500]!r}"
        body = response.partition(b"\r\n\r\n")[2]
        if body:
            assert b"payload_too_large" in body, body[:500]
    # Everyone else keeps being served.
    health(server)
    assert_user(Client(server).post("/api/auth/register", json=registration()), 201)


def test_oversized_body_over_keepalive_connection_is_413(server):
    """A body a little over any sensible JSON limit (2 MiB) gets a proper 413 answer."""
    resp = Client(server).post("/api/auth/login", data=b'{"email":"' + b"a" * (2 * 1024 * 1024) + b'"}',
                               headers={"Content-Type": "application/json"})
    assert_error(resp, 413, "payload_too_large")
    health(server)


# ---------------------------------------------------------------- path traversal

TRAVERSALS = [
    "/../../etc/passwd",
    "/../../../../../../../../etc/passwd",
    "/%2e%2e/%2e%2e/etc/passwd",
    "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/..%2f..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd",
    "/%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "/css/../../../../../../../etc/passwd",
    "/css/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/..%5c..%5c..%5c..%5c..%5c..%5cetc%5cpasswd",
    "/%252e%252e/%252e%252e/%252e%252e/etc/passwd",
    "//etc/passwd",
    "/../Package.swift",
    "/%2e%2e/Package.swift",
    "/..%2fPackage.swift",
]


@pytest.mark.parametrize("path", TRAVERSALS)
def test_path_traversal_never_serves_files_outside_web(server, path):
    response = raw_http(server, f"GET {path} HTTP/1.1\r\nHost: {server.host}:{server.port}\r\n"
                                f"Connection: close\r\n\r\n".encode())
    assert b"root:x:0:0" not in response, f"{path} served /etc/passwd"
    assert b"swift-tools-version" not in response, f"{path} served a file outside web/"
    match = re.match(rb"HTTP/1\.[01] (\d{3})", response)
    if match:  # a closed connection is an acceptable answer too
        assert int(match.group(1)) in (400, 403, 404), f"{path}: {response[:300]!r}"
    health(server)


# ---------------------------------------------------------------- static files and headers

def _web_files():
    if not WEB.is_dir():
        return []
    return sorted(p.relative_to(WEB).as_posix() for p in WEB.rglob("*")
                  if p.is_file() and p.suffix.lower() in TYPES and not p.name.startswith("."))


@pytest.mark.parametrize("page", PAGES)
def test_pages_are_html_with_security_headers(anon, page):
    resp = anon.get(page)
    assert_status(resp, 200)
    assert media_type(resp) == "text/html"
    assert b"<html" in resp.content.lower() or b"<!doctype html" in resp.content.lower()
    csp = resp.headers.get("Content-Security-Policy", "")
    assert csp, f"{page}: no Content-Security-Policy"
    assert "frame-ancestors" in csp, f"{page}: CSP without frame-ancestors: {csp!r}"
    directives = {d.split()[0]: d.split()[1:] for d in (x.strip() for x in csp.split(";")) if d}
    scripts = directives.get("script-src", directives.get("default-src", []))
    assert scripts and "'unsafe-inline'" not in scripts, f"{page}: CSP allows inline script: {csp!r}"
    assert resp.headers.get("X-Content-Type-Options", "").lower() == "nosniff", f"{page}: no nosniff"
    caching = {"cache-control", "etag", "last-modified"} & {h.lower() for h in resp.headers}
    assert caching, f"{page}: no caching headers"


def test_landing_page_says_what_facet_does(anon):
    text = anon.get("/").text.lower()
    words = " ".join(re.sub(r"<[^>]+>", " ", text).split())
    assert "upload any jewelry design" in words
    assert "signup.html" in text and "signin.html" in text


def test_linked_stylesheets_and_scripts_have_correct_types(anon):
    html = anon.get("/").text
    links = re.findall(r'<link[^>]+rel="?stylesheet"?[^>]*href="([^"]+)"', html)
    links += re.findall(r'<link[^>]+href="([^"]+\.css)"', html)
    scripts = re.findall(r'<script[^>]+src="([^"]+)"', html)
    assert links, "the landing page links no stylesheet"
    for href in set(links):
        resp = anon.get(href if href.startswith("/") else "/" + href)
        assert_status(resp, 200)
        assert media_type(resp) == "text/css", f"{href}: {resp.headers.get('Content-Type')}"
        assert resp.headers.get("X-Content-Type-Options", "").lower() == "nosniff", href
    for src in set(scripts):
        resp = anon.get(src if src.startswith("/") else "/" + src)
        assert_status(resp, 200)
        assert media_type(resp) in TYPES[".js"], f"{src}: {resp.headers.get('Content-Type')}"
        assert resp.headers.get("X-Content-Type-Options", "").lower() == "nosniff", src


@pytest.mark.parametrize("relative", _web_files())
def test_every_web_file_has_its_content_type(anon, relative):
    resp = anon.get("/" + relative)
    assert_status(resp, 200)
    suffix = Path(relative).suffix.lower()
    assert media_type(resp) in TYPES[suffix], f"/{relative}: {resp.headers.get('Content-Type')}"
    assert resp.content == (WEB / relative).read_bytes()


def test_api_responses_are_not_sniffable(anon):
    resp = anon.get("/api/health")
    assert resp.headers.get("X-Content-Type-Options", "").lower() == "nosniff"


# ---------------------------------------------------------------- Origin

EVIL = "http://evil.example.com"


def test_wrong_origin_on_login_is_403_bad_origin(server):
    buyer = new_buyer(server, signed_in=False)
    client = Client(server)
    resp = client.post("/api/auth/login", json={"email": buyer.email, "password": buyer.password},
                       headers={"Origin": EVIL})
    assert_error(resp, 403, "bad_origin")
    assert "facet_session=" not in resp.headers.get("Set-Cookie", "")
    # The right origin is fine.
    resp = client.post("/api/auth/login", json={"email": buyer.email, "password": buyer.password},
                       headers={"Origin": server.base})
    assert_user(resp)


@pytest.mark.parametrize("origin", [EVIL, "null", "http://127.0.0.1.evil.example.com", "http://127.0.0.1:1"])
def test_wrong_origin_changes_nothing(server, origin):
    buyer = new_buyer(server)
    resp = buyer.client.patch("/api/me", json={"companyName": "Hijacked"}, headers={"Origin": origin})
    assert_error(resp, 403, "bad_origin")
    assert assert_user(buyer.client.get("/api/me"))["companyName"] != "Hijacked"
    assert_error(buyer.client.post("/api/auth/logout", headers={"Origin": origin}), 403, "bad_origin")
    assert_status(buyer.client.get("/api/me"), 200)


def test_wrong_origin_on_register_and_notices(server, ops):
    anon = Client(server)
    assert_error(anon.post("/api/auth/register", json=registration(), headers={"Origin": EVIL}), 403, "bad_origin")
    assert_error(ops.post("/api/admin/notices", json={"topic": "buyers", "title": "x", "body": "y"},
                          headers={"Origin": EVIL}), 403, "bad_origin")
