"""Operations endpoints: notices and the buyers list."""

import pytest

from .schemas import check_rest
from .support import (Client, assert_error, assert_json, assert_status, assert_user, login, mail_snapshot,
                      new_buyer, publish, registration, wait_for_link)


def test_admin_routes_need_a_session(anon):
    assert_error(anon.get("/api/admin/buyers"), 401, "unauthorized")
    assert_error(anon.post("/api/admin/notices", json={"topic": "buyers", "title": "x", "body": "y"}),
                 401, "unauthorized")


def test_buyers_list_for_ops(server, ops):
    buyer = new_buyer(server)
    unverified = new_buyer(server, verified=False)
    resp = ops.get("/api/admin/buyers")
    assert_status(resp, 200)
    body = assert_json(resp)
    for user in body["buyers"]:
        check_rest("User", user)
        assert user["role"] == "buyer"
    by_id = {u["id"]: u for u in body["buyers"]}
    assert by_id[buyer.id]["email"] == buyer.email and by_id[buyer.id]["verified"] is True
    assert by_id[unverified.id]["verified"] is False
    assert all(u["email"] != "ops@example.com" for u in body["buyers"])


def test_notice_sequence_numbers_are_per_topic(server, ops):
    a = new_buyer(server)
    b = new_buyer(server)
    assert [publish(ops, a.topic, "a1"), publish(ops, a.topic, "a2")] == [1, 2]
    assert publish(ops, b.topic, "b1") == 1
    assert publish(ops, a.topic, "a3") == 3


@pytest.mark.parametrize("body", [
    {"title": "no topic", "body": "x"},
    {"topic": "buyers", "body": "no title"},
    {"topic": "buyers", "title": "", "body": "empty title"},
    {"topic": "nonsense", "title": "bad topic", "body": "x"},
    {"topic": "buyer:", "title": "bad topic", "body": "x"},
    {"topic": "buyers", "title": 5, "body": "x"},
    {"topic": "buyers", "title": "t" * 141, "body": "x"},
    {"topic": "buyers", "title": "long body", "body": "x" * 4001},
    {"topic": "admin", "title": "not a buyer topic", "body": "x"},
    {"topic": "search:s_123", "title": "not a buyer topic", "body": "x"},
])
def test_notice_validation(ops, body):
    assert_error(ops.post("/api/admin/notices", json=body), 422, "validation_failed")


def test_notice_to_an_unknown_buyer_is_404(ops):
    assert_error(ops.post("/api/admin/notices", json={"topic": "buyer:u_nobody0000000000", "title": "x", "body": "y"}),
                 404, "not_found")


def test_staff_onboard_a_buyer_who_sets_a_password_by_mail(server, ops):
    profile = registration()
    del profile["password"]
    before = mail_snapshot(server)
    user = assert_user(ops.post("/api/admin/buyers", json=profile), 201)
    assert user["verified"] is True and user["role"] == "buyer" and user["email"] == profile["email"]
    _, token = wait_for_link(server, profile["email"], "reset.html", exclude=before)
    anon = Client(server)
    assert_status(anon.post("/api/auth/password-reset/confirm", json={"token": token, "password": "Welcome-2027-set"}), 200)
    assert assert_user(login(anon, profile["email"], "Welcome-2027-set"))["id"] == user["id"]
    assert_status(anon.get("/api/notifications"), 200)


def test_buyers_cannot_onboard_buyers(server):
    buyer = new_buyer(server)
    profile = registration()
    del profile["password"]
    assert_error(buyer.client.post("/api/admin/buyers", json=profile), 403, "forbidden")


def test_notice_bad_json(ops):
    assert_error(ops.post("/api/admin/notices", data=b'{"topic":', headers={"Content-Type": "application/json"}),
                 400, "bad_json")


def test_notice_to_a_buyer_lands_in_their_notifications(server, ops):
    buyer = new_buyer(server)
    seq = publish(ops, buyer.topic, "Your quote is ready", "200 rings, 18k gold.")
    notifications = [n for n in assert_json(buyer.client.get("/api/notifications"))["notifications"]
                     if n["topic"] == buyer.topic]
    assert notifications[0]["seq"] == seq
    assert (notifications[0]["title"], notifications[0]["body"]) == ("Your quote is ready", "200 rings, 18k gold.")


def test_ops_session_is_not_a_buyer(server, ops):
    me = assert_json(ops.get("/api/me"))["user"]
    assert me["role"] == "ops" and me["verified"] is True
    # Staff routes look at the session, not at anything the client claims.
    assert_error(Client(server).get("/api/admin/buyers", headers={"X-Role": "ops"}), 401, "unauthorized")
