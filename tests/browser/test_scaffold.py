"""The page scaffold in a real browser: navigation built by role (web/js/nav.js), a server
validation error shown beside the field its body names (web/js/forms.js), the catalog notice
(web/js/readiness.js), and every page at 390 px without sideways scrolling, with screenshots of
each page at 1366 and 390 px in .build/screenshots/."""

from __future__ import annotations

import json
import time
from urllib.parse import urlparse

from selenium.webdriver.common.by import By

from .helpers import (OPS_EMAIL, OPS_PASSWORD, fill, nav_ready, sign_in, verified_buyer, visible, wait)

NAV = {
    "visitor": [("/signin.html", "Sign in"), ("/signup.html", "Create account")],
    "buyer": [("/app.html", "Home"), ("/search.html", "Find jewelry"), ("/history.html", "Searches"), ("/cart.html", "Cart"),
              ("/quotes.html", "Quotes"), ("/orders.html", "Orders"), ("/profile.html", "Profile")],
    "ops": [("/admin.html", "Dashboard"), ("/admin-quotes.html", "Quotes"), ("/admin-orders.html", "Orders"),
            ("/admin-approvals.html", "Approvals"), ("/admin-sync.html", "Sync"), ("/admin-marketplace.html", "Marketplace"),
            ("/admin-analytics.html", "Analytics"), ("/admin-buyers.html", "Buyers"), ("/admin-audit.html", "Audit"),
            ("/profile.html", "Profile")],
}

PAGES = {
    "visitor": ["/", "/signin.html", "/signup.html", "/reset.html", "/verify.html"],
    "buyer": ["/app.html", "/search.html", "/offer.html", "/profile.html", "/cart.html", "/cart.html?tab=wishlist",
              "/compare.html", "/history.html"],
    "ops": ["/admin.html", "/profile.html"],
}

# The elements sticking out past the right edge of the viewport, innermost first, for the message.
OVERFLOWING = """
const w = document.documentElement.clientWidth;
const out = [...document.querySelectorAll('body *')].filter(el => {
  const r = el.getBoundingClientRect();
  return r.width > 0 && r.right > w + 0.5 && !el.closest('.table-wrap, .visually-hidden');
});
return out.filter(el => !out.some(o => o !== el && el.contains(o))).slice(0, 8)
  .map(el => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}.${[...el.classList].join('.')} right=${Math.round(el.getBoundingClientRect().right)}`);
"""


def _nav(driver):
    nav_ready(driver)
    # A live count beside a label (the cart's) is not part of the label.
    links = [(urlparse(a.get_attribute("href")).path,
              driver.execute_script("return arguments[0].querySelector('span:not(.nav-count)').textContent.trim()", a))
             for a in driver.find_elements(By.CSS_SELECTOR, "#site-header nav.site-nav a")]
    signs_out = bool(driver.find_elements(By.CSS_SELECTOR, '#site-header nav [data-action="sign-out"]'))
    return links, signs_out


def _sign_out(driver, base):
    driver.find_element(By.CSS_SELECTOR, '[data-action="sign-out"]').click()
    wait(driver).until(lambda d: d.find_elements(By.CSS_SELECTOR, '#site-header a[href="/signin.html"]'))
    driver.get(base + "/")


def test_navigation_is_built_for_each_role(facet_server, make_driver, shoot):
    base = facet_server.base
    driver = make_driver(1366, 900)
    driver.get(base + "/")
    assert _nav(driver) == (NAV["visitor"], False)

    buyer = verified_buyer(facet_server)
    sign_in(driver, base, *buyer, "/app.html")
    links, signs_out = _nav(driver)
    assert links == NAV["buyer"] and signs_out, links
    current = driver.find_elements(By.CSS_SELECTOR, '#site-header nav a[aria-current="page"]')
    assert [urlparse(a.get_attribute("href")).path for a in current] == ["/app.html"]
    _sign_out(driver, base)

    sign_in(driver, base, OPS_EMAIL, OPS_PASSWORD, "/admin.html")
    links, signs_out = _nav(driver)
    assert links == NAV["ops"] and signs_out, links
    shoot(driver, "nav-ops-1366")

    # Pages a role may not see send it home, as before.
    driver.get(base + "/search.html")
    wait(driver).until(lambda d: urlparse(d.current_url).path == "/admin.html")


def test_server_validation_error_lands_beside_the_named_field(facet_server, make_driver, shoot):
    """The server names the field in its error body; the form shows the message there (and the
    summary above the form), marks that input invalid and moves the focus to it."""
    base = facet_server.base
    driver = make_driver(1366, 900)

    # A profile field, named as in the JSON: "phone".
    sign_in(driver, base, *verified_buyer(facet_server), "/app.html")
    driver.get(base + "/profile.html")
    nav_ready(driver)
    fill(driver, "#phone", "call me")
    driver.find_element(By.ID, "profile-submit").click()
    error = wait(driver).until(lambda d: d.find_element(By.CSS_SELECTOR, '[data-error-for="phone"]').text.strip())
    assert driver.find_element(By.ID, "profile-alert").is_displayed()
    assert driver.find_element(By.ID, "phone").get_attribute("aria-invalid") == "true"
    assert driver.switch_to.active_element.get_attribute("id") == "phone"
    others = [el.text for el in driver.find_elements(By.CSS_SELECTOR, "#profile-form [data-error-for]")
              if el.get_attribute("data-error-for") != "phone" and el.text.strip()]
    assert not others, f"errors beside other fields too: {others} (phone: {error})"
    shoot(driver, "field-error-profile")
    _sign_out(driver, base)

    # A nested field of the markups document: "perCategory.ring" (200 000 basis points is too many).
    sign_in(driver, base, OPS_EMAIL, OPS_PASSWORD, "/admin.html")
    driver.get(base + "/admin-marketplace.html")  # the markups moved here from the dashboard
    visible(driver, "#markup-ring")
    wait(driver).until(lambda d: d.find_element(By.ID, "markup-global").get_attribute("value") != "")
    fill(driver, "#markup-ring", "2000")
    driver.find_element(By.ID, "markups-save").click()
    wait(driver).until(lambda d: d.find_element(By.CSS_SELECTOR, '[data-error-for="perCategory.ring"]').text.strip())
    assert driver.find_element(By.ID, "markup-ring").get_attribute("aria-invalid") == "true"
    assert driver.find_element(By.ID, "markup-global").get_attribute("aria-invalid") is None
    assert driver.switch_to.active_element.get_attribute("id") == "markup-ring"
    driver.execute_script("document.getElementById('markups-card').scrollIntoView()")
    shoot(driver, "field-error-markups")


def _fake_health(catalog: dict, times: int) -> str:
    """A script run before the page's own: its first `times` GET /api/health answer with `catalog`."""
    return """
(function () {
  const real = window.fetch.bind(window);
  let left = %d;
  window.__healthCalls = 0;
  window.fetch = function (input, init) {
    const url = typeof input === 'string' ? input : input.url;
    if (/\\/api\\/health$/.test(url)) {
      window.__healthCalls += 1;
      if (left > 0) {
        left -= 1;
        const body = {status: 'ok', catalog: %s};
        return Promise.resolve(new Response(JSON.stringify(body), {status: 200, headers: {'Content-Type': 'application/json'}}));
      }
    }
    return real(input, init);
  };
})();
""" % (times, json.dumps(catalog))


def test_catalog_notice_while_loading_then_gone(facet_server, make_driver, shoot):
    base = facet_server.base
    driver = make_driver(1366, 900)
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {
        "source": _fake_health({"ready": False, "indexed": 620, "known": 1000, "percent": 62}, 2)})
    sign_in(driver, base, OPS_EMAIL, OPS_PASSWORD, "/admin.html")
    notice = visible(driver, "#page-notice")
    assert "Catalog still loading (62 %)" in notice.text, notice.text
    shoot(driver, "catalog-notice-admin")
    # Asked again every 3 s; the real server's answer (ready, or no catalog member) removes it.
    wait(driver, 12).until(lambda d: not d.find_element(By.ID, "page-notice").is_displayed())
    assert driver.execute_script("return window.__healthCalls") >= 3

    _sign_out(driver, base)
    sign_in(driver, base, *verified_buyer(facet_server), "/app.html")
    driver.get(base + "/search.html")
    notice = visible(driver, "#page-notice")
    assert "Catalog still loading (62 %)" in notice.text, notice.text
    shoot(driver, "catalog-notice-search")


def test_no_catalog_notice_when_ready(facet_server, make_driver):
    base = facet_server.base
    driver = make_driver(1366, 900)
    sign_in(driver, base, OPS_EMAIL, OPS_PASSWORD, "/admin.html")
    nav_ready(driver)
    time.sleep(0.5)  # the first health answer is in
    assert not driver.find_element(By.ID, "page-notice").is_displayed()
    health = driver.execute_script("return fetch('/api/health').then(r => r.json())")
    if "catalog" in health:
        assert health["catalog"]["ready"] is True, health


def _each_page(driver, base, who, pages, shoot) -> list[str]:
    failures = []
    for page in pages:
        name = f"{who}-{page.strip('/').replace('.html', '').replace('?tab=', '-') or 'index'}"
        driver.set_window_size(1366, 900)
        driver.get(base + page)
        nav_ready(driver)
        time.sleep(0.3)
        shoot(driver, f"page-{name}-1366", full_page=True)
        driver.set_window_size(390, 844)
        time.sleep(0.3)
        width = driver.execute_script("return document.documentElement.scrollWidth")
        if width > 390:
            failures.append(f"{who} {page}: {width}px wide at 390 px: {driver.execute_script(OVERFLOWING)}")
        shoot(driver, f"page-{name}-390", full_page=True)
    return failures


def test_no_sideways_scroll_at_390px(facet_server, make_driver, shoot):
    base = facet_server.base
    driver = make_driver(1366, 900)
    failures = _each_page(driver, base, "visitor", PAGES["visitor"], shoot)
    sign_in(driver, base, *verified_buyer(facet_server), "/app.html")
    failures += _each_page(driver, base, "buyer", PAGES["buyer"], shoot)
    driver.set_window_size(1366, 900)
    _sign_out(driver, base)
    sign_in(driver, base, OPS_EMAIL, OPS_PASSWORD, "/admin.html")
    failures += _each_page(driver, base, "ops", PAGES["ops"], shoot)
    assert not failures, "\n".join(failures)
