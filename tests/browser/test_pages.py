"""Every page loads without JavaScript errors and without Content-Security-Policy violations,
signed out, as a verified buyer and as ops."""

from __future__ import annotations

import re
import time

import pytest

from .helpers import OPS_EMAIL, OPS_PASSWORD, HttpClient, nav_ready, sign_in, verified_buyer, wait

PAGES = ["/", "/index.html", "/signup.html", "/signin.html", "/verify.html", "/verify.html?token=not-a-real-token",
         "/reset.html", "/reset.html?token=not-a-real-token", "/profile.html", "/app.html", "/admin.html",
         "/search.html", "/offer.html", "/cart.html", "/cart.html?tab=wishlist", "/compare.html",
         "/compare.html?offers=of_missing1,of_missing2", "/history.html"]

# Requests that are expected to fail on some pages (the browser logs them as network errors):
# /api/me answers 401 to a visitor without a session; made-up tokens answer 400.
EXPECTED_NETWORK_ERRORS = [
    re.compile(r"/api/me\b.* 401"),
    re.compile(r"/api/auth/verify\b.* 400"),
    re.compile(r"/api/offers/of_missing\d\b.* 404"),
]


def _problems(driver) -> list[str]:
    problems = []
    for entry in driver.get_log("browser"):
        if entry.get("level") != "SEVERE":
            continue
        message = entry.get("message", "")
        if entry.get("source") == "network" and any(p.search(message) for p in EXPECTED_NETWORK_ERRORS):
            continue
        problems.append(f"[{entry.get('source')}] {message}")
    violations = driver.execute_script("return window.__cspViolations || []") or []
    problems += [f"[csp] {v}" for v in violations]
    return problems


def _settle(driver):
    """Waits for the shared layout (which calls /api/me) and a moment for page scripts."""
    nav_ready(driver)
    wait(driver).until(lambda d: d.execute_script("return document.readyState") == "complete")
    time.sleep(0.6)


def _visit_all(driver, base: str, label: str) -> list[str]:
    failures = []
    driver.get_log("browser")  # discard anything earlier
    for page in PAGES:
        driver.get(base + page)
        _settle(driver)
        for problem in _problems(driver):
            failures.append(f"{label} {page} (now at {driver.current_url}): {problem}")
    return failures


def test_pages_load_without_errors_signed_out(facet_server, driver):
    failures = _visit_all(driver, facet_server.base, "signed out")
    assert not failures, "\n".join(failures)


def test_pages_load_without_errors_as_buyer(facet_server, driver):
    email_address, password = verified_buyer(facet_server)
    sign_in(driver, facet_server.base, email_address, password, "/app.html")
    failures = _visit_all(driver, facet_server.base, "buyer")
    assert not failures, "\n".join(failures)


def test_pages_load_without_errors_as_ops(facet_server, driver):
    sign_in(driver, facet_server.base, OPS_EMAIL, OPS_PASSWORD, "/admin.html")
    failures = _visit_all(driver, facet_server.base, "ops")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("page", ["/", "/signup.html", "/app.html", "/admin.html"])
def test_static_files_are_served(facet_server, page):
    resp = HttpClient(facet_server.base).get(page, headers={"Accept": "text/html"})
    assert resp.status == 200, resp.describe()
    assert "text/html" in resp.headers.get("Content-Type", ""), resp.headers
    for asset, kind in (("/css/facet.css", "text/css"), ("/js/layout.js", "javascript"), ("/favicon.svg", "svg")):
        r = HttpClient(facet_server.base).get(asset, headers={"Accept": "*/*"})
        assert r.status == 200, r.describe()
        assert kind in r.headers.get("Content-Type", ""), f"{asset}: {r.headers.get('Content-Type')}"


@pytest.mark.parametrize("page", ["/", "/signup.html", "/search.html", "/admin.html"])
def test_server_csp_header_is_strict_and_compatible(facet_server, page):
    """The server sends a Content-Security-Policy that allows no inline script; the pages above
    load cleanly under it (the browser enforces both it and the pages' own meta policy)."""
    resp = HttpClient(facet_server.base).get(page, headers={"Accept": "text/html"})
    assert resp.status == 200, resp.describe()
    policy = resp.headers.get("Content-Security-Policy")
    assert policy, f"{page}: the server sends no Content-Security-Policy header"
    directives = {d.split()[0]: d.split()[1:] for d in (x.strip() for x in policy.split(";")) if d}
    scripts = directives.get("script-src", directives.get("default-src"))
    assert scripts, f"{page}: the policy limits neither script-src nor default-src: {policy}"
    assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts, policy
