"""Helpers for the browser tests: a tiny HTTP client with cookies, outbox mail reading,
and a few selenium conveniences. Standard library only (plus selenium)."""

from __future__ import annotations

import email
import email.policy
import http.cookiejar
import json
import re
import time
import urllib.error
import uuid
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

OPS_EMAIL = "ops@example.com"
OPS_PASSWORD = "Opspass12345"


@dataclass
class Server:
    base: str
    data: Path
    port: int
    log: Path
    process: object = None  # conftest.FacetProcess: stop() / start() on the same port and data

    @property
    def outbox(self) -> Path:
        return self.data / "outbox"


@dataclass
class Response:
    status: int
    headers: object  # http.client.HTTPMessage: case-insensitive get()
    body: bytes
    method: str
    url: str
    sent: object = None

    def json(self):
        return json.loads(self.body.decode("utf-8")) if self.body else None

    def describe(self) -> str:
        return (f"{self.method} {self.url} {json.dumps(self.sent) if self.sent is not None else ''}\n"
                f"→ HTTP {self.status} {self.body[:2000].decode('utf-8', 'replace')}")


class HttpClient:
    """Keeps the session cookie between requests, like a browser would."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def request(self, method: str, path: str, body=None, headers=None) -> Response:
        data = None
        hdrs = {"Accept": "application/json"}
        if body is not None:
            data = json.dumps(body).encode("utf-8")
            hdrs["Content-Type"] = "application/json"
        hdrs.update(headers or {})
        req = urllib.request.Request(self.base + path, data=data, method=method, headers=hdrs)
        try:
            with self.opener.open(req, timeout=15) as resp:
                return Response(resp.status, resp.headers, resp.read(), method, path, body)
        except urllib.error.HTTPError as err:
            return Response(err.code, err.headers, err.read(), method, path, body)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.request("POST", path, {} if body is None else body, **kw)


def login(client: HttpClient, email_address: str, password: str) -> dict:
    resp = client.post("/api/auth/login", {"email": email_address, "password": password})
    assert resp.status == 200, resp.describe()
    return resp.json()["user"]


# ---------------------------------------------------------------- mail

def mail_names(server: Server) -> set[str]:
    return {p.name for p in server.outbox.glob("*.eml")} if server.outbox.exists() else set()


def mail_body_text(msg: email.message.EmailMessage) -> str:
    """All text parts of the message, transfer-decoded (quoted-printable, base64)."""
    texts = []
    for part in msg.walk():
        if part.get_content_maintype() == "text":
            texts.append(part.get_content())
    return "\n".join(texts)


def read_mail(path: Path) -> email.message.EmailMessage:
    with open(path, "rb") as fh:
        return email.message_from_binary_file(fh, policy=email.policy.default)


def wait_for_new_mail(server: Server, before: set[str], to: str, timeout: float = 15) -> email.message.EmailMessage:
    """The newest .eml written after `before` and addressed to `to`."""
    deadline = time.monotonic() + timeout
    while True:
        fresh = [p for p in server.outbox.glob("*.eml") if p.name not in before] if server.outbox.exists() else []
        fresh.sort(key=lambda p: (p.stat().st_mtime, p.name), reverse=True)
        for path in fresh:
            msg = read_mail(path)
            if to.lower() in str(msg.get("To", "")).lower():
                return msg
        if time.monotonic() > deadline:
            raise AssertionError(f"no new mail to {to} in {server.outbox}; files: {sorted(mail_names(server))}")
        time.sleep(0.2)


def link_from_mail(msg: email.message.EmailMessage, page: str) -> str:
    text = mail_body_text(msg)
    pattern = re.compile(r"https?://[^\s\"'<>]+/" + re.escape(page) + r"\?token=[A-Za-z0-9_\-.~%]+")
    match = pattern.search(text)
    assert match, f"no {page}?token= link in mail:\n{text[:3000]}"
    return match.group(0)


# ---------------------------------------------------------------- selenium

def wait(driver, timeout: float = 15) -> WebDriverWait:
    return WebDriverWait(driver, timeout, poll_frequency=0.1)


def visible(driver, css: str, timeout: float = 15):
    return wait(driver, timeout).until(EC.visibility_of_element_located((By.CSS_SELECTOR, css)))


def nav_ready(driver, timeout: float = 15):
    """The page is mounted (web/js/page.js): the navigation is rendered (/api/me has answered) and
    the page's own load has settled, so its forms are bound and its lists filled."""
    wait(driver, timeout).until(lambda d: d.execute_script("return document.documentElement.dataset.mounted === 'true'"))
    return driver.find_element(By.CSS_SELECTOR, "#site-header nav.site-nav")


def fill(driver, css: str, value: str):
    el = driver.find_element(By.CSS_SELECTOR, css)
    el.clear()
    el.send_keys(value)
    return el


def sign_in(driver, base: str, email_address: str, password: str, lands_on: str):
    driver.get(base + "/signin.html")
    nav_ready(driver)
    fill(driver, "#email", email_address)
    fill(driver, "#password", password)
    driver.find_element(By.ID, "signin-submit").click()
    wait(driver).until(EC.url_contains(lands_on))


def verified_buyer(server: Server) -> tuple[str, str]:
    """Registers a buyer over the API and follows the e-mailed link; returns (e-mail, password)."""
    suffix = uuid.uuid4().hex[:8]
    email_address = f"pages-{suffix}@example.com"
    password = "Filigree2024z"
    client = HttpClient(server.base)
    before = mail_names(server)
    resp = client.post("/api/auth/register", {
        "companyName": f"Page Check {suffix}", "businessLicense": f"PC-{suffix}", "contactName": "Noor Haddad",
        "email": email_address, "password": password, "phone": "+971 4 555 0100", "country": "United Arab Emirates",
        "businessType": "wholesaler", "typicalOrderVolume": "50k+", "preferredCategories": ["necklace", "bangle"]})
    assert resp.status == 201, resp.describe()
    link = link_from_mail(wait_for_new_mail(server, before, email_address), "verify.html")
    resp = client.post("/api/auth/verify", {"token": link.split("token=", 1)[1]})
    assert resp.status == 200, resp.describe()
    return email_address, password
