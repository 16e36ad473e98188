"""Sign-in throttling keyed by (account, client address): growing delays for the guesser,
the owner never locked out, and X-Forwarded-For believed only from the trusted proxy."""

from __future__ import annotations

import time

from .support import Client, assert_error, assert_status, assert_user, login, mail_snapshot, new_buyer, wait_for_link


def _from(server, address: str) -> Client:
    client = Client(server)
    client.headers["X-Forwarded-For"] = address
    return client


def _guess_until_refused(client: Client, email: str) -> int:
    for attempt in range(10):
        resp = login(client, email, f"Wrong-guess-{attempt}x")
        if resp.status_code == 429:
            return int(resp.headers["Retry-After"])
        assert_error(resp, 401, "invalid_credentials")
    raise AssertionError("ten wrong passwords were never slowed")


def test_delays_grow_for_the_guesser(server):
    victim = new_buyer(server, signed_in=False)
    guesser = _from(server, "198.51.100.10")
    first = _guess_until_refused(guesser, victim.email)
    time.sleep(first + 0.2)
    assert_error(login(guesser, victim.email, "Wrong-again-1x"), 401, "invalid_credentials")
    second = login(guesser, victim.email, "Wrong-again-2x")
    assert_error(second, 429, "rate_limited")
    assert int(second.headers["Retry-After"]) > first


def test_the_owner_behind_the_same_address_gets_in_through_the_mailed_link(server):
    victim = new_buyer(server, signed_in=False)
    shared = _from(server, "198.51.100.20")
    _guess_until_refused(shared, victim.email)
    assert_error(login(shared, victim.email, victim.password), 429, "rate_limited")
    before = mail_snapshot(server)
    assert_status(shared.post("/api/auth/password-reset", json={"email": victim.email}), 202)
    _, token = wait_for_link(server, victim.email, "reset.html", exclude=before)
    new_password = "Sapphires2027y"
    assert_status(shared.post("/api/auth/password-reset/confirm", json={"token": token, "password": new_password}), 200)
    assert_user(login(shared, victim.email, new_password))


def test_a_forged_header_from_a_client_is_not_its_address(server):
    # The proxy (here: loopback) appends the real client last; an address the client wrote
    # itself, further left, does not give the guesser a fresh key.
    victim = new_buyer(server, signed_in=False)
    for attempt in range(4):
        forged = _from(server, f"192.0.2.{attempt}, 198.51.100.30")
        assert_error(login(forged, victim.email, f"Wrong-{attempt}-x"), 401, "invalid_credentials")
    assert_error(login(_from(server, "192.0.2.99, 198.51.100.30"), victim.email, "Wrong-5-x"), 429, "rate_limited")
