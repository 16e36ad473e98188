"""The buyer page survives a server restart: the WebSocket client reconnects with backoff,
re-subscribes with the last sequence it saw, and notices published meanwhile show up once."""

from __future__ import annotations

import time
import uuid

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

from .helpers import (OPS_EMAIL, OPS_PASSWORD, HttpClient, fill, link_from_mail, login, mail_names, nav_ready,
                      wait, wait_for_new_mail)


def _pill(driver):
    el = driver.find_element(By.ID, "live-pill")
    return el.get_attribute("data-state"), (el.get_attribute("data-subscribed") or "").split()


def test_reconnect_replays_missed_notices_once(facet_server, driver, shoot):
    base = facet_server.base
    suffix = uuid.uuid4().hex[:8]
    email_address, password = f"reconnect-{suffix}@example.com", "Cabochon2024q"

    client = HttpClient(base)
    before = mail_names(facet_server)
    resp = client.post("/api/auth/register", {
        "companyName": f"Reconnect Jewels {suffix}", "businessLicense": f"RJ-{suffix}", "contactName": "Mei Tanaka",
        "email": email_address, "password": password, "phone": "+81 3 5555 0100", "country": "Japan",
        "businessType": "retailer", "typicalOrderVolume": "1k-10k", "preferredCategories": ["pendant"]})
    assert resp.status == 201, resp.describe()
    buyer_id = resp.json()["user"]["id"]
    token = link_from_mail(wait_for_new_mail(facet_server, before, email_address), "verify.html").split("token=", 1)[1]
    assert client.post("/api/auth/verify", {"token": token}).status == 200

    driver.get(base + "/signin.html")
    nav_ready(driver)
    fill(driver, "#email", email_address)
    fill(driver, "#password", password)
    driver.find_element(By.ID, "signin-submit").click()
    wait(driver).until(EC.url_contains("/app.html"))
    topic = f"buyer:{buyer_id}"
    wait(driver, 20).until(lambda d: topic in _pill(d)[1])

    # One notice while connected, so the client has a sequence number to resume from.
    ops = HttpClient(base)
    login(ops, OPS_EMAIL, OPS_PASSWORD)
    first = f"Before restart {suffix}"
    assert ops.post("/api/admin/notices", {"topic": topic, "title": first, "body": "one"}).status == 202
    wait(driver, 15).until(EC.text_to_be_present_in_element((By.ID, "notice-list"), first))
    driver.execute_script("window.__sameDocument = true;")

    # Restart the server; the page notices the drop.
    facet_server.process.stop()
    wait(driver, 15).until(lambda d: _pill(d)[0] != "open")
    time.sleep(3)  # a few failed reconnect attempts grow the backoff
    facet_server.process.start()

    # Publish right away: most likely before the page is back (replay with since=…).
    ops = HttpClient(base)
    login(ops, OPS_EMAIL, OPS_PASSWORD)
    state_at_publish = _pill(driver)[0]
    missed = [f"While away {suffix} #{i}" for i in (1, 2)]
    for title in missed:
        r = ops.post("/api/admin/notices", {"topic": topic, "title": title, "body": "missed"})
        assert r.status == 202, r.describe()

    wait(driver, 45).until(lambda d: _pill(d)[0] == "open" and topic in _pill(d)[1])
    for title in missed:
        wait(driver, 15).until(EC.text_to_be_present_in_element((By.ID, "notice-list"), title))
    time.sleep(1.0)  # any duplicate would arrive by now
    titles = [el.text for el in driver.find_elements(By.CSS_SELECTOR, "#notice-list .notice-title")]
    for title in missed + [first]:
        assert titles.count(title) == 1, f"{title!r} shown {titles.count(title)} times: {titles}"
    assert titles.index(missed[1]) < titles.index(missed[0]) < titles.index(first), f"newest first: {titles}"
    assert driver.execute_script("return window.__sameDocument === true"), "the page reloaded"
    print(f"connection state when the missed notices were published: {state_at_publish}")
    shoot(driver, "13-app-after-reconnect")

    # The page got there by resuming (subscribe with since=<last seq>), not by falling back
    # to a fresh subscription plus a REST reload after the server refused the resume.
    failures = driver.find_element(By.ID, "live-pill").get_attribute("data-resume-failures")
    errors = [e["message"] for e in driver.get_log("browser") if '"realtime:"' in e["message"]]
    assert failures in (None, "", "0"), (
        f"the server refused {failures} subscribe-with-since request(s) after the reconnect: {errors}")
