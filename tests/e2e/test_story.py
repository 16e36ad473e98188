"""The spine, end to end: sign up → read the outbox → verify → sign in → subscribe →
receive → drop the socket → publish while away → reconnect with `since` → receive
exactly the missed events, in order, once."""

from .schemas import check_rest
from .support import (WS, Client, assert_json, assert_status, assert_user, health, login, mail_snapshot,
                      new_buyer, publish, registration, wait_for_link)


def test_register_verify_login_subscribe_and_resume(server, ops):
    anon = Client(server)
    body = registration(preferredCategories=["ring", "necklace", "bangle"])

    # Register: 201 with an unverified buyer, and a verification mail in the outbox.
    before = mail_snapshot(server)
    user = assert_user(anon.post("/api/auth/register", json=body), 201)
    assert user["email"] == body["email"]
    assert user["role"] == "buyer"
    assert user["verified"] is False
    for key in ("companyName", "businessLicense", "contactName", "phone", "country", "businessType",
                "typicalOrderVolume", "preferredCategories"):
        assert user[key] == body[key], key

    link, token = wait_for_link(server, body["email"], "verify.html", exclude=before)
    assert link.startswith(f"{server.public_url}/verify.html?token=")
    assert len(token) >= 16

    # Verify with the token from the link.
    verified = assert_user(anon.post("/api/auth/verify", json={"token": token}))
    assert verified["id"] == user["id"] and verified["verified"] is True

    # Sign in: session cookie, HttpOnly and SameSite=Lax, Path=/.
    client = Client(server)
    resp = login(client, body["email"], body["password"])
    assert assert_user(resp)["id"] == user["id"]
    set_cookie = resp.headers.get("Set-Cookie", "")
    assert "facet_session=" in set_cookie
    attributes = [part.strip().lower() for part in set_cookie.split(";")]
    assert "httponly" in attributes, set_cookie
    assert "samesite=lax" in attributes, set_cookie
    assert "path=/" in attributes, set_cookie
    me = assert_user(client.get("/api/me"))
    assert me["id"] == user["id"] and me["verified"] is True

    # Open the socket with the cookie and subscribe to the buyer's own topic.
    topic = f"buyer:{user['id']}"
    ws = WS(server, client.session_cookie)
    try:
        subscribed = ws.subscribe(topic)
        assert subscribed["seq"] == 0, "a new buyer's topic has had no events"
        assert health(server)["connections"]["websocket"] >= 1

        # Ops publishes a notice: it arrives as an event with the seq the API returned.
        seq = publish(ops, topic, "Welcome to Facet", "Your account is ready.")
        assert seq == 1
        event = ws.expect("event")
        assert event["topic"] == topic
        assert event["seq"] == seq
        assert event["event"] == "notice"
        assert event["data"] == {"title": "Welcome to Facet", "body": "Your account is ready."}
        ws.expect_silence(0.5)
        last_seen = event["seq"]
    finally:
        ws.close()

    # While away, three more notices.
    missed = [publish(ops, topic, f"While you were away #{i}", f"body {i}") for i in range(3)]
    assert missed == [last_seen + 1, last_seen + 2, last_seen + 3]

    # Reconnect with since: subscribed (current seq), then exactly the three, in order, once.
    ws = WS(server, client.session_cookie)
    try:
        subscribed = ws.subscribe(topic, since=last_seen)
        assert subscribed["seq"] == missed[-1]
        replayed = [ws.expect("event") for _ in missed]
        assert [e["seq"] for e in replayed] == missed
        assert [e["data"]["title"] for e in replayed] == [f"While you were away #{i}" for i in range(3)]
        assert all(e["topic"] == topic and e["event"] == "notice" for e in replayed)
        ws.expect_silence(1.0)

        # Live events continue after the replay, once each.
        live = publish(ops, topic, "Live again", "Back online.")
        event = ws.expect("event")
        assert event["seq"] == live == missed[-1] + 1
        ws.expect_silence(0.5)
    finally:
        ws.close()

    # The notifications list has all five, newest first (broadcasts to all buyers may be
    # mixed in; they carry the topic "buyers").
    resp = client.get("/api/notifications")
    assert_status(resp, 200)
    notifications = assert_json(resp)["notifications"]
    for item in notifications:
        check_rest("Notification", item)
        assert item["topic"] in (topic, "buyers"), item
    notifications = [n for n in notifications if n["topic"] == topic]
    assert [n["seq"] for n in notifications] == [5, 4, 3, 2, 1]
    assert notifications[0]["title"] == "Live again"
    assert (notifications[-1]["title"], notifications[-1]["body"]) == ("Welcome to Facet", "Your account is ready.")


def test_since_zero_replays_everything_and_since_current_replays_nothing(server, ops):
    buyer = new_buyer(server)
    seqs = [publish(ops, buyer.topic, f"n{i}") for i in range(4)]
    ws = WS(server, buyer.cookie)
    try:
        assert ws.subscribe(buyer.topic, since=0)["seq"] == seqs[-1]
        assert [ws.expect("event")["seq"] for _ in seqs] == seqs
        ws.expect_silence(0.5)
        # Resubscribing from the current seq replays nothing and duplicates nothing.
        assert ws.subscribe(buyer.topic, since=seqs[-1])["seq"] == seqs[-1]
        ws.expect_silence(0.5)
        new = publish(ops, buyer.topic, "after resubscribe")
        assert ws.expect("event")["seq"] == new
        ws.expect_silence(0.5)
    finally:
        ws.close()
