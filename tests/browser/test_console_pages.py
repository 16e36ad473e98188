"""The operations console in a real browser against `facet demo` (two brand simulators and the
marketplace simulator): the dashboard's counts rise live while a buyer asks for a quote over plain
HTTP, and its activity feed speaks sentences, never JSON; brand sync (sync now, the approval
policy, the catalog search); approvals of new brand products held for review (a product made in
the brand simulator arrives live; approve with a correction, reject with a required reason); the
marketplace page (parameters saved with their audit, a trial search). Screenshots of each page at
1366 and 390 px in .build/screenshots/ (console-*.png)."""

from __future__ import annotations

import datetime as dt
import json
import time
import urllib.request
import uuid

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from .conftest import REPO
from .demo_world import BUYER, OPS, running_demo
from .helpers import HttpClient, fill, login, nav_ready, sign_in, visible, wait

ADMIN = ("admin@demo.facet.local", "Admin-demo-2026")

OVERFLOWING = """
const w = document.documentElement.clientWidth;
const out = [...document.querySelectorAll('body *')].filter(el => {
  const r = el.getBoundingClientRect();
  return r.width > 0 && r.right > w + 0.5 && !el.closest('.table-wrap, .visually-hidden');
});
return out.filter(el => !out.some(o => o !== el && el.contains(o))).slice(0, 8)
  .map(el => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}.${[...el.classList].join('.')} right=${Math.round(el.getBoundingClientRect().right)}`);
"""


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    with running_demo(tmp_path_factory.mktemp("facet-console-data")) as w:
        yield w


@pytest.fixture(scope="module")
def staff(world):
    client = HttpClient(world.base)
    client.user = login(client, *OPS)
    return client


def ok(resp, *statuses):
    assert resp.status in (statuses or (200, 201)), resp.describe()
    return resp.json()


def _text(driver, css) -> str:
    return driver.execute_script("const el = document.querySelector(arguments[0]); return el ? el.innerText : '';", css)


def _click(driver, el):
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", el)
    el.click()


def _subscribed(driver, topic="admin", timeout=20):
    wait(driver, timeout).until(lambda d: topic in (d.find_element(By.ID, "live-pill").get_attribute("data-subscribed") or "").split())


def _staff_page(make_driver, world, path, who=OPS):
    driver = make_driver(1366, 900)
    sign_in(driver, world.base, *who, "/admin.html")
    if path != "/admin.html":
        driver.get(world.base + path)
    nav_ready(driver, 30)
    return driver


def _no_page_errors(driver, where):
    err = driver.find_elements(By.CSS_SELECTOR, "#page-error:not([hidden])")
    assert not err, f"{where}: {err[0].text}"
    assert driver.execute_script("return window.__cspViolations.length") == 0, driver.execute_script("return window.__cspViolations")
    severe = [e["message"] for e in driver.get_log("browser") if e.get("level") == "SEVERE" and "/api/me" not in e.get("message", "")]
    assert not severe, f"{where}: {severe}"


def _shots(driver, shoot, name, where):
    """The page at 1366 and 390 px, full height, checked for sideways scrolling."""
    size = driver.get_window_size()
    for width in (1366, 390):
        driver.set_window_size(width, 900 if width > 400 else 844)
        driver.execute_script("window.scrollTo(0, 0)")
        time.sleep(0.5)
        shoot(driver, f"{name}-{width}", full_page=True)
        scroll = driver.execute_script("return document.documentElement.scrollWidth")
        assert scroll <= driver.execute_script("return window.innerWidth"), \
            f"{where} at {width}px: {scroll}px wide: {driver.execute_script(OVERFLOWING)}"
    driver.set_window_size(size["width"], size["height"])
    time.sleep(0.2)


def _search(client: HttpClient, photo: bytes, category: str) -> str:
    boundary = uuid.uuid4().hex
    body = (f'--{boundary}\r\nContent-Disposition: form-data; name="category"\r\n\r\n{category}\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="image"; filename="design.jpg"\r\n'
            f'Content-Type: image/jpeg\r\n\r\n').encode() + photo + f"\r\n--{boundary}--\r\n".encode()
    req = urllib.request.Request(client.base + "/api/searches", data=body, method="POST", headers={
        "Content-Type": f"multipart/form-data; boundary={boundary}", "Accept": "application/json"})
    with client.opener.open(req, timeout=30) as resp:
        sid = json.loads(resp.read())["id"]
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        got = ok(client.get(f"/api/searches/{sid}"))
        if got["status"] != "running":
            assert got["status"] == "done", got
            return sid
        time.sleep(0.3)
    raise AssertionError(f"search {sid} did not finish")


def _inventory_offer(buyer: HttpClient) -> dict:
    photo = sorted((REPO / "seeds" / "images" / "aurelia").glob("AUR-R-*-1.jpg"))[1]
    sid = _search(buyer, photo.read_bytes(), "ring")
    exact = ok(buyer.get(f"/api/searches/{sid}"))["exactMatch"]
    if exact:
        return exact
    return next(o for o in ok(buyer.get(f"/api/searches/{sid}/results?limit=24"))["results"] if o["source"] == "inventory")


def _count(driver, key) -> int:
    value = driver.execute_script(f"return document.querySelector('#work [data-work=\"{key}\"]')?.dataset.count")
    return int(value) if value is not None else -1


def test_dashboard_counts_rise_live_and_the_feed_speaks(world, staff, make_driver, shoot):
    d = _staff_page(make_driver, world, "/admin.html")
    _subscribed(d)
    wait(d).until(lambda dr: _count(dr, "newQuoteRequests") >= 0)
    visible(d, "#health .health-tile[data-tile='search']")
    d.execute_script("window.__sameDocument = true")
    before = _count(d, "newQuoteRequests")
    loads = int(d.execute_script("return document.body.dataset.dashboardLoads || '0'"))

    # Every count is a link to its list.
    link = d.find_element(By.CSS_SELECTOR, "#work [data-work='newQuoteRequests']").get_attribute("href")
    assert link.endswith("/admin-quotes.html?status=submitted"), link
    assert d.find_element(By.CSS_SELECTOR, "#work-orders [data-status='confirmed']").get_attribute("href").endswith(
        "/admin-orders.html?status=confirmed")
    # Health tiles are coloured and say what they measure in words.
    for tile in d.find_elements(By.CSS_SELECTOR, "#health .health-tile"):
        assert tile.get_attribute("data-state") in ("ok", "amber", "red"), tile.get_attribute("outerHTML")[:200]
    brand_tile = _text(d, "#health .health-tile[data-tile='brand:aurelia']")
    assert "Last sync" in brand_tile and "products active" in brand_tile, brand_tile
    assert "search" in _text(d, "#health .health-tile[data-tile='search']").lower()

    # A buyer asks for a quote over plain HTTP: the count rises without a reload (pushed, not polled).
    buyer = HttpClient(world.base)
    login(buyer, *BUYER)
    offer = _inventory_offer(buyer)
    quantity = max(offer["moq"], 6)
    ok(buyer.post("/api/cart/lines", {"offerId": offer["id"], "quantity": quantity}))
    quote = ok(buyer.request("POST", "/api/quotes", {
        "lines": [{"offerId": offer["id"], "quantity": quantity}], "urgency": "urgent", "country": "DE",
        "preferredDeliveryDate": (dt.date.today() + dt.timedelta(days=45)).isoformat()},
        headers={"Idempotency-Key": str(uuid.uuid4())}), 201)["quote"]
    wait(d, 20).until(lambda dr: _count(dr, "newQuoteRequests") == before + 1)
    assert d.execute_script("return window.__sameDocument === true"), "the dashboard reloaded"
    assert int(d.execute_script("return document.body.dataset.dashboardLoads")) > loads

    # The feed says it in a sentence with a link to the quote, never as JSON.
    item = visible(d, "#feed li[data-event='quote.changed']", timeout=20)
    text = item.text
    assert f"New quote request {quote['number']}" in text and "urgent" in text, text
    assert item.find_element(By.CSS_SELECTOR, "a").get_attribute("href").endswith(f"/admin-quote.html?id={quote['id']}")
    feed = _text(d, "#feed")
    assert "{" not in feed and '":' not in feed and not d.find_elements(By.CSS_SELECTOR, "#feed pre"), feed

    # A staff action from elsewhere (an approval policy) arrives as "<summary> by <actor>".
    ok(staff.request("PUT", "/api/admin/approval-policies/northbridge", {"policy": "publish"}))
    wait(d, 20).until(lambda dr: f"by {OPS[0]}" in _text(dr, "#feed li[data-event='staff.action']"))
    _no_page_errors(d, "dashboard")
    _shots(d, shoot, "console-dashboard", "dashboard")


def test_navigation_shows_the_console_and_staff_only_to_admins(world, make_driver):
    expected = ["admin.html", "admin-quotes.html", "admin-orders.html", "admin-approvals.html", "admin-sync.html",
                "admin-marketplace.html", "admin-analytics.html", "admin-buyers.html", "admin-audit.html"]
    for who, staff_link in ((OPS, False), (ADMIN, True)):
        d = _staff_page(make_driver, world, "/admin.html", who)
        links = [a.get_attribute("href").rsplit("/", 1)[1] for a in d.find_elements(By.CSS_SELECTOR, "#site-header nav a")]
        assert links[:len(expected)] == expected, links
        assert ("admin-staff.html" in links) is staff_link, (who[0], links)
        d.quit()


def test_sync_page_syncs_sets_the_policy_and_searches_the_catalog(world, staff, make_driver, shoot):
    d = _staff_page(make_driver, world, "/admin-sync.html")
    _subscribed(d)
    for brand in ("aurelia", "northbridge"):
        card = visible(d, f"#brand-{brand}")
        text = card.text.lower()
        assert "last success" in text and "errors in 24 h" in text and "webhooks received" in text and "products" in text, text
    _click(d, d.find_element(By.CSS_SELECTOR, "#brand-northbridge [data-action='sync']"))
    wait(d, 60).until(lambda dr: "Sync done" in _text(dr, "#brand-northbridge .brand-result")
                      or "already running" in _text(dr, "#brand-northbridge .brand-result"))

    # The approval policy is changed from the page and read back from the server.
    Select(d.find_element(By.ID, "policy-northbridge")).select_by_value("review")
    wait(d).until(lambda dr: next(p for p in ok(staff.get("/api/admin/approval-policies"))["policies"]
                                  if p["brand"] == "northbridge")["policy"] == "review")
    wait(d).until(lambda dr: "Set by" in _text(dr, "#brand-northbridge .policy-by"))
    Select(d.find_element(By.ID, "policy-northbridge")).select_by_value("publish")
    wait(d).until(lambda dr: next(p for p in ok(staff.get("/api/admin/approval-policies"))["policies"]
                                  if p["brand"] == "northbridge")["policy"] == "publish")

    # The catalog search goes to GET /api/admin/catalog?q= and shows the true source.
    sku = ok(staff.get("/api/admin/catalog?brand=aurelia&limit=1"))["products"][0]["sku"]
    fill(d, "#catalog-q", sku)
    _click(d, d.find_element(By.ID, "catalog-search"))
    wait(d).until(lambda dr: dr.execute_script("return document.querySelectorAll('#catalog-table tbody tr[data-sku]').length") == 1)
    row = d.find_element(By.CSS_SELECTOR, f"#catalog-table tr[data-sku='{sku}']")
    assert "aurelia" in row.text and row.find_elements(By.CSS_SELECTOR, "a[href*='/seeds/images/']"), row.text
    assert f"q={sku}" in d.current_url
    fill(d, "#catalog-q", "")
    _click(d, d.find_element(By.ID, "catalog-search"))
    wait(d).until(lambda dr: dr.execute_script("return document.querySelectorAll('#catalog-table tbody tr[data-sku]').length") > 1)
    visible(d, "#brand-orders table")
    _no_page_errors(d, "sync")
    _shots(d, shoot, "console-sync", "brand sync")


def _create_brand_product(world, sku: str):
    body = json.dumps({"action": "create", "sku": "AUR-R-00013", "newSku": sku}).encode()
    req = urllib.request.Request(world.simulator_url("aurelia") + "/_control/change", data=body, method="POST",
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=15) as resp:
        assert resp.status == 200


def test_new_brand_products_wait_for_review_then_are_approved_or_rejected(world, staff, make_driver, shoot):
    ok(staff.request("PUT", "/api/admin/approval-policies/aurelia", {"policy": "review"}))
    suffix = uuid.uuid4().hex[:4].upper()
    first, second = f"AUR-R-9{suffix}1", f"AUR-R-9{suffix}2"
    try:
        _create_brand_product(world, first)
        d = _staff_page(make_driver, world, "/admin-approvals.html")
        _subscribed(d)
        visible(d, f".approval[data-subject='{first}']", timeout=30)
        d.execute_script("window.__sameDocument = true")
        # The second arrives by the brand's webhook while the page is open.
        _create_brand_product(world, second)
        card2 = visible(d, f".approval[data-subject='{second}']", timeout=30)
        assert d.execute_script("return window.__sameDocument === true"), "the approvals page reloaded"
        card = d.find_element(By.CSS_SELECTOR, f".approval[data-subject='{first}']")
        assert card.find_elements(By.CSS_SELECTOR, "img.approval-main"), "the photo is shown"
        metal = card.find_element(By.CSS_SELECTOR, "tr[data-attribute='metal']").text
        assert "yellow" in metal.lower(), metal  # what the brand says and what Facet read
        _no_page_errors(d, "approvals")
        _shots(d, shoot, "console-approvals", "approvals")

        # Approve the first with a correction of the metal.
        approval_id = card.get_attribute("data-id")
        Select(card.find_element(By.CSS_SELECTOR, "select[data-attribute='metal']")).select_by_value("rose")
        _click(d, card.find_element(By.CSS_SELECTOR, "[data-action='approve']"))
        wait(d).until(lambda dr: dr.execute_script(
            f"return document.querySelector(\".approval[data-subject='{first}']\")?.dataset.status") == "approved")
        decided = next(a for a in ok(staff.get("/api/admin/approvals?status=approved"))["approvals"] if a["id"] == approval_id)
        assert decided["corrections"] == {"metal": "rose"} and decided["decidedBy"] == OPS[0], decided

        # Rejecting needs a reason: none given, the page says so beside the field and sends nothing.
        card2 = d.find_element(By.CSS_SELECTOR, f".approval[data-subject='{second}']")
        _click(d, card2.find_element(By.CSS_SELECTOR, "[data-action='reject']"))
        error = wait(d).until(lambda dr: _text(dr, f".approval[data-subject='{second}'] [data-error-for='reason']"))
        assert "why" in error.lower(), error
        assert next(a for a in ok(staff.get("/api/admin/approvals"))["approvals"] if a["subject"] == second)["status"] == "pending"
        fill(d, f".approval[data-subject='{second}'] textarea[name='reason']", "Duplicate of an existing design.")
        _click(d, card2.find_element(By.CSS_SELECTOR, "[data-action='reject']"))
        wait(d).until(lambda dr: dr.execute_script(
            f"return document.querySelector(\".approval[data-subject='{second}']\")?.dataset.status") == "rejected")
        rejected = next(a for a in ok(staff.get("/api/admin/approvals?status=rejected"))["approvals"] if a["subject"] == second)
        assert rejected["reason"] == "Duplicate of an existing design.", rejected
        assert "Duplicate of an existing design." in _text(d, f".approval[data-subject='{second}']")
        _no_page_errors(d, "approvals after decisions")
    finally:
        ok(staff.request("PUT", "/api/admin/approval-policies/aurelia", {"policy": "publish"}))


def test_marketplace_parameters_audit_and_trial_search(world, staff, make_driver, shoot):
    d = _staff_page(make_driver, world, "/admin-marketplace.html")
    _subscribed(d)
    visible(d, "#market-sources tbody tr")
    visible(d, "#markup-global")
    wait(d).until(lambda dr: dr.find_element(By.ID, "ms-maxPages").get_attribute("value") != "")
    pages = int(d.find_element(By.ID, "ms-maxPages").get_attribute("value"))
    try:
        fill(d, "#ms-maxPages", str(pages + 1))
        _click(d, d.find_element(By.ID, "settings-save"))
        wait(d).until(lambda dr: "Parameters saved" in _text(dr, "#settings-alert"))
        assert ok(staff.get("/api/admin/marketplace"))["settings"]["maxPages"] == pages + 1
        entry = visible(d, "#settings-audit li")
        assert f"Result pages per search {pages} → {pages + 1}" in entry.text and OPS[0] in entry.text, entry.text

        # The sourcing index by category, each with its freshness; one is refreshed on request.
        visible(d, "#coverage-table tbody tr[data-category='ring']")
        assert len(d.find_elements(By.CSS_SELECTOR, "#coverage-table tbody tr")) == 7
        _click(d, d.find_element(By.CSS_SELECTOR, "#coverage-table button[data-category='ring']"))
        wait(d).until(lambda dr: "Fetching" in _text(dr, "#coverage-alert"))

        # A trial search asks the marketplace now and shows each listing's true source.
        Select(d.find_element(By.ID, "trial-category")).select_by_value("ring")
        fill(d, "#trial-keywords", "gold")
        _click(d, d.find_element(By.ID, "trial-submit"))
        wait(d, 90).until(lambda dr: dr.execute_script("return document.body.dataset.trialListings") is not None)
        assert int(d.execute_script("return document.body.dataset.trialListings")) > 0, _text(d, "#trial-card")
        row = d.find_element(By.CSS_SELECTOR, "#trial-results tbody tr")
        assert "source $" in row.text and "buyer $" in row.text, row.text
        assert "Listings" in _text(d, "#trial-stats")
        _no_page_errors(d, "marketplace")
        _shots(d, shoot, "console-marketplace", "marketplace")
        # What the trial search found is held: the latest listings show it after a reload.
        d.refresh()
        nav_ready(d, 30)
        visible(d, "#market-listings tbody tr[data-listing]")
        _no_page_errors(d, "marketplace after a reload")
    finally:
        ok(staff.request("PUT", "/api/admin/marketplace", {"maxPages": pages}))
