"""The buyer's first visit, end to end in a real browser: landing page → sign-up →
verification e-mail → verify → sign in → buyer home → a notice from ops arrives live."""

from __future__ import annotations

import time
import uuid

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select

from .helpers import (OPS_EMAIL, OPS_PASSWORD, HttpClient, fill, link_from_mail, login, mail_names, nav_ready,
                      visible, wait, wait_for_new_mail)


def test_signup_verify_signin_and_live_notice(facet_server, driver, make_driver, shoot):
    base = facet_server.base
    suffix = uuid.uuid4().hex[:8]
    company = f"Aurelia Fine Jewels {suffix}"
    buyer_email = f"buyer-{suffix}@example.com"
    password = "Goldsmith2024x"

    # 1. Landing page, desktop and phone.
    driver.get(base + "/")
    heading = visible(driver, "h1")
    assert "Upload any jewelry design, we'll source it for you" in heading.text
    nav_ready(driver)
    steps = driver.find_elements(By.CSS_SELECTOR, "ol.steps > li")
    assert len(steps) == 3, "the landing page explains how it works in three steps"
    shoot(driver, "01-landing-1280")
    shoot(driver, "01-landing-1280-full", full_page=True)
    driver.set_window_size(390, 844)
    time.sleep(0.3)
    shoot(driver, "01-landing-390")
    width = driver.execute_script("return document.documentElement.scrollWidth")
    assert width <= 390, f"landing page scrolls sideways on a phone ({width}px wide)"
    driver.set_window_size(1280, 900)

    # 2. To the sign-up form through the call to action.
    driver.find_element(By.ID, "cta-signup").click()
    wait(driver).until(EC.url_contains("/signup.html"))
    visible(driver, "#signup-form")
    nav_ready(driver)
    shoot(driver, "02-signup-empty")

    # A weak password is caught before anything is sent.
    fill(driver, "#companyName", company)
    fill(driver, "#businessLicense", f"LIC-{suffix}")
    fill(driver, "#country", "United Kingdom")
    Select(driver.find_element(By.ID, "businessType")).select_by_value("retailer")
    Select(driver.find_element(By.ID, "typicalOrderVolume")).select_by_value("10k-50k")
    for value in ("ring", "earring"):
        driver.find_element(By.CSS_SELECTOR, f'input[name="preferredCategories"][value="{value}"]').click()
    fill(driver, "#contactName", "Isabel Carter")
    fill(driver, "#phone", "+44 20 7946 0123")
    fill(driver, "#email", buyer_email)
    fill(driver, "#password", "short1")
    driver.find_element(By.ID, "signup-submit").click()
    error = visible(driver, '[data-error-for="password"]')
    assert "10" in error.text
    assert driver.find_element(By.ID, "password").get_attribute("aria-invalid") == "true"
    shoot(driver, "03-signup-client-hint")

    # 3. Submit for real.
    before = mail_names(facet_server)
    fill(driver, "#password", password)
    driver.find_element(By.ID, "signup-submit").click()
    done = visible(driver, "#signup-done")
    assert buyer_email in done.text
    shoot(driver, "04-signup-done")

    # 4. The verification e-mail.
    mail = wait_for_new_mail(facet_server, before, buyer_email)
    link = link_from_mail(mail, "verify.html")
    assert link.startswith(base + "/verify.html?token="), link

    # 5. Open the link.
    driver.get(link)
    ok = visible(driver, "#verify-ok")
    assert "verified" in ok.text.lower()
    shoot(driver, "05-verified")

    # 6. Sign in.
    driver.get(base + "/signin.html")
    nav_ready(driver)
    fill(driver, "#email", buyer_email)
    fill(driver, "#password", "wrong-password-1")
    driver.find_element(By.ID, "signin-submit").click()
    alert = visible(driver, "#form-alert")
    assert alert.text.strip(), "a failed sign-in shows the server's message"
    shoot(driver, "06-signin-wrong-password")
    fill(driver, "#password", password)
    driver.find_element(By.ID, "signin-submit").click()
    wait(driver).until(EC.url_contains("/app.html"))

    # 7. Buyer home shows the company, and the live connection subscribes.
    wait(driver).until(EC.text_to_be_present_in_element((By.ID, "company-name"), company))
    assert driver.find_element(By.ID, "verify-banner").get_attribute("hidden") is not None, \
        "a verified buyer sees no verification banner"
    ops = HttpClient(base)
    ops_user = login(ops, OPS_EMAIL, OPS_PASSWORD)
    assert ops_user["role"] == "ops"
    buyers = ops.get("/api/admin/buyers")
    assert buyers.status == 200, buyers.describe()
    buyer = next((b for b in buyers.json()["buyers"] if b["email"] == buyer_email), None)
    assert buyer, f"{buyer_email} missing from /api/admin/buyers"
    assert buyer["verified"] is True

    topic = f"buyer:{buyer['id']}"
    wait(driver, 20).until(lambda d: topic in (d.find_element(By.ID, "live-pill").get_attribute("data-subscribed") or "")
                           and "buyers" in d.find_element(By.ID, "live-pill").get_attribute("data-subscribed").split())
    shoot(driver, "07-app-home")

    # 8. Ops sends a personal notice; it appears without a reload.
    driver.execute_script("window.__sameDocument = true;")
    title = f"Your quote is ready {suffix}"
    sent = ops.post("/api/admin/notices", {"topic": topic, "title": title,
                                           "body": "We priced the 18k halo ring for 50 units."})
    assert sent.status == 202, sent.describe()
    assert sent.json()["topic"] == topic
    wait(driver, 15).until(EC.text_to_be_present_in_element((By.ID, "notice-list"), title))
    toast = visible(driver, ".toast")
    assert title in toast.text
    assert driver.execute_script("return window.__sameDocument === true"), "the page reloaded"
    time.sleep(0.4)  # let the toast finish sliding in
    shoot(driver, "08-app-live-notice")

    # 9. A broadcast to all buyers arrives too.
    broadcast = f"Holiday schedule {suffix}"
    sent = ops.post("/api/admin/notices", {"topic": "buyers", "title": broadcast,
                                           "body": "Orders placed after 20 December ship in January."})
    assert sent.status == 202, sent.describe()
    wait(driver, 15).until(EC.text_to_be_present_in_element((By.ID, "notice-list"), broadcast))
    items = driver.find_elements(By.CSS_SELECTOR, "#notice-list > li")
    assert broadcast in items[0].text, "newest notice first"
    time.sleep(0.4)
    shoot(driver, "09-app-broadcast")

    # 10. After a reload both come back from GET /api/notifications.
    driver.refresh()
    wait(driver).until(EC.text_to_be_present_in_element((By.ID, "notice-list"), title))
    assert broadcast in driver.find_element(By.ID, "notice-list").text

    # 11. Profile page shows the account.
    driver.get(base + "/profile.html")
    wait(driver).until(lambda d: d.find_element(By.ID, "companyName").get_attribute("value") == company)
    assert driver.find_element(By.ID, "fact-email").text == buyer_email
    shoot(driver, "10-profile")

    # 12. Back on the buyer's home page, connected again.
    driver.get(base + "/app.html")
    wait(driver, 20).until(lambda d: topic in (d.find_element(By.ID, "live-pill").get_attribute("data-subscribed") or ""))

    # 13. Ops signs in through the page, finds the buyer, and sends a notice with the admin form.
    ops_driver = make_driver()
    ops_driver.get(base + "/signin.html")
    nav_ready(ops_driver)
    fill(ops_driver, "#email", OPS_EMAIL)
    fill(ops_driver, "#password", OPS_PASSWORD)
    ops_driver.find_element(By.ID, "signin-submit").click()
    wait(ops_driver).until(EC.url_contains("/admin.html"))
    wait(ops_driver).until(EC.text_to_be_present_in_element((By.ID, "buyers-table"), company))
    wait(ops_driver, 20).until(
        lambda d: "admin" in (d.find_element(By.ID, "live-pill").get_attribute("data-subscribed") or "").split())
    Select(ops_driver.find_element(By.ID, "notice-topic")).select_by_value(topic)
    from_form = f"Sample approved {suffix}"
    fill(ops_driver, "#notice-title-input", from_form)
    fill(ops_driver, "#notice-body", "Your sample of the pavé hoop earrings passed inspection.")
    ops_driver.find_element(By.ID, "notice-submit").click()
    sent_alert = visible(ops_driver, "#notice-alert")
    wait(ops_driver).until(lambda d: "sent" in d.find_element(By.ID, "notice-alert").text.lower())
    assert "alert-success" in sent_alert.get_attribute("class"), sent_alert.text
    # The admin topic reports the notice in the live feed.
    wait(ops_driver, 15).until(EC.text_to_be_present_in_element((By.ID, "feed"), from_form))
    shoot(ops_driver, "11-admin", full_page=True)

    wait(driver, 15).until(EC.text_to_be_present_in_element((By.ID, "notice-list"), from_form))
    time.sleep(0.4)  # let the toast finish sliding in
    shoot(driver, "12-app-notice-from-admin-form")

    # 14. The buyer signs out.
    driver.get(base + "/app.html")
    nav_ready(driver)
    driver.find_element(By.CSS_SELECTOR, '[data-action="sign-out"]').click()
    wait(driver).until(lambda d: d.current_url.rstrip("/") == base or d.current_url.endswith("/index.html"))
    wait(driver).until(EC.presence_of_element_located((By.CSS_SELECTOR, '#site-header a[href="/signin.html"]')))
    me = driver.execute_script(
        "return fetch('/api/me', {credentials: 'same-origin'}).then(r => r.status);")
    assert me == 401, "signed out: /api/me answers 401"
