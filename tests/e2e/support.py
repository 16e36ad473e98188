"""Helpers for driving a running Facet server: HTTP client, outbox mail reader, buyer
factory and a schema-checking WebSocket client."""

from __future__ import annotations

import email
import email.policy
import html
import json
import re
import socket
import time
import urllib.parse
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import requests
import websocket

from .schemas import check_client_message, check_rest, check_server_message

OPS_EMAIL = "ops@example.com"
OPS_PASSWORD = "Opspass12345"
GOOD_PASSWORD = "Diamonds2026x"


@dataclass
class Server:
    host: str
    port: int
    data: Path
    proc: object
    log: Path

    @property
    def base(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def public_url(self) -> str:
        return self.base

    @property
    def ws_url(self) -> str:
        return f"ws://{self.host}:{self.port}/ws"

    @property
    def outbox(self) -> Path:
        return self.data / "outbox"


class Client(requests.Session):
    """requests.Session that takes paths relative to the server and has a timeout."""

    def __init__(self, server: Server):
        super().__init__()
        self.server = server

    def request(self, method, url, *args, **kwargs):
        if url.startswith("/"):
            url = self.server.base + url
        kwargs.setdefault("timeout", 30)
        return super().request(method, url, *args, **kwargs)

    @property
    def session_cookie(self) -> str | None:
        return self.cookies.get("facet_session")


# ---------------------------------------------------------------- assertions

def describe(resp: requests.Response) -> str:
    return f"{resp.request.method} {resp.request.url} → {resp.status_code} {resp.text[:500]!r}"


def assert_status(resp: requests.Response, status: int) -> None:
    assert resp.status_code == status, f"expected {status}: {describe(resp)}"


def assert_json(resp: requests.Response):
    ctype = resp.headers.get("Content-Type", "")
    assert ctype.split(";")[0].strip() == "application/json", f"Content-Type {ctype!r}: {describe(resp)}"
    return resp.json()


def assert_error(resp: requests.Response, status: int, code: str | set[str]) -> dict:
    """The response is an error with this status and code, in the one error shape."""
    assert_status(resp, status)
    body = assert_json(resp)
    check_rest("Error", body)
    codes = {code} if isinstance(code, str) else code
    assert body["error"]["code"] in codes, f"expected code {codes}: {describe(resp)}"
    return body["error"]


def assert_user(resp: requests.Response, status: int = 200) -> dict:
    assert_status(resp, status)
    body = assert_json(resp)
    check_rest("UserEnvelope", body)
    return body["user"]


# ---------------------------------------------------------------- accounts

def unique_email(prefix: str = "buyer") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}@example.com"


def registration(**overrides) -> dict:
    tag = uuid.uuid4().hex[:8]
    body = {
        "companyName": f"Aurelia Fine Jewelry {tag}",
        "businessLicense": f"BL-2024-{tag}",
        "contactName": "Maya Chen",
        "email": unique_email(),
        "password": GOOD_PASSWORD,
        "phone": "+1 415 555 0142",
        "country": "US",
        "businessType": "retailer",
        "typicalOrderVolume": "10k-50k",
        "preferredCategories": ["ring", "earring"],
    }
    body.update(overrides)
    return body


@dataclass
class Buyer:
    client: Client
    user: dict
    email: str
    password: str

    @property
    def id(self) -> str:
        return self.user["id"]

    @property
    def topic(self) -> str:
        return f"buyer:{self.user['id']}"

    @property
    def cookie(self) -> str:
        value = self.client.session_cookie
        assert value, "not signed in"
        return value


def login(client: Client, email_address: str, password: str) -> requests.Response:
    return client.post("/api/auth/login", json={"email": email_address, "password": password})


def new_buyer(server: Server, *, verified: bool = True, signed_in: bool = True, **fields) -> Buyer:
    body = registration(**fields)
    client = Client(server)
    before = mail_snapshot(server)
    user = assert_user(client.post("/api/auth/register", json=body), 201)
    if verified:
        _, token = wait_for_link(server, body["email"], "verify.html", exclude=before)
        user = assert_user(client.post("/api/auth/verify", json={"token": token}))
        assert user["verified"] is True
    if signed_in:
        user = assert_user(login(client, body["email"], body["password"]))
        assert client.session_cookie, "login set no facet_session cookie"
    return Buyer(client, user, body["email"], body["password"])


def publish(ops: Client, topic: str, title: str, body: str = "Details inside.") -> int:
    resp = ops.post("/api/admin/notices", json={"topic": topic, "title": title, "body": body})
    assert_status(resp, 202)
    out = assert_json(resp)
    assert out.get("topic") == topic and isinstance(out.get("seq"), int) and out["seq"] >= 1, describe(resp)
    return out["seq"]


# ---------------------------------------------------------------- outbox

def mail_snapshot(server: Server) -> set[str]:
    return {p.name for p in server.outbox.glob("*.eml")} if server.outbox.exists() else set()


def mail_text(message: email.message.EmailMessage) -> str:
    parts = []
    for part in message.walk():
        if part.get_content_maintype() == "text":
            parts.append(part.get_content())  # undoes quoted-printable and base64
    return html.unescape("\n".join(parts))


def read_mail(path: Path) -> email.message.EmailMessage:
    return email.message_from_bytes(path.read_bytes(), policy=email.policy.default)


def find_mails(server: Server, to: str, exclude: set[str] = frozenset()) -> list[tuple[Path, email.message.EmailMessage]]:
    """Mails to this address, newest first."""
    if not server.outbox.exists():
        return []
    files = [p for p in server.outbox.glob("*.eml") if p.name not in exclude]
    files.sort(key=lambda p: (p.stat().st_mtime_ns, p.name), reverse=True)
    found = []
    for path in files:
        try:
            message = read_mail(path)
        except Exception:  # a file still being written
            continue
        if to.lower() in str(message.get("To", "")).lower():
            found.append((path, message))
    return found


def wait_for_link(server: Server, to: str, page: str, exclude: set[str] = frozenset(),
                  timeout: float = 15) -> tuple[str, str]:
    """(link, token) from the newest mail to `to` that links to <publicUrl>/<page>?token=…"""
    pattern = re.compile(re.escape(server.public_url) + "/" + re.escape(page) + r"\?token=([A-Za-z0-9_\-.~%]+)")
    deadline = time.monotonic() + timeout
    while True:
        for path, message in find_mails(server, to, exclude):
            match = pattern.search(mail_text(message))
            if match:
                return match.group(0), urllib.parse.unquote(match.group(1))
        if time.monotonic() > deadline:
            names = sorted(p.name for p in server.outbox.glob("*.eml")) if server.outbox.exists() else []
            raise AssertionError(f"no mail to {to} with a {page}?token= link in {server.outbox} "
                                 f"(files: {names[-10:]})")
        time.sleep(0.1)


# ---------------------------------------------------------------- websocket

class Closed(Exception):
    def __init__(self, code: int | None, reason: str):
        super().__init__(f"closed with {code} {reason!r}")
        self.code = code
        self.reason = reason


def ws_connect(server: Server, cookie: str | None, **kwargs) -> websocket.WebSocket:
    options = {"timeout": 10}
    if cookie is not None:
        options["cookie"] = f"facet_session={cookie}"
    options.update(kwargs)
    return websocket.create_connection(server.ws_url, **options)


def handshake_status(server: Server, cookie: str | None) -> int | None:
    """The HTTP status a WebSocket handshake gets: 101 when it is accepted, None when the
    server closed the connection without answering."""
    try:
        ws = ws_connect(server, cookie)
    except websocket.WebSocketBadStatusException as exc:
        return exc.status_code
    except (websocket.WebSocketConnectionClosedException, ConnectionResetError):
        return None
    ws.close()
    return 101


REFUSED = (401, None)  # the contract asks for 401; a dropped connection is reported by its own test


@dataclass
class WS:
    """A WebSocket client that validates every server message against the schemas."""

    server: Server
    cookie: str | None
    connect_kwargs: dict = field(default_factory=dict)
    received: list = field(default_factory=list)

    def __post_init__(self):
        self.ws = ws_connect(self.server, self.cookie, **self.connect_kwargs)

    def send(self, message: dict, *, check: bool = True) -> None:
        if check:
            check_client_message(message)
        self.ws.send(json.dumps(message))

    def send_raw(self, text: str) -> None:
        self.ws.send(text)

    def recv(self, timeout: float = 10) -> dict:
        # One deadline for the whole call: the server's pings must not extend it frame by frame.
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise websocket.WebSocketTimeoutException(f"no message within {timeout:.1f} s")
            self.ws.settimeout(left)
            opcode, frame = self.ws.recv_data_frame(True)
            if opcode in (websocket.ABNF.OPCODE_PING, websocket.ABNF.OPCODE_PONG):
                continue
            if opcode == websocket.ABNF.OPCODE_CLOSE:
                data = frame.data or b""
                code = int.from_bytes(data[:2], "big") if len(data) >= 2 else None
                raise Closed(code, data[2:].decode("utf-8", "replace"))
            assert opcode == websocket.ABNF.OPCODE_TEXT, f"server sent a non-text frame (opcode {opcode})"
            message = json.loads(frame.data.decode("utf-8"))
            check_server_message(message)
            self.received.append(message)
            return message

    def expect(self, kind: str, timeout: float = 10) -> dict:
        message = self.recv(timeout)
        assert message["type"] == kind, f"expected {kind!r}, got {message}"
        return message

    def expect_silence(self, seconds: float) -> None:
        try:
            message = self.recv(seconds)
        except websocket.WebSocketTimeoutException:
            return
        raise AssertionError(f"expected no message, got {message}")

    def subscribe(self, topic: str, since: int | None = None) -> dict:
        message = {"type": "subscribe", "topic": topic}
        if since is not None:
            message["since"] = since
        self.send(message)
        reply = self.recv()
        # A topic subscribed earlier may still publish (a finished search's late designs) before the
        # acknowledgement; those events stay in `received`.
        while reply.get("type") == "event" and reply.get("topic") != topic:
            reply = self.recv()
        assert reply["type"] == "subscribed" and reply["topic"] == topic, f"subscribe {topic}: got {reply}"
        return reply

    def ping(self) -> None:
        self.send({"type": "ping"})
        self.expect("pong")

    def close(self) -> None:
        try:
            self.ws.close(timeout=2)
        except Exception:
            pass


def wait_until(predicate, timeout: float, interval: float = 0.1, message: str = "condition"):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {message}")
        time.sleep(interval)


def health(server: Server) -> dict:
    resp = requests.get(server.base + "/api/health", timeout=10)
    assert_status(resp, 200)
    body = assert_json(resp)
    check_rest("Health", body)
    return body


def raw_http(server: Server, request: bytes, timeout: float = 10) -> bytes:
    """Send bytes as they are and return everything the server answers until it closes."""
    with socket.create_connection((server.host, server.port), timeout=timeout) as sock:
        sock.sendall(request)
        chunks = []
        try:
            while True:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                chunks.append(chunk)
        except (socket.timeout, ConnectionResetError):
            pass
        return b"".join(chunks)


# ---------------------------------------------------------------- white label

WHITE_LABEL_LEAKS = (r"aurelia", r"northbridge", r"\bAUR-[A-Z]-\d", r"\bNB-\d", r"alibaba", r"1688\.com", r"co\.,? ltd",
                     r"supplier", r"/product-detail/")


def white_label_patterns(world, values=(), keys=()) -> list[re.Pattern]:
    """What a buyer-facing payload must never contain: brand and marketplace names, SKUs, the
    simulators' addresses, and, from staff views, the exact `values` (brand, SKU, supplier, listing id
    or URL) and JSON member `keys` that only staff may see."""
    patterns = [re.compile(p, re.I) for p in WHITE_LABEL_LEAKS]
    for sim in getattr(world, "sims", {}).values():
        patterns.append(re.compile(re.escape(f"127.0.0.1:{sim.port}")))
    market = getattr(world, "market", None)
    if market is not None:
        patterns.append(re.compile(re.escape(f"127.0.0.1:{market.port}")))
    for value in values:
        if isinstance(value, str) and len(value) >= 3:
            patterns.append(re.compile(re.escape(value), re.I))
    for key in keys:
        patterns.append(re.compile(re.escape(json.dumps(key)) + r"\s*:"))
    return patterns


def assert_white_label(texts, patterns) -> None:
    for text in texts:
        for pattern in patterns:
            found = pattern.search(text)
            assert not found, (f"{pattern.pattern!r} in a buyer-facing payload: "
                               f"…{text[max(0, found.start() - 150):found.end() + 150]}…")
