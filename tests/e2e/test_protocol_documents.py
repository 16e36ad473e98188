"""The documents in protocol/ are themselves correct: valid schemas, examples that
validate, references that resolve. These tests need no server."""

import json
import re

import pytest
from jsonschema import Draft202012Validator

from .schemas import (OPENAPI, OPENAPI_ID, PROTOCOL, WS_SCHEMAS, _validator, check_client_message, check_rest,
                      check_server_message, openapi_document, openapi_validator, ws_schemas, ws_validator)

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


# ------------------------------------------------- openapi.yaml: the restructured server

ACCESS_LEVELS = {"everyone", "signedIn", "verifiedBuyer", "verifiedOrStaff", "staff"}
METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}


def _operations():
    for path, item in openapi_document()["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield path, method, operation


def _pointer(*parts: str) -> str:
    return "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def _check_at(pointer: str, instance) -> None:
    """Validates against the schema at a JSON pointer into openapi.yaml, references resolved."""
    validator = _validator({"$ref": f"{OPENAPI_ID}#/{pointer}"})
    errors = list(validator.iter_errors(instance))
    assert not errors, f"{pointer}: " + "; ".join(e.message for e in errors)


def test_error_shape_has_an_optional_field():
    error = openapi_document()["components"]["schemas"]["Error"]["properties"]["error"]
    assert "field" in error["properties"] and "field" not in error["required"]
    check_rest("Error", {"error": {"code": "validation_failed", "message": "Too high.", "field": "maxPrice"}})
    check_rest("Error", {"error": {"code": "validation_failed", "message": "x", "field": "perCategory.ring"}})
    check_rest("Error", {"error": {"code": "not_found", "message": "No route for /x."}})
    for bad in ({"code": "validation_failed", "message": "x", "field": 3},
                {"code": "validation_failed", "message": "x", "field": ""},
                {"code": "validation_failed", "message": "x", "fields": "maxPrice"}):
        with pytest.raises(AssertionError):
            check_rest("Error", {"error": bad})


def test_health_has_catalog_readiness():
    check_rest("Health", {"status": "ok", "version": "0.1.0", "uptimeSeconds": 1, "connections": {"websocket": 0},
                          "memory": {"rssBytes": 1}})  # a server without search
    base = {"status": "ok", "version": "0.1.0", "uptimeSeconds": 1, "connections": {"websocket": 0},
            "memory": {"rssBytes": 1}}
    check_rest("Health", {**base, "catalog": {"ready": True, "indexed": 0, "known": 0, "percent": 100}})
    check_rest("Health", {**base, "catalog": None})
    for bad in ({"ready": True, "indexed": 1, "known": 2}, {"ready": "yes", "indexed": 1, "known": 2, "percent": 50},
                {"ready": False, "indexed": 1, "known": 2, "percent": 101}):
        with pytest.raises(AssertionError):
            check_rest("Health", {**base, "catalog": bad})
    example = openapi_document()["paths"]["/api/health"]["get"]["responses"]["200"]["content"]["application/json"]["example"]
    assert "catalog" in example
    index = openapi_document()["components"]["schemas"]["SearchIndexStatus"]
    assert index["properties"]["readiness"] == {"$ref": "#/components/schemas/CatalogReadiness"}
    assert index["properties"]["exactThreshold"]["default"] == 95


def test_every_operation_states_who_may_call_it():
    for path, method, operation in _operations():
        where = f"{method.upper()} {path}"
        access = operation.get("x-access")
        assert access in ACCESS_LEVELS, f"{where}: x-access {access!r}"
        security = operation.get("security")
        if access == "everyone":
            assert security in (None, []), where
        else:
            assert security == [{"sessionCookie": []}], where
            assert "401" in operation["responses"], where
        if path.startswith("/api/admin/"):
            assert access == "staff", where
            assert "403" in operation["responses"], where
    ops = {(p, m): o["x-access"] for p, m, o in _operations()}
    assert ops[("/api/offers/{id}", "get")] == "verifiedOrStaff"
    assert ops[("/api/searches", "post")] == "verifiedBuyer"
    assert ops[("/api/categories", "get")] == "everyone"


def test_method_not_allowed_is_documented_with_allow():
    doc = openapi_document()
    response = doc["components"]["responses"]["MethodNotAllowed"]
    assert response["headers"]["Allow"]["required"] is True
    assert response["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
    assert "Allow" in doc["info"]["description"] and "method_not_allowed" in doc["info"]["description"]
    _check_at(_pointer("components", "responses", "MethodNotAllowed", "content", "application/json", "schema"),
              response["content"]["application/json"]["example"])


def test_categories_route_lists_every_category():
    doc = openapi_document()
    content = doc["paths"]["/api/categories"]["get"]["responses"]["200"]["content"]["application/json"]
    categories = content["example"]["categories"]
    assert [c["id"] for c in categories] == doc["components"]["schemas"]["Category"]["enum"]
    assert {"id": "other", "label": "Other", "plural": "Other pieces"} in categories
    assert {"id": "ring", "label": "Ring", "plural": "Rings"} in categories


def test_markups_and_marketplace_settings_after_the_move():
    schemas = openapi_document()["components"]["schemas"]
    assert "marketplace" in schemas["Markups"]["required"]
    assert "markupBasisPoints" not in schemas["MarketplaceSettings"]["properties"]
    assert "markupBasisPoints" not in schemas["MarketplaceSettingsPatch"]["properties"]
    scope = {"global": 3000, "perCategory": {"ring": 2500}, "effective": {"ring": 2500, "other": 3000}}
    check_rest("Markups", {**scope, "marketplace": {**scope, "perCategory": {}}, "rounding": "…"})
    with pytest.raises(AssertionError):
        check_rest("Markups", {**scope, "rounding": "…"})
    for name in ("global", "ring", "marketplace", "marketplace:ring"):
        check_rest("MarkupChange", {"id": 1, "scope": name, "oldBasisPoints": None, "newBasisPoints": 100,
                                    "actorId": "u_1", "actorEmail": "ops@facet.example", "at": "2026-11-25T12:00:00Z"})
    put = openapi_document()["paths"]["/api/admin/markups"]["put"]["requestBody"]["content"]["application/json"]
    assert "marketplace" in put["schema"]["properties"]


def test_prices_beside_the_source_and_limits():
    doc = openapi_document()
    schemas = doc["components"]["schemas"]
    origin = schemas["OfferOrigin"]["properties"]
    assert {"listedPrice", "buyerPrice"} <= set(origin)
    listing = doc["paths"]["/api/admin/marketplace/listings"]["get"]
    items = listing["responses"]["200"]["content"]["application/json"]["schema"]["properties"]["listings"]["items"]
    assert items == {"$ref": "#/components/schemas/PricedMarketplaceListing"}
    limits = {(path, p["name"]): p["schema"] for path, method, op in _operations() for p in op.get("parameters", [])
              if p["in"] == "query" and method == "get"}
    assert limits[("/api/admin/marketplace/listings", "limit")]["maximum"] == 1000
    assert limits[("/api/admin/marketplace/audit", "limit")]["maximum"] == 1000
    assert limits[("/api/admin/catalog", "limit")]["maximum"] == 1000
    assert limits[("/api/searches", "limit")]["maximum"] == 200
    for path in ("/api/admin/marketplace/listings", "/api/admin/marketplace/audit", "/api/admin/catalog", "/api/searches"):
        assert "422" in doc["paths"][path]["get"]["responses"], path
    trial = doc["paths"]["/api/admin/marketplace/search"]["post"]["requestBody"]["content"]["application/json"]
    assert trial["schema"]["properties"]["maxPrice"]["maximum"] == 1_000_000_000_000


def test_every_example_in_openapi_validates():
    doc = openapi_document()
    checked = 0
    for path, method, operation in _operations():
        bodies = [("requestBody",)] if "requestBody" in operation else []
        bodies += [("responses", status) for status in operation["responses"]]
        for where in bodies:
            node = operation
            for part in where:
                node = node[part]
            if "$ref" in node:
                continue  # shared responses are checked below
            media = node.get("content", {}).get("application/json")
            if not media or "schema" not in media:
                continue
            base = _pointer("paths", path, method, *where, "content", "application/json")
            examples = ([media["example"]] if "example" in media else []) + \
                [e["value"] for e in media.get("examples", {}).values()]
            for example in examples:
                _check_at(base + "/schema", example)
                checked += 1
    for name, response in doc["components"]["responses"].items():
        media = response.get("content", {}).get("application/json", {})
        if "example" in media:
            _check_at(_pointer("components", "responses", name, "content", "application/json", "schema"), media["example"])
            checked += 1
    for name, schema in doc["components"]["schemas"].items():
        for example in schema.get("examples", []):
            check_rest(name, example)
            checked += 1
    assert checked >= 20
