"""The buyer's search flow in a real browser against `facet demo` (both brand simulators and the
marketplace simulator): upload, live progress, exact match and alternatives, reload, bad input,
sourced-to-order results, the offer page, white-labelling, and the admin markups card."""

from __future__ import annotations

import json
import re
import time
import uuid
from pathlib import Path

import pytest
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from .conftest import REPO
from .demo_world import BUYER, OPS, running_demo
from .helpers import HttpClient, Response, fill, login, nav_ready, visible, wait

EXACT_SKU = "AUR-R-00013"
EXACT_PHOTO = REPO / "seeds" / "images" / "aurelia" / f"{EXACT_SKU}-1.jpg"

# Nothing a buyer sees may name a brand, the marketplace, a supplier, or carry a brand SKU.
LEAKS = [re.compile(p, re.I) for p in (r"aurelia", r"northbridge", r"alibaba", r"supplier")]
SKU = re.compile(r"\b[A-Z]{3}-[A-Z]-\d{5}\b")


def _marketplace_only_listing(category: str = "ring") -> tuple[Path, str]:
    data = json.loads((REPO / "seeds" / "marketplace" / "listings.json").read_text())
    for listing in data["listings"]:
        if listing["groundTruth"]["relation"] != "unrelated" or listing["category"] != category:
            continue
        photo = REPO / "seeds" / "images" / "marketplace" / f"{listing['id']}-1.jpg"
        if photo.exists():
            return photo, listing["category"]
    pytest.fail(f"no marketplace-only {category} listing with a photo in seeds/")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    with running_demo(tmp_path_factory.mktemp("facet-demo-data")) as world:
        yield world.base


# ---------------------------------------------------------------- helpers

def _sign_in(driver, base, who, lands_on):
    driver.get(base + "/signin.html")
    nav_ready(driver)
    fill(driver, "#email", who[0])
    fill(driver, "#password", who[1])
    driver.find_element(By.ID, "signin-submit").click()
    wait(driver).until(lambda d: lands_on in d.current_url)


def _buyer_client(base) -> HttpClient:
    client = HttpClient(base)
    user = login(client, *BUYER)
    assert user["verified"], "the demo buyer should be verified"
    return client


def _post_file(client: HttpClient, name: str, content: bytes, content_type: str, category: str) -> Response:
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"image\"; filename=\"{name}\"\r\n"
            f"Content-Type: {content_type}\r\n\r\n").encode() + content + (
        f"\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"category\"\r\n\r\n{category}\r\n"
        f"--{boundary}--\r\n").encode()
    import urllib.error
    import urllib.request
    req = urllib.request.Request(client.base + "/api/searches", data=body, method="POST", headers={
        "Accept": "application/json", "Content-Type": f"multipart/form-data; boundary={boundary}",
        "Origin": client.base})
    try:
        with client.opener.open(req, timeout=30) as resp:
            return Response(resp.status, resp.headers, resp.read(), "POST", "/api/searches")
    except urllib.error.HTTPError as err:
        return Response(err.code, err.headers, err.read(), "POST", "/api/searches")


def _problems(driver) -> list[str]:
    problems = [f"[csp] {v}" for v in (driver.execute_script("return window.__cspViolations || []") or [])]
    for entry in driver.get_log("browser"):
        if entry.get("level") == "SEVERE" and not re.search(r"/api/me\b.* 401", entry.get("message", "")):
            problems.append(f"[{entry.get('source')}] {entry.get('message')}")
    return problems


def _assert_white_label(driver, where: str):
    text = driver.find_element(By.TAG_NAME, "body").text
    for pattern in LEAKS:
        assert not pattern.search(text), f"{where}: page text names {pattern.pattern!r}"
    assert not SKU.search(text), f"{where}: page text shows a brand SKU {SKU.search(text).group(0)}"
    sources = driver.execute_script("return [...document.images].map(i => i.getAttribute('src') || '')")
    for src in sources:
        assert not src or src.startswith("/api/images/") or src.startswith("data:image/"), f"{where}: foreign image {src}"


def _start_search(driver, base, photo: Path, category: str | None, shot=None):
    driver.get(base + "/search.html")
    nav_ready(driver)
    visible(driver, "#search-form")
    driver.find_element(By.ID, "image-input").send_keys(str(photo))
    if category:
        Select(driver.find_element(By.ID, "category")).select_by_value(category)
    wait(driver).until(lambda d: d.execute_script(
        "const i = document.getElementById('preview-img'); return !i || !i.src || i.complete;"))
    if shot:
        shot()
    driver.find_element(By.ID, "search-submit").click()


def _wait_done(driver, timeout=40):
    wait(driver, timeout).until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-search-status") in ("done", "failed"))
    assert driver.find_element(By.TAG_NAME, "body").get_attribute("data-search-status") == "done"


def _result_ids(driver):
    exact = driver.find_elements(By.CSS_SELECTOR, "#exact-card")
    return (exact[0].get_attribute("data-offer-id") if exact else None,
            [c.get_attribute("data-offer-id") for c in driver.find_elements(By.CSS_SELECTOR, "#alt-grid .offer-card")])


# ---------------------------------------------------------------- tests

def test_upload_exact_match_then_reload(demo, driver, shoot):
    _sign_in(driver, demo, BUYER, "/app.html")
    assert driver.find_elements(By.CSS_SELECTOR, "#find-cta[href='/search.html']"), "home has no search call to action"
    assert driver.find_elements(By.CSS_SELECTOR, "nav.site-nav a[href='/search.html']"), "buyer nav has no Find jewelry"

    _start_search(driver, demo, EXACT_PHOTO, "ring", shot=lambda: shoot(driver, "search-upload"))
    wait(driver).until(lambda d: "id=" in d.current_url)
    visible(driver, "#stage-list li[data-stage='received']")
    _wait_done(driver)
    states = {li.get_attribute("data-stage"): li.get_attribute("data-state")
              for li in driver.find_elements(By.CSS_SELECTOR, "#stage-list li")}
    assert len(states) == 7 and all(s in ("done", "skipped") for s in states.values()), states
    assert states["done"] == "done"

    exact = visible(driver, "#exact-card")
    assert "exact match" in exact.text.lower() and "$" in exact.text, exact.text
    assert re.search(r"Ready stock|On order", exact.text), exact.text
    assert re.search(r"\d+% match", exact.text), exact.text
    cards = driver.find_elements(By.CSS_SELECTOR, "#alt-grid .offer-card")
    assert 5 <= len(cards) <= 8, len(cards)
    for card in cards:
        assert re.search(r"MOQ \d+", card.text) and "Delivery" in card.text, card.text
        # A suggestion we chose to show never reads "16% match": low figures give way to what it shares.
        shown = [int(n) for n in re.findall(r"(\d+)% match", card.text)]
        assert all(n >= 60 for n in shown), card.text
        assert shown or re.search(r"Same |Similar design", card.text), card.text
    assert driver.find_elements(By.CSS_SELECTOR, "#attr-list li[data-attr='metal']"), "no attributes shown"
    _assert_white_label(driver, "results")
    shoot(driver, "search-results-exact", full_page=True)

    before = _result_ids(driver)
    url = driver.current_url
    driver.get(url)
    _wait_done(driver)
    visible(driver, "#exact-card")
    assert _result_ids(driver) == before
    history = driver.find_elements(By.CSS_SELECTOR, "#history-list li a")
    assert history and url.split("id=")[1] in history[0].get_attribute("href")
    assert not _problems(driver), _problems(driver)


def test_missing_category_is_caught_in_the_page(demo, driver):
    client = _buyer_client(demo)
    count = len(client.get("/api/searches").json()["searches"])
    _sign_in(driver, demo, BUYER, "/app.html")
    _start_search(driver, demo, EXACT_PHOTO, None)
    error = visible(driver, "[data-error-for='category']")
    assert "category" in error.text.lower()
    assert driver.find_element(By.ID, "category").get_attribute("aria-invalid") == "true"
    assert "id=" not in driver.current_url
    time.sleep(0.5)
    assert len(client.get("/api/searches").json()["searches"]) == count, "a search was sent without a category"


def test_non_image_shows_the_server_message(demo, driver, tmp_path):
    bogus = tmp_path / "price-list.txt"
    bogus.write_text("Ring, 18k, 250 USD\n" * 50)
    expected = _post_file(_buyer_client(demo), "price-list.txt", bogus.read_bytes(), "text/plain", "ring")
    assert expected.status == 415, expected.describe()
    message = expected.json()["error"]["message"]

    _sign_in(driver, demo, BUYER, "/app.html")
    _start_search(driver, demo, bogus, "ring")
    alert = visible(driver, "#upload-alert")
    wait(driver).until(lambda d: message in d.find_element(By.ID, "upload-alert").text)
    assert "id=" not in driver.current_url


def _despite_late_designs(check) -> None:
    """Runs `check` on the results grid. Designs sourced after a search's budget are pushed to the open
    page and re-render its grid at any moment, so a card read a moment ago can be stale: read again."""
    for _ in range(20):
        try:
            return check()
        except StaleElementReferenceException:
            time.sleep(0.25)
    raise AssertionError("the results grid kept re-rendering")


def test_marketplace_only_design_is_sourced_to_order(demo, driver, shoot):
    photo, category = _marketplace_only_listing()
    _sign_in(driver, demo, BUYER, "/app.html")
    _start_search(driver, demo, photo, category)
    # Caught while the marketplace is still being searched: the checklist is part-way.
    try:
        wait(driver, 10).until(lambda d: d.find_elements(
            By.CSS_SELECTOR, "#stage-list li[data-stage='searching_marketplace'][data-state='current']"))
        shoot(driver, "search-progress")
    except Exception:
        shoot(driver, "search-progress")
    _wait_done(driver, timeout=60)
    def sourced_cards_priced_as_a_range():
        sourced = driver.find_elements(By.CSS_SELECTOR, "#alt-grid .offer-card[data-source='marketplace']")
        assert sourced, "no sourced-to-order alternatives"
        for card in sourced:
            assert "sourced to order" in card.text.lower(), card.text
            assert re.search(r"approx\. \$[\d,]+–\$[\d,]+", card.text), card.text
        return sourced
    sourced = _despite_late_designs(sourced_cards_priced_as_a_range)
    assert visible(driver, "#no-exact")
    _assert_white_label(driver, "marketplace results")
    shoot(driver, "search-results-marketplace", full_page=True)

    # The source filter narrows the grid on the page.
    Select(driver.find_element(By.CSS_SELECTOR, "#filters select[name='source']")).select_by_value("marketplace")
    def only_sourced(d):
        # The grid is rebuilt when the server answers the filter: a card read mid-rebuild is stale.
        try:
            return all(c.get_attribute("data-source") == "marketplace"
                       for c in d.find_elements(By.CSS_SELECTOR, "#alt-grid .offer-card"))
        except StaleElementReferenceException:
            return False
    wait(driver).until(only_sourced)
    sourced[0] = driver.find_element(By.CSS_SELECTOR, "#alt-grid .offer-card a.offer-media")
    sourced[0].click()
    visible(driver, "#offer-view")
    assert "approx." in driver.find_element(By.ID, "offer-price").text
    _assert_white_label(driver, "sourced offer page")
    assert not _problems(driver), _problems(driver)


def test_offer_page_shows_views_specs_and_comparison(demo, driver, shoot):
    _sign_in(driver, demo, BUYER, "/app.html")
    _start_search(driver, demo, EXACT_PHOTO, "ring")
    _wait_done(driver)
    search_id = driver.current_url.split("id=")[1]
    driver.find_element(By.CSS_SELECTOR, "#exact-card .exact-actions a").click()
    visible(driver, "#offer-view")
    assert f"search={search_id}" in driver.current_url
    thumbs = driver.find_elements(By.CSS_SELECTOR, "#thumbs .thumb")
    assert len(thumbs) >= 2
    main = driver.find_element(By.ID, "main-image")
    first = main.get_attribute("src")
    thumbs[1].click()
    wait(driver).until(lambda d: d.find_element(By.ID, "main-image").get_attribute("src") != first)
    assert thumbs[1].get_attribute("aria-pressed") == "true"
    specs = driver.find_element(By.ID, "spec-list").text
    assert "Metal" in specs and "Purity" in specs, specs
    rows = driver.find_elements(By.CSS_SELECTOR, "#compare-table tbody tr")
    assert rows and all(r.get_attribute("data-verdict") in ("match", "differs", "unknown") for r in rows)
    assert driver.find_element(By.ID, "offer-price").text.startswith("$")
    assert driver.find_element(By.ID, "back-link").get_attribute("href").endswith(f"/search.html?id={search_id}")
    _assert_white_label(driver, "offer page")
    shoot(driver, "offer-page", full_page=True)
    assert not _problems(driver), _problems(driver)


def test_admin_markups_save_and_audit(demo, make_driver, shoot):
    driver = make_driver(1366, 900)
    _sign_in(driver, demo, OPS, "/admin.html")
    driver.get(demo + "/admin-marketplace.html")  # the markups moved here from the dashboard
    field = visible(driver, "#markup-ring")
    wait(driver).until(lambda d: d.find_element(By.ID, "markup-global").get_attribute("value") != "")
    visible(driver, "#market-sources tbody tr")
    field.clear()
    field.send_keys("27.5")
    driver.find_element(By.ID, "markups-save").click()
    wait(driver).until(lambda d: "Markups saved" in d.find_element(By.ID, "markups-alert").text)
    row = visible(driver, "#markup-audit li[data-scope]")
    assert "27.5%" in row.text and OPS[0] in row.text, row.text
    ops = HttpClient(demo)
    login(ops, *OPS)
    current = ops.get("/api/admin/markups").json()
    assert current.get("markups", current)["perCategory"]["ring"] == 2750
    driver.execute_script("document.getElementById('markups-card').scrollIntoView()")
    time.sleep(0.2)
    shoot(driver, "admin-markups-marketplace")
    assert not _problems(driver), _problems(driver)


# The source badge and the match figure share the top of a card's photo; they may wrap, never cover.
BADGES_OVERLAP = """
return [...document.querySelectorAll('#alt-grid .offer-card')].filter(card => {
  const a = card.querySelector('.src-badge'), b = card.querySelector('.sim-badge');
  if (!a || !b) return false;
  const r = a.getBoundingClientRect(), s = b.getBoundingClientRect();
  return r.left < s.right && s.left < r.right && r.top < s.bottom && s.top < r.bottom;
}).map(card => card.dataset.offerId);
"""


def _phone_check(driver, shoot, name):
    driver.set_window_size(390, 844)
    time.sleep(0.4)
    width = driver.execute_script("return document.documentElement.scrollWidth")
    shoot(driver, f"{name}-390", full_page=True)
    assert width <= 390, f"{name}: {width}px wide at 390 px"


def test_results_and_offer_page_on_desktop_and_phone(demo, make_driver, shoot):
    driver = make_driver(1366, 900)
    photo, category = _marketplace_only_listing()
    _sign_in(driver, demo, BUYER, "/app.html")
    _start_search(driver, demo, photo, category)
    _wait_done(driver, timeout=60)
    shoot(driver, "results-1366", full_page=True)
    _phone_check(driver, shoot, "results")
    def sourced_cards_say_so():
        cards = driver.find_elements(By.CSS_SELECTOR, "#alt-grid .offer-card")
        assert cards, "no alternatives"
        for card in cards:
            if card.get_attribute("data-source") == "marketplace":
                assert card.text.lower().count("sourced to order") == 1, card.text
    _despite_late_designs(sourced_cards_say_so)
    assert not driver.execute_script(BADGES_OVERLAP), "match figure covers the source badge"

    driver.set_window_size(1366, 900)
    driver.find_element(By.CSS_SELECTOR, "#alt-grid .offer-card a.offer-media").click()
    visible(driver, "#offer-view")
    shoot(driver, "offer-1366", full_page=True)
    _phone_check(driver, shoot, "offer")
    _assert_white_label(driver, "offer page on a phone")
    assert not _problems(driver), _problems(driver)
