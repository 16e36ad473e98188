"""TLS serving (--tls-cert/--tls-key) and SMTP delivery (--smtp-url), each against its own
`facet serve` started here: a self-signed certificate made with openssl, and a minimal SMTP
server on loopback that records what it receives."""

from __future__ import annotations

import http.client
import json
import signal
import socket
import socketserver
import ssl
import subprocess
import threading
import time

import pytest
import requests
import websocket

from .conftest import FACET_BIN, REPO, _free_port
from .support import registration, unique_email


def _start(tmp_path, *extra: str) -> tuple[subprocess.Popen, int]:
    port = _free_port()
    log = open(tmp_path / "serve.log", "wb")
    proc = subprocess.Popen([str(FACET_BIN), "serve", "--host", "127.0.0.1", "--port", str(port),
                             "--data", str(tmp_path / "data"), "--web", str(REPO / "web"), *extra],
                            cwd=REPO, stdout=log, stderr=subprocess.STDOUT)
    return proc, port


def _stop(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=10) == 0


def _wait(predicate, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():
                return
        except (requests.RequestException, OSError):
            pass
        time.sleep(0.2)
    raise AssertionError("timed out")


def _https(port: int, context: ssl.SSLContext, method: str, path: str, body: dict | None = None,
           cookie: str | None = None) -> tuple[int, dict, bytes]:
    connection = http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=10)
    headers = {"Content-Type": "application/json"} if body is not None else {}
    if cookie:
        headers["Cookie"] = cookie
    connection.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
    response = connection.getresponse()
    result = (response.status, {k.lower(): v for k, v in response.getheaders()}, response.read())
    connection.close()
    return result


def test_tls_serves_https_and_wss_with_secure_cookies(tmp_path):
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    subprocess.run([str(FACET_BIN), "admin", "create", "--data", str(tmp_path / "data"), "--email", "tls-ops@example.com",
                    "--password", "Opspass12345", "--role", "ops"], check=True, capture_output=True)
    proc, port = _start(tmp_path, "--tls-cert", str(cert), "--tls-key", str(key))
    trusted = ssl.create_default_context(cafile=str(cert))
    try:
        _wait(lambda: _https(port, trusted, "GET", "/api/health")[0] == 200)
        status, headers, _ = _https(port, trusted, "GET", "/")
        assert status == 200 and "content-security-policy" in headers
        with pytest.raises(ssl.SSLCertVerificationError):
            _https(port, ssl.create_default_context(), "GET", "/api/health")
        with pytest.raises((ConnectionError, http.client.HTTPException, OSError)):
            plain = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            plain.request("GET", "/api/health")
            assert plain.getresponse().status != 200

        status, headers, _ = _https(port, trusted, "POST", "/api/auth/login",
                                    {"email": "tls-ops@example.com", "password": "Opspass12345"})
        assert status == 200
        cookie = headers["set-cookie"]
        assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
        session = cookie.split(";")[0]

        ws = websocket.create_connection(f"wss://127.0.0.1:{port}/ws", sslopt={"ca_certs": str(cert)},
                                         cookie=session, timeout=10)
        ws.send(json.dumps({"type": "ping"}))
        assert json.loads(ws.recv()) == {"type": "pong"}
        ws.close()
    finally:
        _stop(proc)


class _SMTPHandler(socketserver.StreamRequestHandler):
    """Just enough of RFC 5321 for one client: greets, accepts every command, stores DATA."""

    def handle(self):
        self.wfile.write(b"220 test ESMTP\r\n")
        envelope = {"from": None, "to": [], "data": b""}
        while line := self.rfile.readline():
            command = line.strip().upper()
            if command.startswith(b"EHLO") or command.startswith(b"HELO"):
                self.wfile.write(b"250 test\r\n")
            elif command.startswith(b"MAIL FROM:"):
                envelope["from"] = line.strip()[10:].decode()
                self.wfile.write(b"250 ok\r\n")
            elif command.startswith(b"RCPT TO:"):
                envelope["to"].append(line.strip()[8:].decode())
                self.wfile.write(b"250 ok\r\n")
            elif command == b"DATA":
                self.wfile.write(b"354 go ahead\r\n")
                data = b""
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data += chunk
                envelope["data"] = data
                self.server.received.append(envelope)
                self.wfile.write(b"250 queued\r\n")
            elif command == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 ok\r\n")


def test_smtp_url_delivers_the_same_message_that_lands_in_the_outbox(tmp_path):
    smtp = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SMTPHandler)
    smtp.received = []
    threading.Thread(target=smtp.serve_forever, daemon=True).start()
    proc, port = _start(tmp_path, "--smtp-url", f"smtp://127.0.0.1:{smtp.server_address[1]}")
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(lambda: requests.get(base + "/api/health", timeout=2).status_code == 200)
        address = unique_email("smtp")
        assert requests.post(base + "/api/auth/register", json=registration(email=address)).status_code == 201
        _wait(lambda: len(smtp.received) == 1, timeout=20)
        envelope = smtp.received[0]
        assert envelope["to"] == [f"<{address}>"]
        assert envelope["from"] == "<no-reply@facet.local>"
        sent = envelope["data"].decode()
        assert "Subject: Verify your Facet account" in sent
        outbox = list((tmp_path / "data" / "outbox").glob("*.eml"))
        assert len(outbox) == 1
        assert "verify.html?token=" in sent and sent.split("token=")[1][:43] in outbox[0].read_text()
    finally:
        _stop(proc)
        smtp.shutdown()
