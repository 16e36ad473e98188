"""The documents in protocol/ are themselves correct: valid schemas, examples that
validate, references that resolve. These tests need no server."""

import json
import re

import pytest
from jsonschema import Draft202012Validator

from .schemas import (OPENAPI, PROTOCOL, WS_SCHEMAS, check_client_message, check_rest, check_server_message,
                      openapi_document, openapi_validator, ws_schemas, ws_validator)

CLIENT = ["subscribe", "unsubscribe", "ping"]
SERVER = ["subscribed", "unsubscribed", "event", "resync", "error", "pong"]


def test_every_message_has_a_schema():
    names = set(ws_schemas())
    for kind in CLIENT + SERVER:
        assert f"{kind}.schema.json" in names
    assert {"client-message.schema.json", "server-message.schema.json"} <= names


@pytest.mark.parametrize("name", sorted(p.name for p in WS_SCHEMAS.glob("*.schema.json")))
def test_schema_is_valid_draft_2020_12(name):
    schema = ws_schemas()[name]
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].endswith("/" + name)
    Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("kind", CLIENT + SERVER)
def test_examples_validate_against_their_schema_and_the_union(kind):
    schema = ws_schemas()[f"{kind}.schema.json"]
    assert schema.get("examples"), f"{kind} has no examples"
    for example in schema["examples"]:
        assert not list(ws_validator(f"{kind}.schema.json").iter_errors(example))
        (check_client_message if kind in CLIENT else check_server_message)(example)


def test_unions_are_exclusive_by_type():
    for message in ({"type": "pong"}, {"type": "subscribed", "topic": "buyers", "seq": 0}):
        check_server_message(message)
    check_client_message({"type": "subscribe", "topic": "buyers", "since": 0})


@pytest.mark.parametrize("message", [
    {"type": "event", "topic": "buyers", "seq": 0, "event": "notice", "data": {"title": "t", "body": ""},
     "at": "2026-11-25T12:00:00Z"},  # events start at seq 1
    {"type": "event", "topic": "buyers", "seq": 1, "event": "notice", "data": {"body": ""},
     "at": "2026-11-25T12:00:00Z"},  # a notice needs a title
    {"type": "event", "topic": "buyers", "seq": 1, "event": "notice", "data": {"title": "t", "body": ""},
     "at": "yesterday"},
    {"type": "subscribed", "topic": "buyers"},
    {"type": "subscribed", "topic": "not a topic", "seq": 1},
    {"type": "error", "code": "forbidden"},
    {"type": "error", "code": "made_up", "message": "x"},
    {"type": "pong", "extra": 1},
    {"type": "hello"},
    "pong",
])
def test_invalid_server_messages_are_rejected(message):
    with pytest.raises(AssertionError):
        check_server_message(message)


@pytest.mark.parametrize("message", [
    {"type": "subscribe"},
    {"type": "subscribe", "topic": "buyers", "since": -1},
    {"type": "subscribe", "topic": "buyer:" + "x" * 200},
    {"type": "unsubscribe"},
    {"type": "ping", "extra": True},
])
def test_invalid_client_messages_are_rejected(message):
    with pytest.raises(AssertionError):
        check_client_message(message)


def test_websocket_md_describes_every_message_and_links_its_schema():
    text = (PROTOCOL / "websocket.md").read_text(encoding="utf-8")
    for kind in CLIENT + SERVER:
        assert f'"type": "{kind}"' in text or f'"type":"{kind}"' in text, kind
        assert f"schemas/ws/{kind}.schema.json" in text, kind
    for needle in ("1009", "1008", "too slow", "since", "resync", "25 s", "35 s", "64 KiB", "forbidden",
                   "bad_message", "bad_topic", "too_many_subscriptions"):
        assert needle in text, needle


def test_websocket_md_examples_are_valid_messages():
    text = (PROTOCOL / "websocket.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```json\n(.*?)```", text, re.S)
    assert blocks
    checked = 0
    decoder = json.JSONDecoder()
    for block in blocks:
        # A block holds one or more messages, each possibly over several lines.
        position = 0
        while True:
            while position < len(block) and block[position].isspace():
                position += 1
            if position == len(block):
                break
            message, position = decoder.raw_decode(block, position)
            if message["type"] in CLIENT:
                check_client_message(message)
            else:
                check_server_message(message)
            checked += 1
    assert checked >= 8


# ---------------------------------------------------------------- openapi.yaml

def _refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def test_openapi_is_3_1_and_covers_the_contract():
    doc = openapi_document()
    assert doc["openapi"].startswith("3.1")
    expected = {
        "/api/health": {"get"},
        "/api/auth/register": {"post"},
        "/api/auth/verify": {"post"},
        "/api/auth/resend-verification": {"post"},
        "/api/auth/login": {"post"},
        "/api/auth/logout": {"post"},
        "/api/auth/password-reset": {"post"},
        "/api/auth/password-reset/confirm": {"post"},
        "/api/me": {"get", "patch"},
        "/api/me/password": {"post"},
        "/api/notifications": {"get"},
        "/api/admin/notices": {"post"},
        "/api/admin/buyers": {"get"},
    }
    for path, methods in expected.items():
        assert path in doc["paths"], path
        assert methods <= set(doc["paths"][path]), path
    assert {"Error", "User"} <= set(doc["components"]["schemas"])


def test_openapi_refs_resolve():
    doc = openapi_document()
    for ref in set(_refs(doc)):
        assert ref.startswith("#/"), ref
        node = doc
        for part in ref[2:].split("/"):
            assert part in node, f"unresolved {ref}"
            node = node[part]


def test_openapi_component_schemas_are_valid():
    doc = openapi_document()
    for name, schema in doc["components"]["schemas"].items():
        Draft202012Validator.check_schema(schema)
        openapi_validator(name)  # builds with references resolved


def test_openapi_error_responses_use_the_error_shape():
    doc = openapi_document()
    for path, item in doc["paths"].items():
        for method, operation in item.items():
            for status, response in operation["responses"].items():
                if not status.startswith(("4", "5")):
                    continue
                if "$ref" in response:
                    response = doc["components"]["responses"][response["$ref"].rsplit("/", 1)[1]]
                schema = response["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/Error"}, f"{method} {path} {status}"


def test_openapi_examples_validate():
    check_rest("Error", {"error": {"code": "not_found", "message": "No such route."}})
    user = {"id": "u_4fQ9xw2LmT0aZk1B", "email": "maya@aurelia.example", "role": "buyer", "verified": False,
            "companyName": "Aurelia", "businessLicense": "BL-1", "contactName": "Maya", "phone": "+1 415",
            "country": "US", "businessType": "retailer", "typicalOrderVolume": "10k-50k",
            "preferredCategories": ["ring"], "createdAt": "2026-11-25T12:00:00Z"}
    check_rest("User", user)
    with pytest.raises(AssertionError):
        check_rest("User", {**user, "passwordHash": "x"})
    with pytest.raises(AssertionError):
        check_rest("Error", {"error": {"code": "not_found"}})
    health = openapi_document()["paths"]["/api/health"]["get"]["responses"]["200"]["content"]["application/json"]
    check_rest("Health", health["example"])
    assert OPENAPI.exists()
