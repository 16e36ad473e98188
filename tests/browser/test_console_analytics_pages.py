"""The operations console's analytics, buyers, audit and staff pages, and the thumbs on a buyer's
search results, in a real browser against `facet demo`: a buyer's votes reach the match-quality
report; every report draws its charts and each table downloads as CSV; a buyer is found in the
list and given a note and a verified business; the audit log says so; an admin invites a
colleague while ops are told the page is for admins. Screenshots of each page at 1366 and 390 px
in .build/screenshots/ (console-*.png)."""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.request
import uuid

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from .conftest import REPO
from .demo_world import BUYER, OPS, running_demo
from .helpers import HttpClient, Server, fill, login, nav_ready, sign_in, visible, wait, wait_for_new_mail, mail_names

ADMIN = ("admin@demo.facet.local", "Admin-demo-2026")
EXACT_PHOTO = REPO / "seeds" / "images" / "aurelia" / "AUR-R-00013-1.jpg"

OVERFLOWING = """
const w = document.documentElement.clientWidth;
const out = [...document.querySelectorAll('body *')].filter(el => {
  const r = el.getBoundingClientRect();
  return r.width > 0 && r.right > w + 0.5 && !el.closest('.table-wrap, .visually-hidden, .report-tabs');
});
return out.filter(el => !out.some(o => o !== el && el.contains(o))).slice(0, 8)
  .map(el => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}.${[...el.classList].join('.')} right=${Math.round(el.getBoundingClientRect().right)}`);
"""

# Text in a chart smaller than this is not readable in a screenshot.
SMALLEST_CHART_TEXT = """
const sizes = [...document.querySelectorAll('svg.chart-svg text')].map(t => parseFloat(getComputedStyle(t).fontSize));
return sizes.length ? Math.min(...sizes) : null;
"""


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    with running_demo(tmp_path_factory.mktemp("facet-console-data")) as w:
        yield w


@pytest.fixture(scope="module")
def ops(world):
    client = HttpClient(world.base)
    client.user = login(client, *OPS)
    return client


def _search(client: HttpClient, photo, category: str, max_price: str = "") -> str:
    """A buyer's search over HTTP, waited for until done."""
    boundary = uuid.uuid4().hex
    fields = {"category": category, **({"maxPrice": max_price} if max_price else {})}
    body = b"".join(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode() for k, v in fields.items())
    body += (f'--{boundary}\r\nContent-Disposition: form-data; name="image"; filename="design.jpg"\r\n'
             f'Content-Type: image/jpeg\r\n\r\n').encode() + photo.read_bytes() + f"\r\n--{boundary}--\r\n".encode()
    req = urllib.request.Request(client.base + "/api/searches", data=body, method="POST", headers={
        "Content-Type": f"multipart/form-data; boundary={boundary}", "Accept": "application/json", "Origin": client.base})
    try:
        with client.opener.open(req, timeout=30) as resp:
            sid = json.loads(resp.read())["id"]
    except urllib.error.HTTPError as err:
        raise AssertionError(f"search refused: {err.code} {err.read()[:500]!r}")
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if client.get(f"/api/searches/{sid}").json()["status"] != "running":
            return sid
        time.sleep(0.3)
    raise AssertionError(f"search {sid} did not finish")


@pytest.fixture(scope="module")
def searches(world):
    """A few searches of different kinds, some with a price limit, so the reports have something to draw."""
    buyer = HttpClient(world.base)
    login(buyer, *BUYER)
    photos = REPO / "seeds" / "images" / "aurelia"
    done = []
    for prefix, category, limit in (("AUR-N", "necklace", ""), ("AUR-E", "earring", "120"), ("AUR-P", "pendant", "400"),
                                    ("AUR-R", "ring", "80"), ("AUR-B", "bracelet", "")):
        photo = sorted(photos.glob(f"{prefix}-*-1.jpg"))[3]
        done.append(_search(buyer, photo, category, limit))
    return done


@pytest.fixture(scope="module")
def quotes(world, searches):
    """Two quote requests from those searches: one left open, one withdrawn (a lost quote)."""
    buyer = HttpClient(world.base)
    login(buyer, *BUYER)
    ids = []
    for sid in searches[:2]:
        got = ok(buyer.get(f"/api/searches/{sid}"))
        offer = got.get("exactMatch") or got["alternatives"][0]
        quote = ok(buyer.request("POST", "/api/quotes", {
            "lines": [{"offerId": offer["id"], "quantity": max(offer.get("moq") or 1, 10)}], "urgency": "standard", "country": "DE"},
            headers={"Idempotency-Key": str(uuid.uuid4())}), 201)["quote"]
        ids.append(quote["id"])
    ok(buyer.post(f"/api/quotes/{ids[1]}/withdraw", {}))
    return ids


def ok(resp, *statuses):
    assert resp.status in (statuses or (200, 201)), resp.describe()
    return resp.json()


def _fits(driver, where):
    width = driver.execute_script("return document.documentElement.scrollWidth")
    assert width <= driver.execute_script("return window.innerWidth"), \
        f"{where}: {width}px wide: {driver.execute_script(OVERFLOWING)}"


def _shots(driver, shoot, name, where):
    """The page at 1366 and 390 px, full height, checked for sideways scrolling."""
    for width in (1366, 390):
        driver.set_window_size(width, 900 if width > 400 else 844)
        time.sleep(0.5)
        shoot(driver, f"{name}-{width}", full_page=True)
        _fits(driver, f"{where} at {width}px")
    driver.set_window_size(1366, 900)
    time.sleep(0.3)


def _no_page_errors(driver, where, expected=()):
    """No error shown on the page, nothing blocked by the policy, nothing failed in the console
    (but for the answers named in `expected`, such as the 403 an ops account is given)."""
    err = driver.find_elements(By.CSS_SELECTOR, "#page-error:not([hidden])")
    assert not err, f"{where}: {err[0].text}"
    assert driver.execute_script("return window.__cspViolations.length") == 0, driver.execute_script("return window.__cspViolations")
    severe = [e["message"] for e in driver.get_log("browser") if e.get("level") == "SEVERE"
              and not any(x in e["message"] for x in expected) and not re.search(r"/api/me\b.* 401", e["message"])]
    assert not severe, f"{where}: {severe}"


def _staff_page(make_driver, world, path, who=OPS):
    driver = make_driver(1366, 900)
    sign_in(driver, world.base, *who, "/admin.html")
    driver.get(world.base + path)
    nav_ready(driver)
    return driver


def _click(driver, el):
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", el)
    el.click()


def _text(driver, css) -> str:
    return driver.execute_script("const el = document.querySelector(arguments[0]); return el ? el.innerText : '';", css)


def _attr(driver, css, name):
    """An attribute read in one go (a re-rendered table makes held elements stale)."""
    return driver.execute_script("const el = document.querySelector(arguments[0]); return el ? el.getAttribute(arguments[1]) : null;", css, name)


def _measure(client, report, name):
    summary = next(t for t in ok(client.get(f"/api/admin/analytics/{report}"))["tables"] if t["name"] == "summary")
    return dict((row[0], row[1]) for row in summary["rows"])[name]


# ---------------------------------------------------------------- the buyer's thumbs

def test_thumbs_on_result_cards_send_the_vote(world, ops, make_driver, shoot):
    up_before = _measure(ops, "match-quality", "thumbs_up")
    down_before = _measure(ops, "match-quality", "thumbs_down")
    driver = make_driver(1366, 900)
    sign_in(driver, world.base, *BUYER, "/app.html")
    driver.get(world.base + "/search.html")
    nav_ready(driver)
    driver.find_element(By.ID, "image-input").send_keys(str(EXACT_PHOTO))
    Select(driver.find_element(By.ID, "category")).select_by_value("ring")
    driver.find_element(By.ID, "search-submit").click()
    wait(driver, 60).until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-search-status") in ("done", "failed"))
    wait(driver).until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-results-loading") != "true")
    time.sleep(0.5)

    votes = driver.find_elements(By.CSS_SELECTOR, "#alt-grid .offer-card .result-vote")
    assert len(votes) >= 2, "no thumbs on the result cards"
    # Thumbs only where the server takes them: the search's own exact match and alternatives.
    buyer = HttpClient(world.base)
    login(buyer, *BUYER)
    search = ok(buyer.get(f"/api/searches/{driver.current_url.split('id=')[1].split('&')[0]}"))
    returned = {o["id"] for o in search["alternatives"]} | ({search["exactMatch"]["id"]} if search.get("exactMatch") else set())
    assert {v.get_attribute("data-offer-id") for v in votes} <= returned
    assert driver.find_elements(By.CSS_SELECTOR, "#exact-card .result-vote"), "no thumbs on the exact match"
    first, second = votes[0].get_attribute("data-offer-id"), votes[1].get_attribute("data-offer-id")
    up = driver.find_element(By.CSS_SELECTOR, f"#alt-grid .result-vote[data-offer-id='{first}'] [data-vote='up']")
    assert up.get_attribute("aria-pressed") == "false" and up.get_attribute("aria-label")
    _click(driver, up)
    wait(driver).until(lambda d: _attr(d, f"#alt-grid .result-vote[data-offer-id='{first}']", "data-sent") == "1")
    assert driver.find_element(By.CSS_SELECTOR, f"#alt-grid .result-vote[data-offer-id='{first}'] [data-vote='up']").get_attribute("aria-pressed") == "true"
    _click(driver, driver.find_element(By.CSS_SELECTOR, f"#alt-grid .result-vote[data-offer-id='{second}'] [data-vote='down']"))
    wait(driver).until(lambda d: _attr(d, f"#alt-grid .result-vote[data-offer-id='{second}']", "data-sent") == "-1")

    assert _measure(ops, "match-quality", "thumbs_up") == up_before + 1
    assert _measure(ops, "match-quality", "thumbs_down") == down_before + 1

    # A reload shows the buyer's own vote pressed again.
    driver.refresh()
    wait(driver, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, f"#alt-grid .result-vote[data-offer-id='{first}'] [data-vote='up'][aria-pressed='true']"))
    _shots(driver, shoot, "console-results-thumbs", "results with thumbs")

    # Pressing the pressed thumb takes the vote back.
    _click(driver, driver.find_element(By.CSS_SELECTOR, f"#alt-grid .result-vote[data-offer-id='{second}'] [data-vote='down']"))
    wait(driver).until(lambda d: _attr(d, f"#alt-grid .result-vote[data-offer-id='{second}']", "data-sent") == "0")
    assert _measure(ops, "match-quality", "thumbs_down") == down_before


# ---------------------------------------------------------------- analytics

def test_analytics_draws_every_report_and_tables_download_as_csv(world, ops, searches, quotes, make_driver, shoot):
    # Live stock checks at the brands give the supply report its rows.
    for sku in ("AUR-R-00013", "NB-10003"):
        ok(ops.get(f"/api/admin/catalog/{sku}/live"), 200, 404)
    driver = _staff_page(make_driver, world, "/admin-analytics.html")
    wait(driver, 20).until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-report-loaded") == "demand")
    time.sleep(0.3)
    _no_page_errors(driver, "analytics")
    assert "from=" in driver.current_url and "report=demand" in driver.current_url

    for name in ("searches_per_day", "categories", "metals", "price_limits"):
        assert driver.find_elements(By.CSS_SELECTOR, f".report-part[data-table='{name}'] svg.chart-svg"), f"no chart for {name}"
    line = driver.find_element(By.CSS_SELECTOR, ".report-part[data-table='searches_per_day'] svg.chart-svg")
    assert line.get_attribute("role") == "img" and "Searches per day" in line.get_attribute("aria-label")
    assert driver.find_elements(By.CSS_SELECTOR, ".report-part[data-table='searches_per_day'] polyline, .report-part[data-table='searches_per_day'] circle")
    bars = driver.find_elements(By.CSS_SELECTOR, ".report-part[data-table='categories'] svg rect")
    assert bars, "no bars for the categories"
    assert "ring" in _text(driver, ".report-part[data-table='categories']").lower() or \
        "ring" in driver.find_element(By.CSS_SELECTOR, ".report-part[data-table='categories'] svg").get_attribute("textContent").lower()
    smallest = driver.execute_script(SMALLEST_CHART_TEXT)
    assert smallest and smallest >= 11.5, f"chart text at {smallest}px"

    # The CSV link is the same report as CSV, for that table.
    link = driver.find_element(By.CSS_SELECTOR, ".report-part[data-table='searches_per_day'] a.csv-link")
    href = link.get_attribute("href")
    assert "format=csv" in href and "table=searches_per_day" in href, href
    assert re.search(r"[?&]from=\d{4}-\d{2}-\d{2}&", href) and re.search(r"[?&]to=\d{4}-\d{2}-\d{2}&", href), href
    resp = ops.get(href.replace(world.base, ""), headers={"Accept": "text/csv"})
    assert resp.status == 200, resp.describe()
    assert "text/csv" in resp.headers.get("Content-Type", "")
    lines = resp.body.decode().splitlines()
    assert lines[0] == "day,searches" and len(lines) >= 2, lines
    _shots(driver, shoot, "console-analytics-demand", "analytics demand")

    # A category narrows every chart; the address keeps it.
    Select(driver.find_element(By.ID, "filter-category")).select_by_value("necklace")
    wait(driver, 20).until(lambda d: "category=necklace" in d.current_url
                           and d.find_element(By.TAG_NAME, "body").get_attribute("data-report-loaded") == "demand")
    assert "category=necklace" in driver.find_element(By.CSS_SELECTOR, "a.csv-link").get_attribute("href")
    Select(driver.find_element(By.ID, "filter-category")).select_by_value("")

    expected = {"match-quality": ["per_day"], "sales": ["won_lost_by_price_band"], "supply": []}
    for report, charts in expected.items():
        _click(driver, driver.find_element(By.ID, f"tab-{report}"))
        wait(driver, 20).until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-report-loaded") == report)
        time.sleep(0.3)
        _no_page_errors(driver, report)
        assert driver.find_element(By.ID, f"tab-{report}").get_attribute("aria-selected") == "true"
        for name in charts:
            assert driver.find_elements(By.CSS_SELECTOR, f".report-part[data-table='{name}'] svg.chart-svg"), f"{report}: no chart for {name}"
        assert driver.find_elements(By.CSS_SELECTOR, ".report-part a.csv-link"), f"{report}: no CSV link"
        if report == "match-quality":
            thumbs = _text(driver, ".big-number[data-measure='thumbs_up'] .big-value")
            assert thumbs.strip() == str(_measure(ops, "match-quality", "thumbs_up")), thumbs
            assert "%" in _text(driver, ".big-number[data-measure='exact_match_rate'] .big-value")
        if report == "sales":
            assert driver.find_elements(By.CSS_SELECTOR, ".big-number[data-measure='conversion_rate']")
            assert _text(driver, ".big-number[data-measure='quote_requests'] .big-value").strip() == "2"
            bars = [t.get_attribute("textContent") for t in driver.find_elements(By.CSS_SELECTOR, ".report-part[data-table='won_lost_by_price_band'] svg rect title")]
            assert any(t.endswith(": 1 Lost") for t in bars), bars
            assert driver.find_elements(By.CSS_SELECTOR, ".report-part[data-table='revenue_by_source'] table")
        if report == "supply":
            sources = _text(driver, ".report-part[data-table='sources'] table")
            assert "brand aurelia" in sources and "%" in sources, sources
        _shots(driver, shoot, f"console-analytics-{report}", f"analytics {report}")

    # The end before the start is caught on the page.
    fill(driver, "#filter-from", "")
    driver.execute_script("""
      const f = document.getElementById('filter-from'), t = document.getElementById('filter-to');
      f.value = '2026-06-10'; t.value = '2026-06-01'; t.dispatchEvent(new Event('change', {bubbles: true}));""")
    wait(driver).until(lambda d: "before the start" in _text(d, "[data-error-for='to']"))


# ---------------------------------------------------------------- buyers

def test_buyer_found_in_the_list_gets_a_note_and_a_verified_business(world, ops, quotes, make_driver, shoot):
    driver = _staff_page(make_driver, world, "/admin-buyers.html")
    visible(driver, "#buyers-table tbody tr[data-id]")
    total = int(driver.find_element(By.TAG_NAME, "body").get_attribute("data-buyers-shown"))
    assert total >= 1
    fill(driver, "#buyer-search", BUYER[0].split("@")[0].upper())
    wait(driver).until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-buyers-shown") == "1")
    row = driver.find_element(By.CSS_SELECTOR, "#buyers-table tbody tr[data-id]")
    assert BUYER[0] in row.text
    fill(driver, "#buyer-search", "no such company anywhere")
    wait(driver).until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-buyers-shown") == "0")
    assert "No buyer matches" in _text(driver, "#buyers-table")
    fill(driver, "#buyer-search", BUYER[0])
    wait(driver).until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-buyers-shown") == "1")
    _no_page_errors(driver, "buyers")
    driver.find_element(By.ID, "buyer-search").clear()
    driver.execute_script("document.getElementById('buyer-search').dispatchEvent(new Event('input'))")
    _shots(driver, shoot, "console-buyers", "buyers")

    fill(driver, "#buyer-search", BUYER[0])
    wait(driver).until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-buyers-shown") == "1")
    _click(driver, driver.find_element(By.CSS_SELECTOR, "#buyers-table a.buyer-link"))
    wait(driver).until(lambda d: "admin-buyer.html?id=" in d.current_url)
    nav_ready(driver)
    visible(driver, "#buyer-view")
    _no_page_errors(driver, "buyer")
    assert BUYER[0] in _text(driver, "#buyer-profile")
    assert "searches" in _text(driver, "#buyer-counts")
    assert driver.find_elements(By.CSS_SELECTOR, "#buyer-searches tbody tr[data-id]"), "the buyer's searches are not listed"
    links = [a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, "#buyer-quotes tbody a")]
    assert any(f"admin-quote.html?id={q}" in l for q in quotes for l in links), links

    note = "Met at the Vicenza fair; wants rose gold samples."
    fill(driver, "#note-body", note)
    driver.find_element(By.ID, "note-submit").click()
    wait(driver).until(lambda d: note in _text(d, "#buyer-notes"))
    assert OPS[0] in _text(driver, "#buyer-notes")
    assert driver.find_element(By.ID, "note-body").get_attribute("value") == ""

    if driver.find_element(By.TAG_NAME, "body").get_attribute("data-business-verified") == "true":
        _click(driver, driver.find_element(By.CSS_SELECTOR, "[data-action='unverify']"))
        wait(driver).until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-business-verified") == "false")
    _click(driver, driver.find_element(By.CSS_SELECTOR, "[data-action='verify']"))
    wait(driver).until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-business-verified") == "true")
    assert "Business verified" in _text(driver, "#buyer-meta")

    # Suspending asks first; cancelling leaves the account as it was.
    _click(driver, driver.find_element(By.CSS_SELECTOR, "[data-action='suspend']"))
    visible(driver, "[data-action='confirm-suspend']")
    _click(driver, driver.find_element(By.CSS_SELECTOR, "[data-action='cancel']"))
    visible(driver, "[data-action='suspend']")
    assert driver.find_element(By.TAG_NAME, "body").get_attribute("data-suspended") == "false"
    _shots(driver, shoot, "console-buyer", "buyer")

    # Suspended, the buyer cannot sign in; restored, they can.
    _click(driver, driver.find_element(By.CSS_SELECTOR, "[data-action='suspend']"))
    _click(driver, visible(driver, "[data-action='confirm-suspend']"))
    wait(driver).until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-suspended") == "true")
    assert "Suspended" in _text(driver, "#buyer-meta")
    assert HttpClient(world.base).post("/api/auth/login", {"email": BUYER[0], "password": BUYER[1]}).status != 200
    _click(driver, driver.find_element(By.CSS_SELECTOR, "[data-action='restore']"))
    wait(driver).until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-suspended") == "false")
    login(HttpClient(world.base), *BUYER)

    detail = ok(ops.get(f"/api/admin/buyers/{driver.current_url.split('id=')[1]}"))
    assert detail["buyer"]["businessVerified"] is True and any(n["body"] == note for n in detail["notes"])


# ---------------------------------------------------------------- audit

def test_audit_log_reads_as_sentences_with_who_and_when(world, ops, make_driver, shoot):
    buyers = ok(ops.get("/api/admin/buyers?limit=1000"))["buyers"]
    buyer = next(b for b in buyers if b["email"] == BUYER[0])
    ok(ops.request("PATCH", f"/api/admin/buyers/{buyer['id']}", {"note": "Prefers delivery before the 20th."}))

    driver = _staff_page(make_driver, world, "/admin-audit.html")
    visible(driver, "#audit-table tbody tr[data-kind]")
    _no_page_errors(driver, "audit")
    rows = driver.find_elements(By.CSS_SELECTOR, "#audit-table tbody tr[data-kind]")
    first = rows[0].text
    assert OPS[0] in first and buyer["companyName"] in first, first
    assert rows[0].find_element(By.CSS_SELECTOR, "time").get_attribute("datetime")

    fill(driver, "#audit-actor", "someone-else@facet.example")
    driver.find_element(By.ID, "audit-apply").click()
    wait(driver).until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-audit-count") == "0")
    assert "?actor=" in driver.current_url
    fill(driver, "#audit-actor", OPS[0])
    Select(driver.find_element(By.ID, "audit-kind")).select_by_value("buyer")
    driver.find_element(By.ID, "audit-apply").click()
    wait(driver).until(lambda d: int(d.find_element(By.TAG_NAME, "body").get_attribute("data-audit-count") or 0) >= 1)
    kinds = {r.get_attribute("data-kind") for r in driver.find_elements(By.CSS_SELECTOR, "#audit-table tbody tr[data-kind]")}
    assert kinds and all(k.startswith("buyer.") for k in kinds), kinds
    assert "Note" in _text(driver, "#audit-table") or "note" in _text(driver, "#audit-table")

    # Days: today (UTC, both ends included) holds them; a day long past holds none.
    set_days = """
      const f = document.getElementById('audit-from'), t = document.getElementById('audit-to');
      f.value = arguments[0]; t.value = arguments[1]; t.dispatchEvent(new Event('change', {bubbles: true}));"""
    today = time.strftime("%Y-%m-%d", time.gmtime())
    driver.execute_script(set_days, today, today)
    wait(driver).until(lambda d: f"to={today}" in d.current_url)
    wait(driver).until(lambda d: int(d.find_element(By.TAG_NAME, "body").get_attribute("data-audit-count") or 0) >= 1)
    driver.execute_script(set_days, "2020-01-01", "2020-01-01")
    wait(driver).until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-audit-count") == "0")
    driver.execute_script(set_days, today, today)
    wait(driver).until(lambda d: int(d.find_element(By.TAG_NAME, "body").get_attribute("data-audit-count") or 0) >= 1)
    _shots(driver, shoot, "console-audit", "audit")


# ---------------------------------------------------------------- staff

def test_admin_invites_a_colleague_and_ops_are_told_admins_only(world, make_driver, shoot):
    server = Server(base=world.base, data=world.data, port=0, log=world.log)
    colleague = f"ana-{int(time.time())}@facet.example"
    driver = _staff_page(make_driver, world, "/admin-staff.html", who=ADMIN)
    visible(driver, "#staff-table tbody tr[data-id]")
    _no_page_errors(driver, "staff")
    assert driver.find_element(By.ID, "admins-only").get_attribute("hidden") is not None
    me = driver.find_element(By.CSS_SELECTOR, f"#staff-table tr[data-email='{ADMIN[0]}']")
    assert "Your account" in me.text and not me.find_elements(By.CSS_SELECTOR, "select, button")

    before = mail_names(server)
    fill(driver, "#invite-email", colleague)
    fill(driver, "#invite-name", "Ana Ribeiro")
    Select(driver.find_element(By.ID, "invite-role")).select_by_value("ops")
    driver.find_element(By.ID, "invite-submit").click()
    row = visible(driver, f"#staff-table tr[data-email='{colleague}']")
    assert row.get_attribute("data-role") == "ops" and "Ana Ribeiro" in row.text
    assert "Invited" in _text(driver, "#invite-alert")
    mail = wait_for_new_mail(server, before, colleague)
    assert "invited" in str(mail["Subject"]).lower()

    Select(driver.find_element(By.CSS_SELECTOR, f"#staff-table tr[data-email='{colleague}'] select.role-select")).select_by_value("admin")
    wait(driver).until(lambda d: _attr(d, f"#staff-table tr[data-email='{colleague}']", "data-role") == "admin")
    _click(driver, driver.find_element(By.CSS_SELECTOR, f"#staff-table tr[data-email='{colleague}'] [data-action='disable']"))
    wait(driver).until(lambda d: _attr(d, f"#staff-table tr[data-email='{colleague}']", "data-disabled") == "true")
    _shots(driver, shoot, "console-staff", "staff")
    _click(driver, driver.find_element(By.CSS_SELECTOR, f"#staff-table tr[data-email='{colleague}'] [data-action='enable']"))
    wait(driver).until(lambda d: _attr(d, f"#staff-table tr[data-email='{colleague}']", "data-disabled") == "false")

    # The same invitation twice is refused, beside the e-mail field.
    fill(driver, "#invite-email", colleague)
    fill(driver, "#invite-name", "Ana Ribeiro").send_keys(Keys.ENTER)  # the toasts sit over the button now
    wait(driver).until(lambda d: "exists" in _text(d, "#invite-alert"))

    ops_driver = _staff_page(make_driver, world, "/admin-staff.html")
    box = visible(ops_driver, "#admins-only")
    assert "Admins only" in box.text
    assert not ops_driver.find_elements(By.CSS_SELECTOR, "#staff-view:not([hidden])")
    _no_page_errors(ops_driver, "staff as ops", expected=("/api/admin/staff - Failed to load resource: the server responded with a status of 403",))
    _shots(ops_driver, shoot, "console-staff-ops", "staff as ops")
