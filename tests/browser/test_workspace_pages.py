"""The buyer's workspace in a real browser against `facet demo`: add from the results to the cart,
change quantities (MOQ, tiers), two tabs in step, save for later and back, compare three,
filters and "show more" mirrored in the address, saved search and its live notification after a
brand adds a matching product, the offer page's actions and photos, searches, the home page and
the landing page's recorded demo — at 1366 px and 390 px (never wider than the window)."""

from __future__ import annotations

import json
import re
import time
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from .conftest import REPO
from .demo_world import running_demo
from .helpers import HttpClient, Server, fill, login, nav_ready, sign_in, verified_buyer, visible, wait
from .test_search_pages import (EXACT_PHOTO, LEAKS, SKU, _assert_white_label, _despite_late_designs, _marketplace_only_listing,
                                _problems, _start_search, _wait_done)

WIDTHS = [1366, 390]
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
    with running_demo(tmp_path_factory.mktemp("facet-workspace-data")) as w:
        yield w


def _fresh_buyer(world, driver):
    """A new verified buyer (an empty cart and wishlist), signed in."""
    server = Server(base=world.base, data=world.data, port=0, log=world.log)
    email, password = verified_buyer(server)
    sign_in(driver, world.base, email, password, "/app.html")
    client = HttpClient(world.base)
    login(client, email, password)
    return client


def _cart_count(driver) -> int:
    text = driver.execute_script(
        "const el = document.querySelector('#site-header .nav-count[data-count=cart]');"
        "return el && !el.hidden ? el.textContent.trim() : '';")
    return int(text) if text.isdigit() else 0


def _wait_count(driver, n, timeout=15):
    wait(driver, timeout).until(lambda d: _cart_count(d) == n)


def _fits(driver, where):
    width = driver.execute_script("return document.documentElement.scrollWidth")
    assert width <= driver.execute_script("return window.innerWidth"), \
        f"{where}: {width}px wide: {driver.execute_script(OVERFLOWING)}"


def _search(driver, world, photo=EXACT_PHOTO, category="ring"):
    _start_search(driver, world.base, photo, category)
    wait(driver).until(lambda d: "id=" in d.current_url)
    _wait_done(driver, timeout=60)
    wait(driver, 20).until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-results-loading") != "true")
    return parse_qs(urlparse(driver.current_url).query)["id"][0]


def _cards(driver):
    return driver.find_elements(By.CSS_SELECTOR, "#alt-grid .offer-card")


def _click(driver, el):
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", el)
    el.click()


def _sources_shown(driver) -> list[str]:
    return _despite_late_designs(lambda: [c.get_attribute("data-source") for c in _cards(driver)])


def _add_first_to_cart(driver, source: str) -> None:
    def add():
        card = next(c for c in _cards(driver) if c.get_attribute("data-source") == source)
        _click(driver, card.find_element(By.CSS_SELECTOR, "[data-action='add-to-cart']"))
    _despite_late_designs(add)


# ---------------------------------------------------------------- cart

@pytest.mark.parametrize("width", WIDTHS)
def test_results_to_cart_quantity_two_tabs_and_wishlist(world, make_driver, shoot, width):
    driver = make_driver(width, 900)
    client = _fresh_buyer(world, driver)
    _search(driver, world)

    # From the hero (the exact match, with its quantity field) and from the grid (adds the MOQ).
    exact_id = visible(driver, "#exact-card").get_attribute("data-offer-id")
    _click(driver, driver.find_element(By.CSS_SELECTOR, "#exact-card [data-action='add-to-cart']"))
    _wait_count(driver, 1)
    first = _cards(driver)[0]
    _click(driver, first.find_element(By.CSS_SELECTOR, "[data-action='add-to-cart']"))
    _wait_count(driver, 2)
    # Adding the same design again raises its quantity: still two lines.
    _click(driver, _cards(driver)[0].find_element(By.CSS_SELECTOR, "[data-action='add-to-cart']"))
    wait(driver).until(lambda d: len(client.get("/api/cart").json()["lines"]) == 2 and
                       max(l["quantity"] for l in client.get("/api/cart").json()["lines"]) >= 2)
    shoot(driver, f"workspace-results-actions-{width}", full_page=True)
    _fits(driver, "results with actions")

    driver.get(world.base + "/cart.html")
    nav_ready(driver)
    lines = wait(driver).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".cart-line") if len(d.find_elements(By.CSS_SELECTOR, ".cart-line")) == 2 else None)
    assert driver.find_elements(By.CSS_SELECTOR, ".cart-group[data-category='ring']"), "lines are not grouped by category"
    summary = driver.find_element(By.ID, "summary-list").text
    assert "Designs" in summary and "2" in summary, summary
    line = driver.find_element(By.CSS_SELECTOR, f".cart-line[data-offer-id='{exact_id}']")
    line_id = line.get_attribute("data-line-id")
    moq = client.get("/api/cart").json()["lines"]
    moq = next(l for l in moq if l["id"] == line_id)["moq"]

    # Below the MOQ: the message and "Set to MOQ".
    qty = line.find_element(By.CSS_SELECTOR, "input.qty-input")
    if moq > 1:
        qty.clear()
        qty.send_keys("1")
        qty.send_keys("\n")
        set_moq = wait(driver).until(lambda d: d.find_element(By.CSS_SELECTOR, f".cart-line[data-line-id='{line_id}'] [data-action='set-moq']"))
        assert f"minimum order of {moq}" in driver.find_element(By.CSS_SELECTOR, f".cart-line[data-line-id='{line_id}'] .moq-warning").text
        shoot(driver, f"workspace-cart-below-moq-{width}", full_page=True)
        _click(driver, set_moq)
        wait(driver).until(lambda d: d.find_element(By.CSS_SELECTOR, f".cart-line[data-line-id='{line_id}']").get_attribute("data-quantity") == str(moq))

    # A second tab of the same cart follows every change.
    main_tab = driver.current_window_handle
    driver.switch_to.new_window("tab")
    driver.get(world.base + "/cart.html")
    nav_ready(driver)
    wait(driver).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, ".cart-line")) == 2)
    wait(driver).until(lambda d: "buyer:" in (d.find_element(By.ID, "live-pill").get_attribute("data-subscribed") or ""))
    other_tab = driver.current_window_handle
    driver.switch_to.window(main_tab)
    new_qty = moq + 7
    qty = driver.find_element(By.CSS_SELECTOR, f".cart-line[data-line-id='{line_id}'] input.qty-input")
    qty.clear()
    qty.send_keys(str(new_qty))
    qty.send_keys("\n")
    wait(driver).until(lambda d: d.find_element(By.CSS_SELECTOR, f".cart-line[data-line-id='{line_id}']").get_attribute("data-quantity") == str(new_qty))
    server_line = next(l for l in client.get("/api/cart").json()["lines"] if l["id"] == line_id)
    assert server_line["quantity"] == new_qty
    if server_line.get("lineTotal"):
        total = driver.find_element(By.CSS_SELECTOR, f".cart-line[data-line-id='{line_id}'] .line-total").text
        cents = server_line["lineTotal"]["amount"]
        assert total.replace(",", "").endswith(f"{cents // 100}.{cents % 100:02d}"), (total, server_line["lineTotal"])
    driver.switch_to.window(other_tab)
    wait(driver).until(lambda d: d.find_element(By.CSS_SELECTOR, f".cart-line[data-line-id='{line_id}']").get_attribute("data-quantity") == str(new_qty))
    driver.close()
    driver.switch_to.window(main_tab)

    # A note kept with the line.
    line = driver.find_element(By.CSS_SELECTOR, f".cart-line[data-line-id='{line_id}']")
    _click(driver, line.find_element(By.CSS_SELECTOR, ".line-note summary"))
    note = line.find_element(By.CSS_SELECTOR, "textarea")
    note.send_keys("Size 7, rhodium plated")
    driver.find_element(By.ID, "summary-title").click()
    wait(driver).until(lambda d: any(l.get("note") == "Size 7, rhodium plated" for l in client.get("/api/cart").json()["lines"]))
    shoot(driver, f"workspace-cart-{width}", full_page=True)
    _fits(driver, "cart")
    _assert_white_label(driver, "cart")

    # Save for later → wishlist; move to cart → back.
    _click(driver, driver.find_element(By.CSS_SELECTOR, f".cart-line[data-line-id='{line_id}'] [data-action='save-for-later']"))
    wait(driver).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, ".cart-line")) == 1)
    _wait_count(driver, 1)
    driver.find_element(By.ID, "tab-wishlist").click()
    item = visible(driver, f".wish-item[data-offer-id='{exact_id}']")
    assert "tab=wishlist" in driver.current_url
    shoot(driver, f"workspace-wishlist-{width}", full_page=True)
    _fits(driver, "wishlist")
    time.sleep(0.5)  # the wishlist settles (this tab's own change comes back live too)
    _click(driver, driver.find_element(By.CSS_SELECTOR, f".wish-item[data-offer-id='{exact_id}'] [data-action='move-to-cart']"))
    wait(driver).until(lambda d: not d.find_elements(By.CSS_SELECTOR, ".wish-item"))
    _wait_count(driver, 2)
    driver.find_element(By.ID, "tab-cart").click()
    wait(driver).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, ".cart-line")) == 2)

    # wishlist.html opens the wishlist tab.
    driver.get(world.base + "/wishlist.html")
    wait(driver).until(lambda d: "/cart.html" in d.current_url and "tab=wishlist" in d.current_url)
    nav_ready(driver)
    assert driver.find_element(By.ID, "tab-wishlist").get_attribute("aria-selected") == "true"
    assert not _problems(driver), _problems(driver)


# ---------------------------------------------------------------- compare

@pytest.mark.parametrize("width", WIDTHS)
def test_compare_three_from_results(world, make_driver, shoot, width):
    driver = make_driver(width, 900)
    _fresh_buyer(world, driver)
    search_id = _search(driver, world)
    driver.execute_script("localStorage.removeItem('facet.compare')")
    driver.refresh()
    nav_ready(driver)
    wait(driver).until(lambda d: len(_cards(d)) >= 3)
    picked = []
    for card in _cards(driver)[:3]:
        box = card.find_element(By.CSS_SELECTOR, "input[data-action='compare']")
        _click(driver, box)
        picked.append(card.get_attribute("data-offer-id"))
    tray = visible(driver, "#compare-tray")
    assert "3 of 4" in tray.text, tray.text
    shoot(driver, f"workspace-compare-tray-{width}")
    _click(driver, driver.find_element(By.ID, "compare-go"))
    wait(driver).until(lambda d: "/compare.html" in d.current_url)
    nav_ready(driver)
    q = parse_qs(urlparse(driver.current_url).query)
    assert q["offers"][0].split(",") == picked and q["search"][0] == search_id
    cols = driver.find_elements(By.CSS_SELECTOR, "#compare-grid thead th.cmp-col")
    assert [c.get_attribute("data-offer-id") for c in cols] == picked
    rows = {r.get_attribute("data-row"): r for r in driver.find_elements(By.CSS_SELECTOR, "#compare-grid tbody tr")}
    for key in ("similarity", "price", "moq", "delivery", "availability", "source", "metal", "stones", "style"):
        assert key in rows, f"no {key} row: {list(rows)}"
    assert re.search(r"\d+% match|Same |Similar design", rows["similarity"].text), rows["similarity"].text
    differing = [k for k, r in rows.items() if r.get_attribute("data-differs") == "true"]
    assert differing, "no row is marked as differing"
    shoot(driver, f"workspace-compare-{width}", full_page=True)
    _fits(driver, "compare")
    _assert_white_label(driver, "compare")

    # Only the differences; then add one to the cart from here.
    _click(driver, driver.find_element(By.ID, "only-differences"))
    hidden = [r for r in driver.find_elements(By.CSS_SELECTOR, "#compare-grid tbody tr.row-same") if r.is_displayed()]
    assert not hidden
    _click(driver, cols[1].find_element(By.CSS_SELECTOR, "[data-action='add-to-cart']"))
    _wait_count(driver, 1)
    assert not _problems(driver), _problems(driver)


# ---------------------------------------------------------------- filters and paging

def _card_prices(driver):
    out = []
    for card in _cards(driver):
        m = re.search(r"\$([\d,]+(?:\.\d\d)?)", card.find_element(By.CSS_SELECTOR, ".offer-price").text)
        out.append(float(m.group(1).replace(",", "")) if m else None)
    return out


@pytest.mark.parametrize("width", WIDTHS)
def test_filters_and_show_more(world, make_driver, shoot, width):
    driver = make_driver(width, 900)
    client = _fresh_buyer(world, driver)
    search_id = _search(driver, world)
    first = len(_cards(driver))
    total = client.get(f"/api/searches/{search_id}/results?limit=1").json()["total"]
    assert 5 <= first <= 8, first
    if total > first:
        more = visible(driver, "#show-more")
        assert str(total - first) in more.text, more.text
        _click(driver, more)
        wait(driver).until(lambda d: len(_cards(d)) > first)
        ids = [c.get_attribute("data-offer-id") for c in _cards(driver)]
        assert len(ids) == len(set(ids)), "a design shown twice after show more"
    count_text = driver.find_element(By.ID, "alt-count").text
    assert "from our inventory" in count_text or "sourced to order" in count_text, count_text
    shoot(driver, f"workspace-show-more-{width}", full_page=True)

    # Each filter is applied by the server and written into the address.
    Select(driver.find_element(By.CSS_SELECTOR, "#filters select[name='source']")).select_by_value("inventory")
    wait(driver).until(lambda d: "source=inventory" in d.current_url)
    wait(driver).until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-results-loading") == "false")
    assert all(c.get_attribute("data-source") == "inventory" for c in _cards(driver))
    counts = client.get(f"/api/searches/{search_id}/results?limit=1&source=inventory").json()
    prices = [p for p in _card_prices(driver) if p is not None]
    if len(prices) >= 2:
        cap = sorted(prices)[len(prices) // 2]
        fill(driver, "#filters input[name='price']", f"{cap:.2f}")
        wait(driver).until(lambda d: "price=" in d.current_url)
        wait(driver).until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-results-loading") == "false")
        time.sleep(0.4)
        wait(driver).until(lambda d: all(p is None or p <= cap + 0.001 for p in _card_prices(d)))
    fill(driver, "#filters input[name='days']", "60")
    Select(driver.find_element(By.CSS_SELECTOR, "#filters select[name='sort']")).select_by_value("price")
    wait(driver).until(lambda d: "sort=price" in d.current_url and "days=60" in d.current_url)
    wait(driver).until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-results-loading") == "false")
    time.sleep(0.4)
    prices = [p for p in _card_prices(driver) if p is not None]
    assert prices == sorted(prices), prices
    url = driver.current_url
    shoot(driver, f"workspace-filters-{width}", full_page=True)
    _fits(driver, "filtered results")

    # The filtered view reloads as it was.
    driver.get(url)
    _wait_done(driver)
    wait(driver).until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-results-loading") == "false")
    assert driver.find_element(By.CSS_SELECTOR, "#filters select[name='source']").get_attribute("value") == "inventory"
    assert driver.find_element(By.CSS_SELECTOR, "#filters input[name='days']").get_attribute("value") == "60"
    assert all(c.get_attribute("data-source") == "inventory" for c in _cards(driver))
    assert counts["counts"]["inventory"] >= 1, counts
    assert not _problems(driver), _problems(driver)


# ---------------------------------------------------------------- saved search and its notification

def _sim_change(world, body):
    req = urllib.request.Request(world.simulator_url("aurelia") + "/_control/change", data=json.dumps(body).encode(),
                                 method="POST", headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=15) as resp:
        return json.loads(resp.read())


def test_saved_search_search_again_and_watch_notification(world, make_driver, shoot):
    driver = make_driver(1366, 900)
    client = _fresh_buyer(world, driver)
    search_id = _search(driver, world)
    _click(driver, driver.find_element(By.ID, "save-search"))
    dialog = visible(driver, "#save-dialog")
    fill(driver, "#save-name", "Solitaire rings to watch")
    assert driver.find_element(By.ID, "save-watch").is_selected()
    Select(driver.find_element(By.ID, "save-similarity")).select_by_value("70")
    shoot(driver, "workspace-save-search-1366")
    driver.find_element(By.ID, "save-submit").click()
    wait(driver).until(lambda d: "Saved" in d.find_element(By.ID, "save-search").text)
    saved = client.get("/api/saved-searches").json()["savedSearches"]
    assert [s["name"] for s in saved] == ["Solitaire rings to watch"] and saved[0]["watch"] and saved[0]["minSimilarity"] == 70
    assert not dialog.is_displayed()

    # Searches: the saved one and the history, then a brand adds a matching product.
    driver.get(world.base + "/history.html")
    nav_ready(driver)
    row = visible(driver, f".saved-row[data-saved-id='{saved[0]['id']}']")
    assert "Solitaire rings to watch" in row.text
    visible(driver, f".search-row[data-search-id='{search_id}']")
    # History filters: by category and by date, mirrored in the address.
    Select(driver.find_element(By.ID, "history-category")).select_by_value("necklace")
    wait(driver).until(lambda d: "category=necklace" in d.current_url and not d.find_elements(By.CSS_SELECTOR, ".search-row"))
    assert driver.find_element(By.ID, "search-rows-empty").is_displayed()
    Select(driver.find_element(By.ID, "history-category")).select_by_value("ring")
    visible(driver, f".search-row[data-search-id='{search_id}']")
    driver.execute_script("const i = document.getElementById('history-from'); i.value = '2099-01-01';"
                          "i.dispatchEvent(new Event('change', {bubbles: true}));")
    wait(driver).until(lambda d: not d.find_elements(By.CSS_SELECTOR, ".search-row"))
    assert not driver.find_element(By.ID, "history-error").text
    driver.find_element(By.CSS_SELECTOR, "#history-filters button[type='reset']").click()
    visible(driver, f".search-row[data-search-id='{search_id}']")
    wait(driver).until(lambda d: "buyer:" in (d.find_element(By.ID, "live-pill").get_attribute("data-subscribed") or ""))
    exact_sku = EXACT_PHOTO.stem.rsplit("-", 1)[0]
    _sim_change(world, {"action": "create", "sku": exact_sku, "title": "Watch test ring"})
    toast = wait(driver, 90).until(lambda d: next((t for t in d.find_elements(By.CSS_SELECTOR, ".toast")
                                                    if "New match" in t.text), None))
    assert "Solitaire rings to watch" in toast.text, toast.text
    wait(driver, 15).until(lambda d: d.find_element(By.CSS_SELECTOR, f".saved-row[data-saved-id='{saved[0]['id']}']")
                           .get_attribute("data-new-matches") not in (None, "", "0"))
    shoot(driver, "workspace-saved-match-1366", full_page=True)
    _assert_white_label(driver, "searches")
    driver.set_window_size(390, 844)
    time.sleep(0.4)
    shoot(driver, "workspace-history-390", full_page=True)
    _fits(driver, "searches")
    driver.set_window_size(1366, 900)

    # Search again: the same photo, category and limit against today's catalog; what is new is marked.
    _click(driver, driver.find_element(By.CSS_SELECTOR, f".saved-row[data-saved-id='{saved[0]['id']}'] [data-action='search-again']"))
    wait(driver).until(lambda d: "id=" in d.current_url and search_id not in d.current_url)
    _wait_done(driver, timeout=60)
    note = visible(driver, "#again-note")
    assert "catalog" in note.text.lower(), note.text
    shoot(driver, "workspace-search-again-1366", full_page=True)

    # The home page: cart summary, saved searches with their new matches, the last searches.
    driver.get(world.base + "/app.html")
    nav_ready(driver)
    assert "Coming to your workspace" not in driver.find_element(By.TAG_NAME, "body").text
    visible(driver, "#home-saved-list li")
    visible(driver, "#home-recent-list li")
    shoot(driver, "workspace-home-1366", full_page=True)
    driver.set_window_size(390, 844)
    time.sleep(0.4)
    shoot(driver, "workspace-home-390", full_page=True)
    _fits(driver, "home")
    assert not _problems(driver), _problems(driver)


# ---------------------------------------------------------------- the offer page

def test_offer_page_actions_and_photos(world, make_driver, shoot):
    driver = make_driver(1366, 900)
    client = _fresh_buyer(world, driver)
    search_id = _search(driver, world)
    _click(driver, driver.find_element(By.CSS_SELECTOR, "#exact-card .exact-actions a"))
    visible(driver, "#offer-view")
    wait(driver).until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-views"))
    offer_id = parse_qs(urlparse(driver.current_url).query)["id"][0]

    # Every view once, never drawn larger than its own pixels.
    thumbs = driver.find_elements(By.CSS_SELECTOR, "#thumbs .thumb img")
    srcs = [t.get_attribute("src") for t in thumbs]
    assert len(srcs) == len(set(srcs))
    natural = driver.execute_script("const i = document.getElementById('main-image'); return [i.clientWidth, i.naturalWidth];")
    assert natural[0] <= natural[1], natural
    _click(driver, driver.find_element(By.ID, "zoom-button"))
    visible(driver, "#zoom-dialog[open] #zoom-image")
    shoot(driver, "workspace-offer-zoom-1366")
    driver.find_element(By.ID, "zoom-close").click()
    wait(driver).until(lambda d: not d.find_elements(By.CSS_SELECTOR, "#zoom-dialog[open]"))

    # "Request quote" opens the request form for this one design.
    quote = driver.find_element(By.ID, "request-quote")
    assert "/quote-request.html?offer=" in (quote.get_attribute("href") or ""), quote.get_attribute("href")
    fill(driver, "#offer-actions input.qty-input", "40")
    _click(driver, driver.find_element(By.CSS_SELECTOR, "#offer-actions [data-action='add-to-cart']"))
    _wait_count(driver, 1)
    assert client.get("/api/cart").json()["lines"][0]["quantity"] == 40
    _click(driver, driver.find_element(By.CSS_SELECTOR, "#offer-actions [data-action='wishlist']"))
    wait(driver).until(lambda d: [i["offerId"] for i in client.get("/api/wishlist").json()["items"]] == [offer_id])
    shoot(driver, "workspace-offer-1366", full_page=True)
    driver.set_window_size(390, 844)
    time.sleep(0.4)
    shoot(driver, "workspace-offer-390", full_page=True)
    _fits(driver, "offer page")
    assert f"search={search_id}" in driver.current_url
    assert not _problems(driver), _problems(driver)


# ---------------------------------------------------------------- the landing page's demo

@pytest.mark.parametrize("width", WIDTHS)
def test_landing_page_replays_a_recorded_search(world, make_driver, shoot, width):
    record = json.loads((REPO / "web" / "demo" / "search-demo.json").read_text())
    assert record["steps"] and record["offers"], "the recording is empty"
    driver = make_driver(width, 900)
    driver.get(world.base + "/")
    nav_ready(driver)
    steps = driver.find_elements(By.CSS_SELECTOR, ".steps .step")
    assert len(steps) == 3
    driver.execute_script("document.getElementById('demo').scrollIntoView()")
    wait(driver, 30).until(lambda d: d.find_element(By.ID, "demo-player").get_attribute("data-state") == "done")
    shown = driver.find_elements(By.CSS_SELECTOR, "#demo-alts .offer-card")
    assert shown, "the demo shows no results"
    time.sleep(0.5)
    driver.execute_script("document.getElementById('demo').scrollIntoView()")
    shoot(driver, f"workspace-landing-demo-{width}")
    _fits(driver, "landing")
    text = driver.find_element(By.ID, "demo").text
    for pattern in LEAKS:
        assert not pattern.search(text), f"the demo names {pattern.pattern!r}"
    assert not SKU.search(text), SKU.search(text).group(0)
    for src in driver.execute_script("return [...document.querySelectorAll('#demo img')].map(i => i.getAttribute('src'))"):
        assert src.startswith("/demo/"), src
    assert not _problems(driver), _problems(driver)


# ---------------------------------------------------------------- above the price limit

def test_exact_match_above_the_limit_says_one_thing(world, make_driver, shoot):
    driver = make_driver(1366, 900)
    _fresh_buyer(world, driver)
    driver.get(world.base + "/search.html")
    nav_ready(driver)
    driver.find_element(By.ID, "image-input").send_keys(str(EXACT_PHOTO))
    Select(driver.find_element(By.ID, "category")).select_by_value("ring")
    fill(driver, "#max-price", "100")
    driver.find_element(By.ID, "search-submit").click()
    wait(driver).until(lambda d: "id=" in d.current_url)
    _wait_done(driver, timeout=60)
    first_id = parse_qs(urlparse(driver.current_url).query)["id"][0]
    above = visible(driver, "#above-limit")
    assert "$100" in above.text, above.text
    assert not driver.find_elements(By.ID, "no-exact"), "both 'above your limit' and 'no exact match' are shown"
    assert "above your maximum price" not in driver.find_element(By.ID, "notes").text
    assert "$100" in visible(driver, "#filter-limit").text
    for card in _cards(driver):
        assert card.text.lower().count("sourced to order") <= 1, card.text
    shoot(driver, "workspace-above-limit-1366", full_page=True)
    _click(driver, driver.find_element(By.ID, "show-anyway"))
    wait(driver, 30).until(lambda d: "id=" in d.current_url and first_id not in d.current_url)
    _wait_done(driver, timeout=60)
    visible(driver, "#exact-card")
    assert not _problems(driver), _problems(driver)


# ---------------------------------------------------------------- a sourced design in the cart

@pytest.mark.parametrize("width", WIDTHS)
def test_sourced_line_shows_a_range_kept_apart_from_the_exact_total(world, make_driver, shoot, width):
    driver = make_driver(width, 900)
    client = _fresh_buyer(world, driver)
    photo, category = _marketplace_only_listing()
    _search(driver, world, photo, category)
    shown = _sources_shown(driver)
    assert "marketplace" in shown and "inventory" in shown, "the search found no mix of sourced and stocked designs"
    _add_first_to_cart(driver, "marketplace")
    _wait_count(driver, 1)
    _add_first_to_cart(driver, "inventory")
    _wait_count(driver, 2)
    driver.get(world.base + "/cart.html")
    nav_ready(driver)
    group = visible(driver, ".cart-group[data-source='marketplace']")
    assert "sourced to order" in group.text.lower()
    total = group.find_element(By.CSS_SELECTOR, ".line-total").text
    assert re.match(r"approx\. \$[\d,]+–\$[\d,]+$", total), total
    summary = {dd.get_attribute("data-total"): dd.text for dd in driver.find_elements(By.CSS_SELECTOR, "#summary-list dd")}
    assert summary.get("exact", "").startswith("$") and summary.get("approximate", "").startswith("approx."), summary
    cart = client.get("/api/cart").json()["summary"]
    assert cart["exactTotal"] and cart["approximateTotal"], cart
    shoot(driver, f"workspace-cart-sourced-{width}", full_page=True)
    _fits(driver, "cart with a sourced line")
    _assert_white_label(driver, "cart with a sourced line")
    assert not _problems(driver), _problems(driver)


# ---------------------------------------------------------------- designs sourced after done

def _count_line_adds_up(text):
    """"9 of 48 shown · 47 from our inventory · 1 sourced to order": 47 + 1 is 48."""
    total = re.match(r"(\d+) of (\d+) shown", text)
    parts = [int(n) for n in re.findall(r"(\d+) (?:from our inventory|sourced to order)", text)]
    return bool(total and parts) and sum(parts) == int(total.group(2))


def test_designs_sourced_after_done_are_added_after_the_cards_shown(world, make_driver, shoot):
    """A slow marketplace: the search is done within its budget with what it has, and the designs
    sourced afterwards are added after the cards the buyer is looking at, which keep their places;
    "Show more" then brings no design twice."""
    driver = make_driver(1366, 900)
    _fresh_buyer(world, driver)
    market = HttpClient(world.marketplace_url())
    assert market.post("/_control", {"latencyMinMs": 5000, "latencyMaxMs": 5000}).status == 200
    try:
        photo, category = _marketplace_only_listing("earring")
        _search(driver, world, photo, category)
        before = _despite_late_designs(lambda: [c.get_attribute("data-offer-id") for c in _cards(driver)])
        assert before, "no alternatives at done"
        wait(driver, 60).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#alt-grid .offer-card")) > len(before))
        after = _despite_late_designs(lambda: [c.get_attribute("data-offer-id") for c in _cards(driver)])
        assert after[:len(before)] == before, "the cards shown at done moved when later designs arrived"
        added = _despite_late_designs(lambda: [c.get_attribute("data-source") for c in _cards(driver)[len(before):]])
        assert added and all(s == "marketplace" for s in added), added
        wait(driver, 10).until(lambda d: any("added at the end of the grid" in t.text for t in d.find_elements(By.CSS_SELECTOR, ".toast")))
        # The server keeps a capped ranked list, so the per-source counts must add up to its total.
        wait(driver, 10).until(lambda d: _count_line_adds_up(d.find_element(By.ID, "alt-count").text),
                               "the count line's sources do not add up to its total")
        shoot(driver, "search-late-designs-1366", full_page=True)
        more = driver.find_elements(By.CSS_SELECTOR, "#show-more:not([hidden])")
        if more and more[0].is_displayed():
            _click(driver, more[0])
            wait(driver, 20).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#alt-grid .offer-card")) > len(after))
            ids = _despite_late_designs(lambda: [c.get_attribute("data-offer-id") for c in _cards(driver)])
            assert len(ids) == len(set(ids)), "a design shown twice after show more"
            assert ids[:len(after)] == after
        assert not _problems(driver), _problems(driver)
    finally:
        market.post("/_control", {"latencyMinMs": 300, "latencyMaxMs": 800})
