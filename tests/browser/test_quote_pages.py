"""Quotes and orders from the buyer's side in a real browser against `facet demo`: a quote
requested from the cart (a double click makes one quote), staff answering over plain HTTP while
the buyer's pages follow live (version 1, a message each way, version 2 with its changes marked),
accepting, and the order page following staff through payment, production and shipping to a
confirmed, rated delivery. Screenshots of every page at 1366 and 390 px in .build/screenshots/;
nothing a buyer sees names a brand, the marketplace or a SKU."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import time

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from .demo_world import OPS, running_demo
from .helpers import HttpClient, Server, fill, login, nav_ready, sign_in, verified_buyer, visible, wait
from .test_search_pages import EXACT_PHOTO, LEAKS, SKU, _problems, _start_search, _wait_done

OVERFLOWING = """
const w = document.documentElement.clientWidth;
const out = [...document.querySelectorAll('body *')].filter(el => {
  const r = el.getBoundingClientRect();
  return r.width > 0 && r.right > w + 0.5 && !el.closest('.table-wrap, .visually-hidden, dialog:not([open])');
});
return out.filter(el => !out.some(o => o !== el && el.contains(o))).slice(0, 8)
  .map(el => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}.${[...el.classList].join('.')} right=${Math.round(el.getBoundingClientRect().right)}`);
"""


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    with running_demo(tmp_path_factory.mktemp("facet-quote-pages-data")) as w:
        yield w


@pytest.fixture(scope="module")
def staff(world):
    client = HttpClient(world.base)
    user = login(client, *OPS)
    client.user = user
    return client


def ok(resp, *statuses):
    assert resp.status in (statuses or (200, 201)), resp.describe()
    return resp.json()


def put(client, path, body):
    return client.request("PUT", path, body)


def _fits(driver, where):
    width = driver.execute_script("return document.documentElement.scrollWidth")
    assert width <= driver.execute_script("return window.innerWidth"), \
        f"{where}: {width}px wide: {driver.execute_script(OVERFLOWING)}"


def _white_label(driver, where):
    text = driver.find_element(By.TAG_NAME, "body").text
    for pattern in LEAKS:
        assert not pattern.search(text), f"{where}: page text names {pattern.pattern!r}"
    assert not SKU.search(text), f"{where}: page text shows a brand SKU {SKU.search(text).group(0)}"
    assert not re.search(r"\b(null|undefined|NaN)\b|\[object", text), f"{where}: page text shows a missing value"
    for src in driver.execute_script("return [...document.images].map(i => i.getAttribute('src') || '')"):
        assert not src or src.startswith(("/api/images/", "/api/attachments/", "data:image/")), f"{where}: foreign image {src}"


def _click(driver, el):
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", el)
    el.click()


def _shots(driver, shoot, name, where):
    """The page at 1366 and at 390 px (full height), checked for sideways scrolling and leaks."""
    size = driver.get_window_size()
    for width in (1366, 390):
        driver.set_window_size(width, 900 if width > 400 else 844)
        time.sleep(0.35)
        shoot(driver, f"{name}-{width}", full_page=True)
        _fits(driver, f"{where} at {width}px")
    driver.set_window_size(size["width"], size["height"])
    time.sleep(0.2)
    _white_label(driver, where)


def _mark_page(driver):
    """A marker that a reload would wipe: live updates must arrive without one."""
    driver.execute_script("window.__sameDocument = true")


def _same_page(driver):
    return driver.execute_script("return window.__sameDocument === true")


def _subscribed(driver, topic, timeout=15):
    wait(driver, timeout).until(lambda d: topic in (d.find_element(By.ID, "live-pill").get_attribute("data-subscribed") or "").split())


def _search_offers(driver, world, client):
    _start_search(driver, world.base, EXACT_PHOTO, "ring")
    wait(driver).until(lambda d: "id=" in d.current_url)
    _wait_done(driver, timeout=60)
    sid = driver.current_url.split("id=", 1)[1].split("&", 1)[0]
    results = ok(client.get(f"/api/searches/{sid}/results?limit=12"))["results"]
    inventory = [o for o in results if o.get("source") == "inventory"]
    assert len(inventory) >= 2, [o.get("source") for o in results]
    return inventory


def _staff_send(staff, quote_id, price_of, *, notes):
    """Staff price every requested line (price_of(line id) → minor units) and send the draft as a new
    version."""
    q = ok(staff.get(f"/api/admin/quotes/{quote_id}"))["quote"]
    lines = [{"lineId": line["id"], "unitPrice": price_of(line["id"]), "quantity": line["quantity"], "moq": 5, "deliveryDays": 9}
             for line in q["request"]["lines"]]
    valid = _moment(30)
    saved = ok(put(staff, f"/api/admin/quotes/{quote_id}/draft", {
        "revision": q["draft"]["revision"], "lines": lines, "paymentTerms": {"depositPercent": 30, "balanceDue": "before_shipment"},
        "validUntil": valid, "notes": notes}))["draft"]
    return ok(staff.post(f"/api/admin/quotes/{quote_id}/send", {"revision": saved["revision"]}))


def _moment(offset_days: float) -> str:
    at = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=offset_days)
    return at.replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def _quote_badge(driver) -> int:
    text = driver.execute_script(
        "const el = document.querySelector('#site-header .nav-count[data-count=quotes]');"
        "return el && !el.hidden ? el.textContent.trim() : '';")
    return int(text) if text.isdigit() else 0


def test_quote_from_cart_to_a_rated_delivery(world, staff, make_driver, shoot, tmp_path):
    driver = make_driver(1366, 900)
    server = Server(base=world.base, data=world.data, port=0, log=world.log)
    email, password = verified_buyer(server)
    sign_in(driver, world.base, email, password, "/app.html")
    buyer = HttpClient(world.base)
    login(buyer, email, password)
    nav = [a.get_attribute("href").rsplit("/", 1)[1] for a in driver.find_elements(By.CSS_SELECTOR, "#site-header nav a")]
    assert "quotes.html" in nav and "orders.html" in nav, nav

    # The product page's "Request quote" opens the form for that one design at its quantity.
    offers = _search_offers(driver, world, buyer)
    first, second = offers[0], offers[1]
    driver.get(f"{world.base}/offer.html?id={first['id']}")
    nav_ready(driver)
    _click(driver, visible(driver, "#request-quote"))
    wait(driver).until(lambda d: "/quote-request.html?offer=" in d.current_url)
    nav_ready(driver)
    visible(driver, "#quote-form")
    single = driver.find_elements(By.CSS_SELECTOR, ".request-line")
    assert len(single) == 1 and single[0].get_attribute("data-offer-id") == first["id"]
    assert single[0].find_element(By.CSS_SELECTOR, "input.qty-input").get_attribute("value") == str(first["moq"])

    # From the cart: two designs, both chosen; one note, the customisation, delivery and urgency.
    for offer, qty in ((first, first["moq"] + 5), (second, second["moq"])):
        ok(buyer.post("/api/cart/lines", {"offerId": offer["id"], "quantity": qty}), 200, 201)
    driver.get(world.base + "/cart.html")
    nav_ready(driver)
    wait(driver).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, ".cart-line")) == 2)
    _click(driver, driver.find_element(By.ID, "cart-quote"))
    wait(driver).until(lambda d: "/quote-request.html" in d.current_url)
    nav_ready(driver)
    form = visible(driver, "#quote-form")
    lines = driver.find_elements(By.CSS_SELECTOR, ".request-line")
    assert len(lines) == 2 and all(l.find_element(By.CSS_SELECTOR, "[data-include]").is_selected() for l in lines)
    qty = next(l for l in lines if l.get_attribute("data-offer-id") == first["id"]).find_element(By.CSS_SELECTOR, "input.qty-input")
    assert qty.get_attribute("value") == str(first["moq"] + 5)
    lines[0].find_element(By.CSS_SELECTOR, "textarea").send_keys("Rhodium plated, please")
    fill(driver, "#custom-size", "Sizes 6 to 8")
    fill(driver, "#custom-packaging", "Individual boxes")
    date = (dt.date.today() + dt.timedelta(days=60))
    driver.execute_script("const i = document.getElementById('delivery-date'); i.value = arguments[0];", date.isoformat())
    Select(driver.find_element(By.ID, "country")).select_by_value("DE")
    Select(driver.find_element(By.ID, "use-case")).select_by_visible_text("Resale in our shops")
    _click(driver, driver.find_element(By.CSS_SELECTOR, "input[name='urgency'][value='urgent']"))
    _shots(driver, shoot, "quote-request", "request form")

    # A double click sends one request.
    submit = driver.find_element(By.ID, "quote-submit")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", submit)
    ActionChains(driver).double_click(submit).perform()
    done = visible(driver, "#quote-done h2")
    assert done.text == "Quote request submitted"
    assert re.search(r"We will answer by .+", driver.find_element(By.ID, "quote-done").text)
    number = driver.find_element(By.ID, "done-number").text
    time.sleep(0.5)
    listed = ok(buyer.get("/api/quotes"))["quotes"]
    assert len(listed) == 1 and listed[0]["number"] == number, listed
    quote_id = listed[0]["id"]
    quote = ok(buyer.get(f"/api/quotes/{quote_id}"))["quote"]
    assert quote["urgency"] == "urgent" and quote["request"]["country"] == "DE"
    assert quote["request"]["preferredDeliveryDate"] == date.isoformat()
    assert {l["offerId"] for l in quote["request"]["lines"]} == {first["id"], second["id"]}
    assert any(l.get("note") == "Rhodium plated, please" for l in quote["request"]["lines"])
    shoot(driver, "quote-request-done-1366")

    # The quote page before any version; then staff answer and version 1 arrives live.
    _click(driver, driver.find_element(By.ID, "done-link"))
    wait(driver).until(lambda d: f"/quote.html?id={quote_id}" in d.current_url)
    nav_ready(driver)
    visible(driver, "#no-version")
    assert "Waiting for Facet" in driver.find_element(By.ID, "quote-headline").text
    _subscribed(driver, f"quote:{quote_id}")
    _mark_page(driver)
    ok(staff.post(f"/api/admin/quotes/{quote_id}/assign", {"staffId": staff.user["id"]}))
    wait(driver).until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-status") == "in_review")
    _staff_send(staff, quote_id, lambda lid: 2500, notes="Prices include the plating.")
    visible(driver, "#current-version-table")
    assert _same_page(driver), "the page reloaded"
    assert "Your move" in driver.find_element(By.ID, "quote-headline").text
    assert "$25.00" in driver.find_element(By.ID, "current-version-table").text
    visible(driver, "#accept-quote")

    # A message with a photo from the buyer; a reply from staff arrives live.
    photo = tmp_path / "ring-photo.jpg"
    shutil.copy(EXACT_PHOTO, photo)
    driver.find_element(By.ID, "thread-files").send_keys(str(photo))
    wait(driver).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".att-chip"))
    fill(driver, "#thread-body", "Could you do the first design at $22?")
    _click(driver, driver.find_element(By.ID, "thread-send"))
    mine = visible(driver, "#thread-list .msg-mine")
    assert "$22" in mine.text and mine.find_elements(By.CSS_SELECTOR, ".att img")
    assert driver.find_element(By.ID, "thread-body").get_attribute("value") == ""
    ok(staff.post(f"/api/quotes/{quote_id}/messages", {"body": "We can look at that. Please request the change."}), 201)
    theirs = visible(driver, "#thread-list .msg-theirs")
    assert "request the change" in theirs.text and "Facet sales" in theirs.text
    assert _same_page(driver)

    # Request changes in the form, then version 2 arrives with its changes marked.
    _click(driver, driver.find_element(By.ID, "request-changes"))
    visible(driver, "#changes-dialog[open]")
    line_id = driver.find_element(By.CSS_SELECTOR, "#changes-lines .cr-line").get_attribute("data-line-id")
    fill(driver, f"#tp-{line_id}", "22")
    fill(driver, "#changes-message", "Target $22 for the first design, please.")
    driver.find_element(By.ID, "changes-dialog-submit").click()
    wait(driver).until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-status") == "changes_requested")
    asked = ok(buyer.get(f"/api/quotes/{quote_id}"))["quote"]["changeRequests"]
    assert asked and asked[-1]["lines"][0]["targetUnitPrice"]["amount"] == 2200, asked
    _staff_send(staff, quote_id, lambda lid: 2200 if lid == line_id else 2500, notes="Revised as asked.")
    wait(driver).until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-current-version") == "2")
    visible(driver, "#current-version-table td.is-changed")
    assert "was $25.00" in driver.find_element(By.ID, "current-version-table").text
    assert len(driver.find_elements(By.CSS_SELECTOR, "#version-tabs [role='tab']")) == 2
    assert _same_page(driver)
    _shots(driver, shoot, "quote", "quote page")
    driver.find_element(By.ID, "version-tab-1").click()
    visible(driver, ".qv[data-version='1']")
    driver.find_element(By.ID, "version-tab-2").click()

    # The quotes list, with the unread badge following a staff message live.
    driver.get(world.base + "/quotes.html")
    nav_ready(driver)
    visible(driver, f".q-row[data-quote-id='{quote_id}']")
    _subscribed(driver, f"buyer:{buyer.get('/api/me').json()['user']['id']}")
    assert _quote_badge(driver) == 0
    ok(staff.post(f"/api/quotes/{quote_id}/messages", {"body": "Version 2 is ready for you."}), 201)
    wait(driver).until(lambda d: _quote_badge(d) == 1)
    wait(driver).until(lambda d: d.find_elements(By.CSS_SELECTOR, f".q-row[data-quote-id='{quote_id}'] .q-unread"))
    row = driver.find_element(By.CSS_SELECTOR, f".q-row[data-quote-id='{quote_id}']")
    assert number in row.text and "Your move" in row.text and "$" in row.text
    _shots(driver, shoot, "quotes", "quotes list")

    # Accept version 2: the order page.
    _click(driver, driver.find_element(By.CSS_SELECTOR, f".q-row[data-quote-id='{quote_id}'] a"))
    nav_ready(driver)
    wait(driver).until(lambda d: _quote_badge(d) == 0)
    _click(driver, visible(driver, "#accept-quote"))
    visible(driver, "#accept-dialog[open]")
    driver.find_element(By.ID, "accept-dialog-submit").click()
    wait(driver).until(lambda d: "/order.html?id=" in d.current_url)
    nav_ready(driver)
    order_id = driver.current_url.split("id=", 1)[1]
    order = ok(buyer.get(f"/api/orders/{order_id}"))["order"]
    assert order["quoteId"] == quote_id and order["quoteVersion"] == 2
    assert order["payment"]["reference"] in driver.find_element(By.ID, "pay-reference").text
    _subscribed(driver, f"order:{order_id}")
    _mark_page(driver)

    # Staff move the order; every step shows live.
    deposit = order["payment"]["depositDue"]["amount"]
    now = _moment(-0.01)
    ok(staff.post(f"/api/admin/orders/{order_id}/payments", {"amount": deposit, "reference": order["payment"]["reference"], "receivedAt": now}), 201)
    wait(driver).until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-status") == "payment_verified")
    ok(staff.post(f"/api/admin/orders/{order_id}/status", {"status": "in_production", "note": "Casting this week."}))
    wait(driver).until(lambda d: "Casting this week." in d.find_element(By.ID, "timeline-list").text)
    ok(staff.post(f"/api/admin/orders/{order_id}/status", {"status": "quality_check"}))
    wait(driver).until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-status") == "quality_check")
    balance = ok(staff.get(f"/api/admin/orders/{order_id}"))["order"]["payment"]["outstanding"]["amount"]
    if balance:
        ok(staff.post(f"/api/admin/orders/{order_id}/payments", {"amount": balance, "reference": order["payment"]["reference"], "receivedAt": now}), 201)
    ok(staff.post(f"/api/admin/orders/{order_id}/status", {"status": "shipped", "carrier": "DHL Express", "trackingNumber": "JD014600003",
                                                           "trackingUrl": "https://www.dhl.com/track?id=JD014600003"}))
    receipt = visible(driver, "#confirm-receipt")
    assert _same_page(driver), "the page reloaded"
    assert driver.find_elements(By.CSS_SELECTOR, "#shipment-list a.track-link[href^='https://www.dhl.com/']")
    _shots(driver, shoot, "order", "order page")

    # Confirm receipt, then rate it: the order closes.
    _click(driver, receipt)
    visible(driver, "#receipt-dialog[open]")
    driver.find_element(By.ID, "receipt-dialog-submit").click()
    visible(driver, "#feedback-form")
    _click(driver, driver.find_element(By.CSS_SELECTOR, "label[for='rate-all-5']"))
    rated_line = order["lines"][0]["id"]
    _click(driver, driver.find_element(By.CSS_SELECTOR, f"label[for='rate-{rated_line}-4']"))
    fill(driver, "#feedback-comment", "Lovely finish.")
    _click(driver, driver.find_element(By.ID, "feedback-submit"))
    visible(driver, "#feedback-done")
    closed = ok(buyer.get(f"/api/orders/{order_id}"))["order"]
    assert closed["feedback"]["rating"] == 5 and closed["status"] in ("closed", "delivered"), closed["status"]
    assert next(l for l in closed["lines"] if l["id"] == rated_line)["rating"] == 4
    visible(driver, f"#order-table tr[data-line-id='{rated_line}'] .stars-static")
    shoot(driver, "order-rated-1366", full_page=True)

    # Report an issue with a photo.
    _click(driver, driver.find_element(By.ID, "report-issue"))
    visible(driver, "#issue-dialog[open]")
    Select(driver.find_element(By.ID, "issue-kind")).select_by_value("damaged")
    fill(driver, "#issue-description", "One clasp arrived bent.")
    driver.find_element(By.CSS_SELECTOR, "#issue-lines input").click()
    driver.find_element(By.ID, "issue-files").send_keys(str(photo))
    wait(driver).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#issue-dialog .att-chip"))
    driver.find_element(By.ID, "issue-dialog-submit").click()
    issue = visible(driver, "#issue-list .issue")
    assert "One clasp arrived bent." in issue.text and issue.find_elements(By.CSS_SELECTOR, ".att img")

    # The orders list.
    driver.get(world.base + "/orders.html")
    nav_ready(driver)
    visible(driver, f".q-row[data-order-id='{order_id}']")
    _shots(driver, shoot, "orders", "orders list")
    assert not _problems(driver), _problems(driver)


def test_request_errors_land_beside_their_field(world, make_driver, shoot):
    """Nothing chosen is caught on the page; a server error is shown next to the field it names."""
    driver = make_driver(1366, 900)
    server = Server(base=world.base, data=world.data, port=0, log=world.log)
    email, password = verified_buyer(server)
    sign_in(driver, world.base, email, password, "/app.html")
    buyer = HttpClient(world.base)
    login(buyer, email, password)
    offers = _search_offers(driver, world, buyer)
    ok(buyer.post("/api/cart/lines", {"offerId": offers[0]["id"], "quantity": offers[0]["moq"]}), 200, 201)
    driver.get(world.base + "/quote-request.html")
    nav_ready(driver)
    visible(driver, "#quote-form")
    _click(driver, driver.find_element(By.CSS_SELECTOR, "[data-include]"))
    _click(driver, driver.find_element(By.ID, "quote-submit"))
    assert "at least one design" in visible(driver, "[data-error-for='lines']").text
    _click(driver, driver.find_element(By.CSS_SELECTOR, "[data-include]"))
    # A quantity the server refuses (far past any limit) comes back beside that design's quantity.
    fill(driver, ".request-line input.qty-input", "9999999")
    Select(driver.find_element(By.ID, "country")).select_by_value("DE")
    _click(driver, driver.find_element(By.ID, "quote-submit"))
    wait(driver, 10).until(lambda d: d.find_element(By.ID, "quote-alert").is_displayed() or d.find_element(By.ID, "quote-done").is_displayed())
    if driver.find_element(By.ID, "quote-alert").is_displayed():
        qty = driver.find_element(By.CSS_SELECTOR, ".request-line input.qty-input")
        slot = driver.find_element(By.CSS_SELECTOR, ".request-line [data-error-for$='-quantity']")
        assert qty.get_attribute("aria-invalid") == "true" and slot.text, driver.find_element(By.ID, "quote-alert").text
        shoot(driver, "quote-request-error-1366", full_page=True)
    assert not [p for p in _problems(driver) if "[csp]" in p], _problems(driver)


def test_withdraw_decline_and_order_again(world, staff, make_driver, shoot):
    """Withdrawing a request and declining a quote from their pages, each behind a confirmation;
    a closed quote can be ordered again into the cart."""
    driver = make_driver(1366, 900)
    server = Server(base=world.base, data=world.data, port=0, log=world.log)
    email, password = verified_buyer(server)
    sign_in(driver, world.base, email, password, "/app.html")
    buyer = HttpClient(world.base)
    login(buyer, email, password)
    offers = _search_offers(driver, world, buyer)
    made = []
    for offer in offers[:2]:
        body = {"lines": [{"offerId": offer["id"], "quantity": offer["moq"]}], "urgency": "standard", "country": "US"}
        made.append(ok(buyer.request("POST", "/api/quotes", body, headers={"Idempotency-Key": f"browser-{offer['id']}-{email}"}), 201)["quote"])

    # Withdraw the first while Facet is still on it.
    driver.get(f"{world.base}/quote.html?id={made[0]['id']}")
    nav_ready(driver)
    visible(driver, "#no-version")
    _click(driver, driver.find_element(By.ID, "withdraw-quote"))
    visible(driver, "#withdraw-dialog[open]")
    driver.find_element(By.ID, "withdraw-dialog-submit").click()
    wait(driver).until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-status") == "withdrawn")
    assert "Withdrawn" in driver.find_element(By.ID, "quote-headline").text
    before = len(ok(buyer.get("/api/cart"))["lines"])
    _click(driver, visible(driver, "#reorder-quote"))
    wait(driver).until(lambda d: any("Added to your cart" in t.text for t in d.find_elements(By.CSS_SELECTOR, ".toast")))
    assert len(ok(buyer.get("/api/cart"))["lines"]) >= max(before, 1)

    # Decline the second once it is quoted, with a reason.
    ok(staff.post(f"/api/admin/quotes/{made[1]['id']}/assign", {"staffId": staff.user["id"]}))
    _staff_send(staff, made[1]["id"], lambda lid: 4100, notes="")
    driver.get(f"{world.base}/quote.html?id={made[1]['id']}")
    nav_ready(driver)
    _click(driver, visible(driver, "#decline-quote"))
    visible(driver, "#decline-dialog[open]")
    fill(driver, "#decline-reason", "We found it closer to home.")
    driver.find_element(By.ID, "decline-dialog-submit").click()
    wait(driver).until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-status") == "declined")
    assert not driver.find_elements(By.ID, "accept-quote")
    shoot(driver, "quote-declined-1366", full_page=True)
    _white_label(driver, "declined quote")
    driver.get(world.base + "/quotes.html?tab=all")
    nav_ready(driver)
    for q in made:
        visible(driver, f".q-row[data-quote-id='{q['id']}']")
    assert not _problems(driver), _problems(driver)
