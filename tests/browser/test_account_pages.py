"""Account pages in a real browser: server validation errors shown next to the sign-up form,
password reset by e-mail link, profile editing and password change."""

from __future__ import annotations

import time
import uuid

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select

from .helpers import (HttpClient, fill, link_from_mail, mail_names, nav_ready, visible, wait, wait_for_new_mail)


def _registration(suffix: str, **overrides) -> dict:
    data = {"companyName": f"Maison Ambre {suffix}", "businessLicense": f"MA-{suffix}", "contactName": "Claire Dubois",
            "email": f"account-{suffix}@example.com", "password": "Solitaire2024k", "phone": "+33 1 55 55 01 00",
            "country": "France", "businessType": "wholesaler", "typicalOrderVolume": "1k-10k",
            "preferredCategories": ["necklace"]}
    data.update(overrides)
    return data


def _fill_signup(driver, data: dict):
    for key in ("companyName", "businessLicense", "country", "contactName", "phone", "email", "password"):
        fill(driver, f"#{key}", data[key])
    Select(driver.find_element(By.ID, "businessType")).select_by_value(data["businessType"])
    Select(driver.find_element(By.ID, "typicalOrderVolume")).select_by_value(data["typicalOrderVolume"])
    for value in data["preferredCategories"]:
        box = driver.find_element(By.CSS_SELECTOR, f'input[name="preferredCategories"][value="{value}"]')
        if not box.is_selected():
            box.click()


def _sign_in(driver, base, email_address, password):
    driver.get(base + "/signin.html")
    nav_ready(driver)
    fill(driver, "#email", email_address)
    fill(driver, "#password", password)
    driver.find_element(By.ID, "signin-submit").click()


def test_signup_shows_server_errors_next_to_the_form(facet_server, driver, shoot):
    base = facet_server.base
    suffix = uuid.uuid4().hex[:8]
    taken = _registration(suffix)
    resp = HttpClient(base).post("/api/auth/register", taken)
    assert resp.status == 201, resp.describe()

    # A phone number the server rejects (the page itself does not check its format).
    driver.get(base + "/signup.html")
    nav_ready(driver)
    _fill_signup(driver, _registration(suffix + "b", phone="call me"))
    driver.find_element(By.ID, "signup-submit").click()
    wait(driver).until(lambda d: d.find_element(By.CSS_SELECTOR, '[data-error-for="phone"]').text.strip())
    summary = driver.find_element(By.ID, "form-alert")
    assert summary.is_displayed() and "phone" in summary.text.lower(), summary.text
    assert driver.find_element(By.ID, "phone").get_attribute("aria-invalid") == "true"
    assert driver.switch_to.active_element.get_attribute("id") == "phone", "focus moves to the field at fault"
    shoot(driver, "20-signup-server-validation")

    # An e-mail address that is already registered.
    fill(driver, "#phone", "+33 1 55 55 01 01")
    fill(driver, "#email", taken["email"])
    driver.find_element(By.ID, "signup-submit").click()
    wait(driver).until(lambda d: "already" in d.find_element(By.ID, "form-alert").text.lower())
    assert driver.find_element(By.ID, "email").get_attribute("aria-invalid") == "true"
    assert driver.find_element(By.CSS_SELECTOR, '#form-alert a[href="/signin.html"]'), "offers to sign in instead"
    assert driver.find_element(By.ID, "signup-done").get_attribute("hidden") is not None
    shoot(driver, "21-signup-email-taken")


def test_password_reset_profile_and_password_change(facet_server, driver, shoot):
    base = facet_server.base
    suffix = uuid.uuid4().hex[:8]
    data = _registration(suffix)
    client = HttpClient(base)
    before = mail_names(facet_server)
    assert client.post("/api/auth/register", data).status == 201
    verify_link = link_from_mail(wait_for_new_mail(facet_server, before, data["email"]), "verify.html")

    # An unverified buyer can sign in and sees the verification banner.
    _sign_in(driver, base, data["email"], data["password"])
    wait(driver).until(EC.url_contains("/app.html"))
    banner = visible(driver, "#verify-banner")
    assert data["email"] in banner.text
    shoot(driver, "22-app-unverified")

    # Verify while signed in: the page offers the dashboard.
    driver.get(verify_link)
    visible(driver, "#verify-ok")
    wait(driver).until(lambda d: d.find_element(By.ID, "verify-continue").get_attribute("href").endswith("/app.html"))

    # A used link is refused, with a resend form.
    driver.get(verify_link)
    visible(driver, "#verify-failed")
    assert driver.find_element(By.ID, "resend-form").is_displayed()
    shoot(driver, "23-verify-used-link")

    # Sign out, then reset the password through the e-mailed link.
    driver.get(base + "/app.html")
    nav_ready(driver)
    driver.find_element(By.CSS_SELECTOR, '[data-action="sign-out"]').click()
    wait(driver).until(EC.presence_of_element_located((By.CSS_SELECTOR, '#site-header a[href="/signin.html"]')))

    driver.get(base + "/reset.html")
    visible(driver, "#request-form")
    before = mail_names(facet_server)
    fill(driver, "#request-email", data["email"])
    driver.find_element(By.ID, "request-submit").click()
    wait(driver).until(lambda d: "inbox" in d.find_element(By.ID, "request-alert").text.lower())
    shoot(driver, "24-reset-requested")
    reset_link = link_from_mail(wait_for_new_mail(facet_server, before, data["email"]), "reset.html")
    assert reset_link.startswith(base + "/reset.html?token=")

    driver.get(reset_link)
    visible(driver, "#confirm-form")
    new_password = "Baguette2025m"
    fill(driver, "#new-password", new_password)
    fill(driver, "#confirm-password", new_password + "x")
    driver.find_element(By.ID, "confirm-submit").click()
    wait(driver).until(lambda d: d.find_element(By.CSS_SELECTOR, '[data-error-for="confirm"]').text.strip())
    fill(driver, "#confirm-password", new_password)
    driver.find_element(By.ID, "confirm-submit").click()
    visible(driver, "#confirm-done")
    shoot(driver, "25-reset-done")

    # The old password no longer works; the new one does.
    _sign_in(driver, base, data["email"], data["password"])
    wait(driver).until(lambda d: d.find_element(By.ID, "form-alert").text.strip())
    _sign_in(driver, base, data["email"], new_password)
    wait(driver).until(EC.url_contains("/app.html"))

    # Profile: change the company name and categories.
    driver.get(base + "/profile.html")
    wait(driver).until(lambda d: d.find_element(By.ID, "companyName").get_attribute("value") == data["companyName"])
    renamed = f"Maison Ambre Paris {suffix}"
    fill(driver, "#companyName", renamed)
    driver.find_element(By.CSS_SELECTOR, 'input[name="preferredCategories"][value="pendant"]').click()
    driver.find_element(By.ID, "profile-submit").click()
    wait(driver).until(lambda d: "updated" in d.find_element(By.ID, "profile-alert").text.lower())
    wait(driver).until(EC.text_to_be_present_in_element((By.ID, "site-header"), renamed))
    shoot(driver, "26-profile-saved")

    # An empty company name is refused before it is sent.
    fill(driver, "#companyName", " ")
    driver.find_element(By.ID, "profile-submit").click()
    wait(driver).until(lambda d: d.find_element(By.CSS_SELECTOR, '[data-error-for="companyName"]').text.strip())
    driver.find_element(By.ID, "profile-revert").click()

    driver.refresh()
    wait(driver).until(lambda d: d.find_element(By.ID, "companyName").get_attribute("value") == renamed)
    checked = [el.get_attribute("value") for el in
               driver.find_elements(By.CSS_SELECTOR, 'input[name="preferredCategories"]:checked')]
    assert sorted(checked) == ["necklace", "pendant"], checked

    # Change password: a wrong current password is reported at that field.
    fill(driver, "#currentPassword", "not-my-password-1")
    fill(driver, "#newPassword", "Cushioncut2026p")
    fill(driver, "#confirmPassword", "Cushioncut2026p")
    driver.find_element(By.ID, "password-submit").click()
    wait(driver).until(lambda d: d.find_element(By.CSS_SELECTOR, '[data-error-for="currentPassword"]').text.strip())
    shoot(driver, "27-password-wrong-current")
    fill(driver, "#currentPassword", new_password)
    fill(driver, "#newPassword", "Cushioncut2026p")
    fill(driver, "#confirmPassword", "Cushioncut2026p")
    driver.find_element(By.ID, "password-submit").click()
    wait(driver).until(lambda d: "changed" in d.find_element(By.ID, "password-alert").text.lower())

    check = HttpClient(base)
    resp = check.post("/api/auth/login", {"email": data["email"], "password": "Cushioncut2026p"})
    assert resp.status == 200, resp.describe()
    assert resp.json()["user"]["companyName"] == renamed
