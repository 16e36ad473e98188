"""Registration, verification, sessions, rate limiting, password reset and profile."""

import uuid

import pytest
import websocket

from .support import (GOOD_PASSWORD, REFUSED, Client, assert_error, assert_json, assert_status, assert_user,
                      find_mails, handshake_status, login, mail_snapshot, new_buyer, registration,
                      wait_for_link, ws_connect)

REQUIRED = ["companyName", "businessLicense", "contactName", "email", "password", "phone", "country",
            "businessType", "typicalOrderVolume", "preferredCategories"]


# ---------------------------------------------------------------- registration

def test_duplicate_email_is_409(anon):
    body = registration()
    assert_user(anon.post("/api/auth/register", json=body), 201)
    assert_error(anon.post("/api/auth/register", json=registration(email=body["email"])), 409, "email_taken")
    # Addresses are compared without regard to case.
    assert_error(anon.post("/api/auth/register", json=registration(email=body["email"].upper())),
                 409, "email_taken")


@pytest.mark.parametrize("password", ["Short1abc", "abcdefghijklmn", "12345678901234"])
def test_weak_password_is_422_with_the_rule(anon, password):
    error = assert_error(anon.post("/api/auth/register", json=registration(password=password)),
                         422, "weak_password")
    assert "10" in error["message"], f"the message should state the rule: {error['message']!r}"


@pytest.mark.parametrize("field", REQUIRED)
def test_missing_field_is_422_naming_it(anon, field):
    body = registration()
    del body[field]
    error = assert_error(anon.post("/api/auth/register", json=body), 422, "validation_failed")
    assert field.lower() in error["message"].lower(), f"message should name {field}: {error['message']!r}"


@pytest.mark.parametrize("field,value", [
    ("email", "not-an-email"),
    ("email", 42),
    ("companyName", ""),
    ("contactName", "   "),
    ("businessType", "pirate"),
    ("typicalOrderVolume", "a lot"),
    ("preferredCategories", ["tiara"]),
    ("preferredCategories", "ring"),
])
def test_invalid_field_is_422_naming_it(anon, field, value):
    error = assert_error(anon.post("/api/auth/register", json=registration(**{field: value})),
                         422, "validation_failed")
    assert field.lower() in error["message"].lower(), f"message should name {field}: {error['message']!r}"


def test_registration_body_that_is_not_an_object_is_rejected(anon):
    resp = anon.post("/api/auth/register", json=[1, 2, 3])
    assert_error(resp, resp.status_code, {"validation_failed", "bad_json"})
    assert resp.status_code in (400, 422)


# ---------------------------------------------------------------- verification

def test_verification_token_is_single_use_and_checked(server, anon):
    body = registration()
    before = mail_snapshot(server)
    assert_user(anon.post("/api/auth/register", json=body), 201)
    _, token = wait_for_link(server, body["email"], "verify.html", exclude=before)
    assert_error(anon.post("/api/auth/verify", json={"token": token + "x"}), 400, "invalid_token")
    assert_error(anon.post("/api/auth/verify", json={"token": "nope"}), 400, "invalid_token")
    assert assert_user(anon.post("/api/auth/verify", json={"token": token}))["verified"] is True
    assert_error(anon.post("/api/auth/verify", json={"token": token}), 400, "invalid_token")


def test_unverified_buyer_can_sign_in_but_not_use_buyer_features(server):
    buyer = new_buyer(server, verified=False)
    me = assert_user(buyer.client.get("/api/me"))
    assert me["verified"] is False and me["role"] == "buyer"
    assert_error(buyer.client.get("/api/notifications"), 403, "not_verified")

    # A new verification mail can be requested; its link verifies the account.
    before = mail_snapshot(server)
    resp = buyer.client.post("/api/auth/resend-verification", json={"email": buyer.email})
    assert_status(resp, 202)
    assert assert_json(resp) == {}
    _, token = wait_for_link(server, buyer.email, "verify.html", exclude=before)
    assert assert_user(buyer.client.post("/api/auth/verify", json={"token": token}))["verified"] is True
    assert_status(buyer.client.get("/api/notifications"), 200)


def test_resend_verification_does_not_reveal_accounts(server, anon):
    resp = anon.post("/api/auth/resend-verification", json={"email": f"nobody-{uuid.uuid4().hex}@example.com"})
    assert_status(resp, 202)
    assert assert_json(resp) == {}


# ---------------------------------------------------------------- sessions

def test_wrong_password_and_unknown_email_are_the_same_401(server):
    buyer = new_buyer(server, signed_in=False)
    client = Client(server)
    assert_error(login(client, buyer.email, "Wrong-password-1"), 401, "invalid_credentials")
    assert_error(login(client, f"nobody-{uuid.uuid4().hex}@example.com", GOOD_PASSWORD), 401, "invalid_credentials")
    assert client.session_cookie is None


def test_me_without_session_is_401(anon):
    assert_error(anon.get("/api/me"), 401, "unauthorized")


@pytest.mark.parametrize("cookie", [
    "forged",
    "A" * 43,
    "0" * 64,
    "x" * 1000,
    "../../etc/passwd",
])
def test_forged_cookie_is_401_and_refused_at_the_websocket_handshake(server, cookie):
    client = Client(server)
    assert_error(client.get("/api/me", headers={"Cookie": f"facet_session={cookie}"}), 401, "unauthorized")
    assert handshake_status(server, cookie) in REFUSED


def test_tampered_real_cookie_is_401(server):
    buyer = new_buyer(server)
    real = buyer.cookie
    tampered = real[:-1] + ("A" if real[-1] != "A" else "B")
    assert_error(Client(server).get("/api/me", headers={"Cookie": f"facet_session={tampered}"}),
                 401, "unauthorized")
    assert handshake_status(server, tampered) in REFUSED
    assert handshake_status(server, None) in REFUSED
    assert handshake_status(server, real) == 101


def test_websocket_handshake_without_a_session_answers_401(server):
    """The contract: no cookie → 401, an HTTP answer rather than a dropped connection."""
    assert handshake_status(server, None) == 401
    assert handshake_status(server, "forged") == 401


def test_logout_invalidates_the_session(server):
    buyer = new_buyer(server)
    cookie = buyer.cookie
    assert_status(buyer.client.get("/api/me"), 200)
    resp = buyer.client.post("/api/auth/logout")
    assert_status(resp, 204)
    # The old token is dead on the server, not only forgotten by the client.
    replay = Client(server)
    assert_error(replay.get("/api/me", headers={"Cookie": f"facet_session={cookie}"}), 401, "unauthorized")
    assert handshake_status(server, cookie) in REFUSED
    assert_error(buyer.client.get("/api/me"), 401, "unauthorized")
    # Logging out again is harmless.
    assert_status(Client(server).post("/api/auth/logout"), 204)


def test_wrong_passwords_slow_the_guesser_and_never_lock_out_the_owner(server):
    victim = new_buyer(server, signed_in=False)
    attacker = Client(server)
    attacker.headers["X-Forwarded-For"] = "198.51.100.66"
    for attempt in range(3):
        assert_error(login(attacker, victim.email, f"Guess-{attempt}-wrong"), 401, "invalid_credentials")
    assert_error(login(attacker, victim.email, "Guess-4-wrong"), 401, "invalid_credentials")
    refused = login(attacker, victim.email, "Guess-5-wrong")
    assert_error(refused, 429, "rate_limited")
    assert int(refused.headers["Retry-After"]) >= 1
    # The owner, from their own address, signs in with the right password at once.
    owner = Client(server)
    owner.headers["X-Forwarded-For"] = "203.0.113.7"
    assert_user(login(owner, victim.email, victim.password))


# ---------------------------------------------------------------- passwords

def test_password_reset_by_mail(server):
    buyer = new_buyer(server)
    old_session = buyer.cookie
    anon = Client(server)
    before = mail_snapshot(server)
    resp = anon.post("/api/auth/password-reset", json={"email": buyer.email})
    assert_status(resp, 202)
    assert assert_json(resp) == {}
    link, token = wait_for_link(server, buyer.email, "reset.html", exclude=before)
    assert link.startswith(f"{server.public_url}/reset.html?token=")

    new_password = "Sapphire-2027-new"
    resp = anon.post("/api/auth/password-reset/confirm", json={"token": token, "password": new_password})
    assert_status(resp, 200)
    assert assert_json(resp) == {}
    assert_error(anon.post("/api/auth/password-reset/confirm", json={"token": token, "password": "Another-2028-x"}),
                 400, "invalid_token")

    assert_error(login(Client(server), buyer.email, buyer.password), 401, "invalid_credentials")
    assert_user(login(Client(server), buyer.email, new_password))
    # A reset ends the sessions that existed before it.
    assert_error(Client(server).get("/api/me", headers={"Cookie": f"facet_session={old_session}"}),
                 401, "unauthorized")


def test_password_reset_for_unknown_address_is_202_and_sends_nothing(server, anon):
    address = f"nobody-{uuid.uuid4().hex}@example.com"
    resp = anon.post("/api/auth/password-reset", json={"email": address})
    assert_status(resp, 202)
    assert assert_json(resp) == {}
    assert find_mails(server, address) == []


def test_password_reset_with_bad_token(anon):
    assert_error(anon.post("/api/auth/password-reset/confirm", json={"token": "bogus", "password": "Sapphire-2027-new"}),
                 400, "invalid_token")


def test_change_password_with_the_current_one(server):
    buyer = new_buyer(server)
    assert_error(buyer.client.post("/api/me/password",
                                   json={"currentPassword": "Not-the-password-1", "newPassword": "Emerald-2027-new"}),
                 401, "invalid_credentials")
    assert_error(buyer.client.post("/api/me/password",
                                   json={"currentPassword": buyer.password, "newPassword": "short"}),
                 422, "weak_password")
    resp = buyer.client.post("/api/me/password",
                             json={"currentPassword": buyer.password, "newPassword": "Emerald-2027-new"})
    assert_status(resp, 204)
    assert_user(login(Client(server), buyer.email, "Emerald-2027-new"))


# ---------------------------------------------------------------- profile

def test_profile_patch_round_trip(server):
    buyer = new_buyer(server)
    change = {
        "companyName": "Aurelia & Sons",
        "contactName": "Jon Aurelia",
        "phone": "+44 20 7946 0018",
        "country": "GB",
        "businessType": "wholesaler",
        "typicalOrderVolume": "50k+",
        "preferredCategories": ["necklace", "bracelet", "pendant"],
    }
    updated = assert_user(buyer.client.patch("/api/me", json=change))
    for key, value in change.items():
        assert updated[key] == value, key
    me = assert_user(buyer.client.get("/api/me"))
    for key, value in change.items():
        assert me[key] == value, key
    assert me["email"] == buyer.email and me["id"] == buyer.id

    # A partial update leaves the rest alone.
    again = assert_user(buyer.client.patch("/api/me", json={"phone": "+44 20 7946 0099"}))
    assert again["phone"] == "+44 20 7946 0099"
    assert again["companyName"] == "Aurelia & Sons"


def test_profile_patch_validates(server):
    buyer = new_buyer(server)
    assert_error(buyer.client.patch("/api/me", json={"businessType": "pirate"}), 422, "validation_failed")
    assert_error(buyer.client.patch("/api/me", json={"preferredCategories": ["tiara"]}), 422, "validation_failed")
    assert_error(buyer.client.patch("/api/me", json={"companyName": ""}), 422, "validation_failed")
    assert_error(buyer.client.patch("/api/me", data=b"{not json", headers={"Content-Type": "application/json"}),
                 400, "bad_json")
    assert assert_user(buyer.client.get("/api/me"))["businessType"] == "retailer"


def test_profile_patch_cannot_change_role_email_or_verification(server):
    buyer = new_buyer(server, verified=False)
    resp = buyer.client.patch("/api/me", json={"role": "admin", "email": "boss@example.com", "verified": True,
                                               "id": "u_hijack", "companyName": "Still Me"})
    assert resp.status_code in (200, 422), resp.text
    me = assert_user(buyer.client.get("/api/me"))
    assert me["role"] == "buyer"
    assert me["email"] == buyer.email
    assert me["verified"] is False
    assert me["id"] == buyer.id


def test_profile_needs_a_session(anon):
    assert_error(anon.patch("/api/me", json={"phone": "1"}), 401, "unauthorized")
    assert_error(anon.post("/api/me/password", json={"currentPassword": "a", "newPassword": "b"}),
                 401, "unauthorized")


def test_websocket_handshake_from_another_origin_is_refused(server):
    buyer = new_buyer(server)
    try:
        ws = ws_connect(server, buyer.cookie, origin="http://evil.example.com")
    except websocket.WebSocketBadStatusException as exc:
        assert exc.status_code == 403
    else:
        ws.close()
        raise AssertionError("a WebSocket handshake with a foreign Origin was accepted")
    assert handshake_status(server, buyer.cookie) == 101
