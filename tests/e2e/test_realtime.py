"""The WebSocket channel: authorization per topic, bad input, limits, fan-out,
unsubscribe, slow consumers, keepalive and replay limits. Every server message is
validated against protocol/schemas/ws by the WS helper."""

import base64
import json
import os
import socket
import threading
import time

import pytest
import websocket

from .support import (WS, Closed, assert_error, assert_json, assert_status, health, new_buyer, publish,
                      wait_until)


def expect_error(ws: WS, code, topic=None) -> dict:
    message = ws.expect("error")
    codes = {code} if isinstance(code, str) else code
    assert message["code"] in codes, message
    assert message["message"]
    if topic is not None:
        assert message.get("topic", topic) == topic, message
    return message


# ---------------------------------------------------------------- authorization

def test_buyer_cannot_subscribe_to_another_buyers_topic(server, ops):
    a = new_buyer(server)
    b = new_buyer(server)
    ws = WS(server, a.cookie)
    try:
        ws.send({"type": "subscribe", "topic": b.topic})
        expect_error(ws, "forbidden", b.topic)
        # Refusal is a message, not a disconnect.
        ws.ping()
        # Nothing of B's reaches A, and A's own subscription still works.
        ws.subscribe(a.topic)
        publish(ops, b.topic, "for B only")
        ws.expect_silence(0.7)
        seq = publish(ops, a.topic, "for A")
        event = ws.expect("event")
        assert event["topic"] == a.topic and event["seq"] == seq
    finally:
        ws.close()


def test_buyer_cannot_read_another_buyers_data(server, ops):
    a = new_buyer(server)
    b = new_buyer(server)
    publish(ops, b.topic, "Private to B", "secret terms")
    mine = assert_json(a.client.get("/api/notifications"))["notifications"]
    assert all(n["title"] != "Private to B" and n["topic"] in (a.topic, "buyers") for n in mine), mine
    theirs = assert_json(b.client.get("/api/notifications"))["notifications"]
    assert [n["title"] for n in theirs if n["topic"] == b.topic] == ["Private to B"]
    assert assert_json(a.client.get("/api/me"))["user"]["id"] == a.id
    # Buyers have no access to staff routes that list other accounts.
    assert_error(a.client.get("/api/admin/buyers"), 403, "forbidden")
    assert_error(a.client.post("/api/admin/notices", json={"topic": b.topic, "title": "x", "body": "y"}),
                 403, "forbidden")


@pytest.mark.parametrize("topic", ["admin", "search:s_notmine000000001", "quote:q_notmine000000001",
                                   "order:o_notmine000000001", "buyer:u_doesnotexist0001"])
def test_buyer_cannot_subscribe_to_staff_or_foreign_topics(server, topic):
    buyer = new_buyer(server)
    ws = WS(server, buyer.cookie)
    try:
        ws.send({"type": "subscribe", "topic": topic})
        expect_error(ws, "forbidden", topic)
        ws.ping()
    finally:
        ws.close()


def test_unverified_buyer_may_connect_but_not_subscribe(server):
    buyer = new_buyer(server, verified=False)
    ws = WS(server, buyer.cookie)
    try:
        for topic in (buyer.topic, "buyers"):
            ws.send({"type": "subscribe", "topic": topic})
            expect_error(ws, "forbidden", topic)
        ws.ping()
    finally:
        ws.close()


def test_ops_may_subscribe_to_any_topic(server, ops):
    buyer = new_buyer(server)
    ws = WS(server, ops.session_cookie)
    try:
        for topic in ("admin", "buyers", buyer.topic, "search:s_anything000000001", "order:o_anything000000001"):
            ws.subscribe(topic)
        seq = publish(ops, buyer.topic, "ops watches too")
        events = {m["topic"]: m for m in (ws.expect("event"), ws.expect("event"))}
        assert events[buyer.topic]["seq"] == seq
        # Every notice is also announced on the admin feed.
        assert events["admin"]["event"] == "notice.sent"
        assert events["admin"]["data"]["topic"] == buyer.topic
        assert events["admin"]["data"]["title"] == "ops watches too"
    finally:
        ws.close()


# ---------------------------------------------------------------- fan-out

def test_buyers_broadcast_reaches_every_verified_buyer_once(server, ops):
    buyers = [new_buyer(server) for _ in range(3)]
    sockets = [WS(server, b.cookie) for b in buyers]
    second_tab = WS(server, buyers[0].cookie)
    try:
        for ws in sockets + [second_tab]:
            ws.subscribe("buyers")
        seq = publish(ops, "buyers", "Price update", "Gold prices changed.")
        for ws in sockets + [second_tab]:
            event = ws.expect("event")
            assert (event["topic"], event["seq"], event["event"]) == ("buyers", seq, "notice")
            assert event["data"] == {"title": "Price update", "body": "Gold prices changed."}
        for ws in sockets + [second_tab]:
            ws.expect_silence(0.3)
    finally:
        for ws in sockets + [second_tab]:
            ws.close()


def test_one_socket_many_topics(server, ops):
    buyer = new_buyer(server)
    ws = WS(server, buyer.cookie)
    try:
        ws.subscribe(buyer.topic)
        ws.subscribe("buyers")
        own = publish(ops, buyer.topic, "own")
        broadcast = publish(ops, "buyers", "all")
        got = {(m["topic"], m["seq"]) for m in (ws.expect("event"), ws.expect("event"))}
        assert got == {(buyer.topic, own), ("buyers", broadcast)}
    finally:
        ws.close()


def test_unsubscribe_stops_events(server, ops):
    buyer = new_buyer(server)
    ws = WS(server, buyer.cookie)
    try:
        ws.subscribe(buyer.topic)
        publish(ops, buyer.topic, "before")
        ws.expect("event")
        ws.send({"type": "unsubscribe", "topic": buyer.topic})
        assert ws.expect("unsubscribed")["topic"] == buyer.topic
        publish(ops, buyer.topic, "after")
        ws.expect_silence(0.7)
        # Unsubscribing again is not an error.
        ws.send({"type": "unsubscribe", "topic": buyer.topic})
        assert ws.expect("unsubscribed")["topic"] == buyer.topic
        ws.ping()
    finally:
        ws.close()


def test_since_ahead_of_the_topic_gets_resync(server, ops):
    buyer = new_buyer(server)
    publish(ops, buyer.topic, "only one")
    ws = WS(server, buyer.cookie)
    try:
        assert ws.subscribe(buyer.topic, since=500)["seq"] == 1
        message = ws.expect("resync")
        assert (message["topic"], message["seq"]) == (buyer.topic, 1)
        live = publish(ops, buyer.topic, "live")
        assert ws.expect("event")["seq"] == live == 2
    finally:
        ws.close()


@pytest.mark.parametrize("since", [0, 1, 2, 3])
def test_since_accepts_every_non_negative_integer(server, ops, since):
    buyer = new_buyer(server)
    seqs = [publish(ops, buyer.topic, f"n{i}") for i in range(3)]
    ws = WS(server, buyer.cookie)
    try:
        assert ws.subscribe(buyer.topic, since=since)["seq"] == 3
        assert [ws.expect("event")["seq"] for s in seqs if s > since] == [s for s in seqs if s > since]
        ws.expect_silence(0.5)
    finally:
        ws.close()


def test_resubscribing_does_not_duplicate_live_events(server, ops):
    buyer = new_buyer(server)
    ws = WS(server, buyer.cookie)
    try:
        ws.subscribe(buyer.topic)
        ws.subscribe(buyer.topic)
        seq = publish(ops, buyer.topic, "once")
        assert ws.expect("event")["seq"] == seq
        ws.expect_silence(0.7)
    finally:
        ws.close()


def test_health_counts_websocket_connections(server):
    buyer = new_buyer(server)
    before = health(server)["connections"]["websocket"]
    sockets = [WS(server, buyer.cookie) for _ in range(3)]
    try:
        wait_until(lambda: health(server)["connections"]["websocket"] >= before + 3, 5, message="count +3")
    finally:
        for ws in sockets:
            ws.close()
    wait_until(lambda: health(server)["connections"]["websocket"] <= before, 5, message="count back")


# ---------------------------------------------------------------- bad input

@pytest.mark.parametrize("raw,codes", [
    ("this is not json", "bad_message"),
    ('{"type": "subscribe", "topic": ', "bad_message"),
    ("[1, 2, 3]", "bad_message"),
    ('"subscribe"', "bad_message"),
    ('{"type": "dance"}', "bad_message"),
    ('{"topic": "buyers"}', "bad_message"),
    ('{"type": "subscribe"}', "bad_message"),
    ('{"type": "subscribe", "topic": 7}', "bad_message"),
    ('{"type": "subscribe", "topic": "buyers", "since": -1}', "bad_message"),
    ('{"type": "subscribe", "topic": "buyers", "since": "12"}', "bad_message"),
    ('{"type": "subscribe", "topic": "buyers", "since": 1.5}', "bad_message"),
    ('{"type": "subscribe", "topic": "buyers", "since": true}', "bad_message"),
    ('{"type": "unsubscribe"}', "bad_message"),
    ('{"type": "subscribe", "topic": "nonsense"}', "bad_topic"),
    ('{"type": "subscribe", "topic": "buyer:"}', "bad_topic"),
    ('{"type": "subscribe", "topic": "buyer:a b"}', "bad_topic"),
    ('{"type": "subscribe", "topic": "Buyers"}', "bad_topic"),
    ('{"type": "subscribe", "topic": "buyer:' + "x" * 200 + '"}', "bad_topic"),
])
def test_bad_client_messages_get_an_error_and_the_socket_stays_open(server, raw, codes):
    buyer = new_buyer(server)
    ws = WS(server, buyer.cookie)
    try:
        ws.send_raw(raw)
        expect_error(ws, codes)
        ws.ping()
        ws.subscribe(buyer.topic)
    finally:
        ws.close()


def _close_code(ws: WS, timeout: float = 10) -> int | None:
    """Read until the server closes; return its close code (None: closed without a close frame)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            ws.recv(max(0.1, deadline - time.monotonic()))
        except Closed as closed:
            return closed.code
        except (websocket.WebSocketConnectionClosedException, ConnectionResetError, BrokenPipeError):
            return None
        except websocket.WebSocketTimeoutException:
            break
    raise AssertionError("the server did not close the connection")


def test_message_over_64_kib_is_closed_with_1009(server, ops):
    buyer = new_buyer(server)
    bystander = WS(server, buyer.cookie)
    ws = WS(server, buyer.cookie)
    try:
        bystander.subscribe(buyer.topic)
        big = json.dumps({"type": "ping", "pad": "x" * (70 * 1024)})
        try:
            ws.send_raw(big)
        except (BrokenPipeError, ConnectionResetError, websocket.WebSocketConnectionClosedException):
            pass
        assert _close_code(ws) == 1009
        # Everyone else keeps being served.
        bystander.ping()
        seq = publish(ops, buyer.topic, "still here")
        assert bystander.expect("event")["seq"] == seq
    finally:
        ws.close()
        bystander.close()


def test_fragmented_message_over_64_kib_is_closed_with_1009(server):
    buyer = new_buyer(server)
    ws = WS(server, buyer.cookie)
    try:
        piece = b"x" * (30 * 1024)
        frames = [websocket.ABNF.create_frame(b'{"type":"ping","pad":"' + piece, websocket.ABNF.OPCODE_TEXT, 0),
                  websocket.ABNF.create_frame(piece, websocket.ABNF.OPCODE_CONT, 0),
                  websocket.ABNF.create_frame(piece + b'"}', websocket.ABNF.OPCODE_CONT, 1)]
        try:
            for frame in frames:
                ws.ws.send_frame(frame)
        except (BrokenPipeError, ConnectionResetError, websocket.WebSocketConnectionClosedException):
            pass
        assert _close_code(ws) == 1009
    finally:
        ws.close()


def test_message_under_the_limit_is_served(server):
    buyer = new_buyer(server)
    ws = WS(server, buyer.cookie)
    try:
        ws.send_raw(json.dumps({"type": "ping", "pad": "x" * (60 * 1024)}))
        reply = ws.recv()
        assert reply["type"] in ("pong", "error"), reply
        ws.ping()
    finally:
        ws.close()


def test_binary_frame_gets_bad_message(server):
    buyer = new_buyer(server)
    ws = WS(server, buyer.cookie)
    try:
        ws.ws.send_binary(b"\x00\x01\x02")
        expect_error(ws, "bad_message")
        ws.ping()
    finally:
        ws.close()


# ---------------------------------------------------------------- slow consumers, replay limit, keepalive

@pytest.mark.slow
def test_slow_consumer_is_disconnected_and_does_not_block_others(server, ops):
    buyer = new_buyer(server)
    # A consumer that never reads, with a tiny receive buffer.
    slow = WS(server, buyer.cookie, connect_kwargs={"sockopt": ((socket.SOL_SOCKET, socket.SO_RCVBUF, 4096),)})
    fast = WS(server, ops.session_cookie)
    slow.subscribe(buyer.topic)
    fast.subscribe(buyer.topic)
    received: list[int] = []
    failure: list[BaseException] = []

    def read_fast():
        try:
            while True:
                message = fast.recv(30)
                if message["type"] == "event":
                    received.append(message["seq"])
        except (Closed, websocket.WebSocketTimeoutException, websocket.WebSocketConnectionClosedException, OSError):
            pass
        except BaseException as exc:  # a schema violation, for instance
            failure.append(exc)

    reader = threading.Thread(target=read_fast, daemon=True)
    reader.start()
    try:
        # Let connections of earlier tests finish closing, so that a drop below the
        # baseline can only be the slow consumer.
        baseline = health(server)["connections"]["websocket"]
        for _ in range(20):
            time.sleep(0.25)
            now = health(server)["connections"]["websocket"]
            if now == baseline:
                break
            baseline = now
        body = "x" * 3900
        resp = ops.post("/api/admin/notices", json={"topic": buyer.topic, "title": "probe", "body": body})
        if resp.status_code == 422:  # the server caps notice bodies: use more, smaller notices
            body = "x" * 900
            resp = ops.post("/api/admin/notices", json={"topic": buyer.topic, "title": "probe", "body": body})
        assert_status(resp, 202)
        published = [resp.json()["seq"]]
        cut = False
        started = time.monotonic()
        while len(published) < 6000 and time.monotonic() - started < 240:
            for _ in range(100):
                published.append(publish(ops, buyer.topic, "flood", body))
            if health(server)["connections"]["websocket"] < baseline:
                cut = True
                break
        assert cut, (f"the server still held the non-reading connection after {len(published)} events "
                     f"of {len(body)} bytes: the per-connection queue is not bounded")
        # The fast consumer got every event, in order, while the slow one was stuck.
        wait_until(lambda: len(received) >= len(published) or failure, 60, message="fast consumer to catch up")
        assert not failure, failure[0]
        assert received == published
        # The slow consumer sees some events and then the end: a 1008 close frame when the
        # server could still deliver one, otherwise a dropped connection.
        count = 0
        code = "open"
        slow.ws.settimeout(10)
        try:
            while True:
                message = slow.recv(10)
                assert message["type"] == "event", message
                count += 1
        except Closed as closed:
            code = closed.code
            assert closed.code == 1008, f"slow consumer closed with {closed.code} {closed.reason!r}"
            assert "slow" in closed.reason.lower(), closed.reason
        except (websocket.WebSocketConnectionClosedException, ConnectionResetError, BrokenPipeError):
            code = None
        assert code != "open"
        assert count < len(published), "the slow consumer was sent everything: nothing was dropped"
    finally:
        slow.close()
        fast.close()
        reader.join(5)


@pytest.mark.slow
def test_since_older_than_the_replay_limit_gets_resync(server, ops):
    buyer = new_buyer(server)
    seqs = [publish(ops, buyer.topic, f"n{i}") for i in range(1003)]
    ws = WS(server, buyer.cookie)
    try:
        # 1001 events missed: more than the server replays.
        assert ws.subscribe(buyer.topic, since=2)["seq"] == seqs[-1]
        message = ws.expect("resync")
        assert message["topic"] == buyer.topic and message["seq"] == seqs[-1] and message["message"]
        # Live events continue after a resync.
        live = publish(ops, buyer.topic, "live")
        assert ws.expect("event")["seq"] == live
        # A cursor within the limit still replays exactly.
        ws2 = WS(server, buyer.cookie)
        try:
            ws2.subscribe(buyer.topic, since=live - 3)
            assert [ws2.expect("event")["seq"] for _ in range(3)] == [live - 2, live - 1, live]
            ws2.expect_silence(0.5)
        finally:
            ws2.close()
    finally:
        ws.close()


def _raw_websocket(server, cookie: str) -> socket.socket:
    """Complete a WebSocket handshake by hand and return the socket; it will never answer pings."""
    sock = socket.create_connection((server.host, server.port), timeout=10)
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall((f"GET /ws HTTP/1.1\r\nHost: {server.host}:{server.port}\r\nUpgrade: websocket\r\n"
                  f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
                  f"Origin: {server.base}\r\nCookie: facet_session={cookie}\r\n\r\n").encode())
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = sock.recv(4096)
        assert chunk, "handshake closed"
        head += chunk
    assert head.startswith(b"HTTP/1.1 101"), head[:200]
    return sock


@pytest.mark.slow
def test_keepalive_pings_live_peers_and_drops_silent_ones(server):
    buyer = new_buyer(server)
    silent = _raw_websocket(server, buyer.cookie)
    silent_result: dict = {}

    def watch_silent():
        started = time.monotonic()
        silent.settimeout(70)
        try:
            while True:
                if not silent.recv(4096):  # frames (pings) are read and ignored, never answered
                    break
        except (ConnectionResetError, socket.timeout, OSError) as exc:
            silent_result["error"] = repr(exc)
        silent_result["after"] = time.monotonic() - started

    watcher = threading.Thread(target=watch_silent, daemon=True)
    watcher.start()

    live = WS(server, buyer.cookie)
    try:
        started = time.monotonic()
        first_ping = None
        live.ws.settimeout(40)
        while time.monotonic() - started < 45:
            live.ws.settimeout(max(0.5, 45 - (time.monotonic() - started)))
            try:
                opcode, _ = live.ws.recv_data_frame(True)  # answers pings itself
            except websocket.WebSocketTimeoutException:
                break
            if opcode == websocket.ABNF.OPCODE_PING and first_ping is None:
                first_ping = time.monotonic() - started
            assert opcode != websocket.ABNF.OPCODE_CLOSE, "the server closed a peer that answers pings"
        assert first_ping is not None, "no ping from the server within 45 s"
        assert first_ping <= 32, f"first ping after {first_ping:.1f}s (expected about 25 s)"
        live.ping()  # a peer that answers pings is kept past the 35 s limit
    finally:
        live.close()

    watcher.join(40)
    assert "after" in silent_result, "the silent peer was still connected after 70 s"
    assert silent_result["after"] <= 50, f"the silent peer was dropped only after {silent_result['after']:.1f}s"
    assert silent_result["after"] >= 20, f"the silent peer was dropped too early ({silent_result['after']:.1f}s)"
    silent.close()
