"""Browser tests against the real Facet server.

The server binary comes from FACET_BIN (default <repo>/.build/debug/facet). It is started
once per session on a free loopback port with a fresh data folder and the repository's
web/ folder; an ops account is created first with `facet admin create`. Chromium and
chromedriver are Debian's (/usr/bin/chromium, /usr/bin/chromedriver), run headless.
Screenshots go to <repo>/.build/screenshots/.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

from .helpers import OPS_EMAIL, OPS_PASSWORD, Server

REPO = Path(__file__).resolve().parents[2]
FACET_BIN = Path(os.environ.get("FACET_BIN", REPO / ".build" / "debug" / "facet"))
CHROMIUM = os.environ.get("CHROMIUM_BIN", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER_BIN", "/usr/bin/chromedriver")
SCREENSHOTS = REPO / ".build" / "screenshots"
STARTUP_TIMEOUT = float(os.environ.get("FACET_STARTUP_TIMEOUT", "60"))

# Runs in every document before its own scripts: records CSP violations so a test can
# assert that the policy blocked nothing.
CSP_PROBE = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__cspViolations.push({directive: e.violatedDirective, blocked: e.blockedURI,
                               source: e.sourceFile, line: e.lineNumber, sample: e.sample});
});
"""


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _tail(path: Path, lines: int = 80) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


class FacetProcess:
    """One `facet serve` process; can be stopped and started again on the same port and data."""

    def __init__(self, data: Path, port: int, log: Path):
        self.data, self.port, self.log = data, port, log
        self.base = f"http://127.0.0.1:{port}"
        self.proc: subprocess.Popen | None = None
        self.out = None

    def start(self):
        self.out = open(self.log, "ab")
        self.proc = subprocess.Popen(
            [str(FACET_BIN), "serve", "--host", "127.0.0.1", "--port", str(self.port), "--data", str(self.data),
             "--web", str(REPO / "web"), "--public-url", self.base],
            cwd=REPO, stdout=self.out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while True:
            if self.proc.poll() is not None:
                self.out.close()
                pytest.fail(f"facet serve exited with {self.proc.returncode} during startup:\n{_tail(self.log)}",
                            pytrace=False)
            try:
                with urllib.request.urlopen(self.base + "/api/health", timeout=2) as resp:
                    if resp.status == 200:
                        return
            except OSError:
                pass
            if time.monotonic() > deadline:
                self.stop()
                pytest.fail(f"facet serve did not answer /api/health in {STARTUP_TIMEOUT:.0f}s:\n{_tail(self.log)}",
                            pytrace=False)
            time.sleep(0.1)

    def stop(self) -> int | None:
        """SIGTERM, then SIGKILL after 10 s. Returns the exit status."""
        if not self.proc:
            return None
        self.proc.send_signal(signal.SIGTERM)
        try:
            code = self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            code = self.proc.wait()
        self.proc = None
        if self.out:
            self.out.close()
            self.out = None
        return code


@pytest.fixture(scope="session")
def facet_server(tmp_path_factory) -> Server:
    if not FACET_BIN.exists():
        pytest.fail(f"facet binary not found at {FACET_BIN} (build it, or set FACET_BIN)", pytrace=False)
    data = tmp_path_factory.mktemp("facet-browser-data")
    log = data.parent / "facet-browser-serve.log"

    created = subprocess.run(
        [str(FACET_BIN), "admin", "create", "--data", str(data), "--email", OPS_EMAIL,
         "--password", OPS_PASSWORD, "--role", "ops"],
        cwd=REPO, capture_output=True, text=True, timeout=120)
    assert created.returncode == 0, (
        f"facet admin create failed ({created.returncode}):\n{created.stdout}\n{created.stderr}")

    process = FacetProcess(data, _free_port(), log)
    process.start()
    try:
        yield Server(base=process.base, data=data, port=process.port, log=log, process=process)
    finally:
        process.stop()


def _make_driver(width: int = 1280, height: int = 900) -> webdriver.Chrome:
    if not Path(CHROMIUM).exists() or not Path(CHROMEDRIVER).exists():
        pytest.fail(f"chromium ({CHROMIUM}) or chromedriver ({CHROMEDRIVER}) is missing", pytrace=False)
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--hide-scrollbars", "--no-first-run", "--no-default-browser-check",
                "--disable-extensions", "--password-store=basic", f"--window-size={width},{height}"):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    driver.set_window_size(width, height)
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": CSP_PROBE})
    return driver


@pytest.fixture
def make_driver():
    drivers = []

    def factory(width: int = 1280, height: int = 900):
        d = _make_driver(width, height)
        drivers.append(d)
        return d

    yield factory
    for d in drivers:
        try:
            d.quit()
        except Exception:
            pass


@pytest.fixture
def driver(make_driver):
    return make_driver()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.fixture
def shoot(screenshots):
    """shoot(driver, name): saves the viewport as <repo>/.build/screenshots/<name>.png
    (full_page=True stretches the window to the page height first)."""

    def take(drv, name: str, full_page: bool = False) -> Path:
        path = screenshots / f"{name}.png"
        if full_page:
            size = drv.get_window_size()
            height = drv.execute_script(
                "return Math.max(document.documentElement.scrollHeight, document.body.scrollHeight);")
            drv.set_window_size(size["width"], max(size["height"], min(int(height) + 140, 4000)))
            time.sleep(0.15)
            drv.save_screenshot(str(path))
            drv.set_window_size(size["width"], size["height"])
        else:
            drv.save_screenshot(str(path))
        return path

    return take
