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

ACCESS_LEVELS = {"everyone", "signedIn", "verifiedBuyer", "verifiedOrStaff", "staff", "admin"}
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
            # Staff accounts are the admins' alone; everything else under /api/admin is for all staff.
            assert access == ("admin" if path.startswith("/api/admin/staff") else "staff"), where
            assert "403" in operation["responses"], where
    ops = {(p, m): o["x-access"] for p, m, o in _operations()}
    assert ops[("/api/offers/{id}", "get")] == "verifiedOrStaff"
    assert ops[("/api/searches", "post")] == "verifiedBuyer"
    assert ops[("/api/categories", "get")] == "everyone"
    assert ops[("/api/admin/staff", "post")] == "admin"


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


# ------------------------------------------------- the buyer workspace (cart, wishlist, saved searches)

WORKSPACE_ACCESS = {
    ("/api/cart", "get"): "verifiedBuyer",
    ("/api/cart/lines", "post"): "verifiedBuyer",
    ("/api/cart/lines/{id}", "patch"): "verifiedBuyer",
    ("/api/cart/lines/{id}", "delete"): "verifiedBuyer",
    ("/api/cart/lines/{id}/save-for-later", "post"): "verifiedBuyer",
    ("/api/wishlist", "get"): "verifiedBuyer",
    ("/api/wishlist/items", "post"): "verifiedBuyer",
    ("/api/wishlist/items/{id}", "delete"): "verifiedBuyer",
    ("/api/wishlist/items/{id}/move-to-cart", "post"): "verifiedBuyer",
    ("/api/saved-searches", "post"): "verifiedBuyer",
    ("/api/saved-searches", "get"): "verifiedBuyer",
    ("/api/saved-searches/{id}", "patch"): "verifiedBuyer",
    ("/api/saved-searches/{id}", "delete"): "verifiedBuyer",
    ("/api/searches/{id}/again", "post"): "verifiedBuyer",
    ("/api/searches/{id}/results", "get"): "signedIn",
}

ROUTE_CALL = re.compile(r'\.(get|post|put|patch|delete)\("(/[^"]*)"')


def _documented_operations() -> set[str]:
    """The line-based reading of Tests/FacetServerTests/RouteDocumentTests.swift: `paths:` entries
    are two-space keys, their operations four-space keys."""
    operations, in_paths, path = set(), False, None
    for line in OPENAPI.read_text(encoding="utf-8").split("\n"):
        if line.startswith("paths:"):
            in_paths = True
            continue
        if in_paths and line and line[0] not in " #":
            in_paths = False
        if not in_paths:
            continue
        if line.startswith("  /") and line.endswith(":"):
            path = line[2:-1]
            continue
        method = line.strip()[:-1]
        if line.startswith("    ") and not line.startswith("     ") and line.endswith(":") \
                and method in {"get", "post", "put", "patch", "delete"} and path:
            operations.add(f"{method.upper()} {path}")
    return operations


def _routed_operations() -> set[str]:
    """Routes registered as `<access>.<method>("/path", …)` in Sources/FacetServer."""
    routed = set()
    for source in (PROTOCOL.parent / "Sources" / "FacetServer").rglob("*.swift"):
        for method, pattern in ROUTE_CALL.findall(source.read_text(encoding="utf-8")):
            path = "/".join("{" + part[1:] + "}" if part.startswith(":") else part for part in pattern.split("/"))
            routed.add(f"{method.upper()} {path}")
    return routed


def test_routes_in_the_sources_and_the_document_agree_line_by_line():
    sources = PROTOCOL.parent / "Sources" / "FacetServer"
    if not sources.is_dir():
        pytest.skip("no server sources next to protocol/")
    documented, routed = _documented_operations(), _routed_operations()
    assert routed
    assert sorted(routed - documented) == [], "routed but not in protocol/openapi.yaml"
    assert sorted(documented - routed) == [], "documented but not routed"
    # The layout the Swift test reads is the layout YAML reads.
    assert documented == {f"{m.upper()} {p}" for p, m, _ in _operations() if m in {"get", "post", "put", "patch", "delete"}}


def test_workspace_routes_are_documented_with_their_access():
    ops = {(p, m): o for p, m, o in _operations()}
    for (path, method), access in WORKSPACE_ACCESS.items():
        operation = ops[(path, method)]
        assert operation["x-access"] == access, (path, method)
        responses = operation["responses"]
        assert "401" in responses, (path, method)
        if access == "verifiedBuyer":
            assert "403" in responses, (path, method)
        if "{id}" in path:
            assert "404" in responses, (path, method)
    for path, method in [("/api/cart/lines", "post"), ("/api/wishlist/items", "post")]:
        responses = ops[(path, method)]["responses"]
        assert {"200", "201", "404", "409", "422"} <= set(responses), path
        assert "offer_unavailable" in responses["409"]["description"]
        assert "offerId" in responses["404"]["description"]
    for path, method in [("/api/cart/lines/{id}", "delete"), ("/api/wishlist/items/{id}", "delete"),
                         ("/api/saved-searches/{id}", "delete")]:
        assert "204" in ops[(path, method)]["responses"]
    assert "202" in ops[("/api/searches/{id}/again", "post")]["responses"]
    codes = openapi_document()["components"]["schemas"]["Error"]["properties"]["error"]["properties"]["code"]["enum"]
    assert {"offer_unavailable", "photo_gone"} <= set(codes)


def test_results_and_history_query_parameters():
    params = {(path, p["name"]): p["schema"] for path, method, op in _operations() for p in op.get("parameters", [])
              if p["in"] == "query" and method == "get"}
    results = "/api/searches/{id}/results"
    assert params[(results, "limit")] == {"type": "integer", "minimum": 1, "maximum": 48, "default": 24}
    assert params[(results, "offset")]["minimum"] == 0 and params[(results, "offset")]["maximum"] == 48
    assert params[(results, "maxPrice")]["maximum"] == 1_000_000_000_000
    assert params[(results, "deliveryWithin")]["maximum"] == 365
    assert params[(results, "maxMoq")]["maximum"] == 1_000_000
    assert params[(results, "source")]["enum"] == ["inventory", "marketplace"]
    assert params[(results, "sort")]["enum"] == ["relevance", "price", "delivery"]
    for name in ("category", "from", "to", "before", "limit"):
        assert ("/api/searches", name) in params, name
    history = openapi_document()["paths"]["/api/searches"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert "nextBefore" in history["required"]
    pointer = _pointer("paths", "/api/searches", "get", "responses", "200", "content", "application/json", "schema")
    item = {"id": "s_1", "status": "done", "category": "ring", "image": "/api/images/a.jpg", "createdAt": "2026-12-01T09:00:00Z",
            "exactMatch": True, "alternatives": 8}
    _check_at(pointer, {"searches": [item], "nextBefore": "2026-12-01T09:00:00Z"})
    _check_at(pointer, {"searches": [], "nextBefore": None})
    with pytest.raises(AssertionError):
        _check_at(pointer, {"searches": []})


OFFER = {"id": "of_1", "title": "Halo ring", "category": "ring", "source": "inventory", "images": ["/api/images/a.jpg"],
         "price": {"amount": 18900, "currency": "USD"}, "priceTiers": [], "moq": 20, "moqUnit": "pieces",
         "deliveryDays": {"min": 5, "max": 9}, "availability": "ready_stock", "availableQuantity": 52, "similarity": 91.5,
         "matches": {}, "specifications": {}}
SNAPSHOT = {"title": "Halo ring", "image": "/api/images/a.jpg", "category": "ring", "source": "inventory",
            "price": {"amount": 18500, "currency": "USD"}, "availability": "ready_stock"}
LINE = {"id": "cl_1", "offerId": "of_1", "quantity": 25, "note": None, "offer": OFFER, "snapshot": SNAPSHOT, "available": True,
        "unitPrice": {"amount": 18900, "currency": "USD"}, "lineTotal": {"amount": 472500, "currency": "USD"}, "lineRange": None,
        "moq": 20, "moqUnit": "pieces", "belowMoq": False,
        "stock": {"availability": "ready_stock", "availableQuantity": 52, "aboveStock": False},
        "changes": [{"kind": "price", "from": {"amount": 18500, "currency": "USD"}, "to": {"amount": 18900, "currency": "USD"}}],
        "addedAt": "2026-12-01T09:30:00.125Z", "updatedAt": "2026-12-01T09:30:00.125Z"}
GONE_LINE = {**LINE, "offer": None, "available": False, "unitPrice": None, "lineTotal": None, "moq": 1, "moqUnit": None,
             "stock": {"availability": "unavailable", "aboveStock": False},
             "changes": [{"kind": "discontinued", "from": "ready_stock", "to": "unavailable"}]}


def test_cart_line_and_summary_shapes():
    check_rest("CartLine", LINE)
    check_rest("CartLine", GONE_LINE)
    check_rest("CartLine", {**LINE, "note": "size 7", "belowMoq": True, "quantity": 5})
    marketplace = {**OFFER, "source": "marketplace", "availability": "sourced_to_order", "price": None}
    del marketplace["price"], marketplace["availableQuantity"]
    marketplace["priceRange"] = {"min": 1200, "max": 1800, "currency": "USD"}
    check_rest("CartLine", {**LINE, "offer": marketplace, "unitPrice": None, "lineTotal": None,
                            "lineRange": {"min": 30000, "max": 45000, "currency": "USD"},
                            "stock": {"availability": "sourced_to_order", "aboveStock": False}, "changes": []})
    for key in ("note", "offer", "lineRange", "moqUnit", "changes"):
        with pytest.raises(AssertionError):  # every member is always present
            check_rest("CartLine", {k: v for k, v in LINE.items() if k != key})
    for bad in ({"quantity": 0}, {"quantity": 1_000_001}, {"note": ""}, {"extra": 1},
                {"stock": {"availability": "gone", "aboveStock": False}},
                {"changes": [{"kind": "price", "from": "ready_stock", "to": "on_order"}]},
                {"changes": [{"kind": "range", "from": {"amount": 1, "currency": "USD"}, "to": {"amount": 2, "currency": "USD"}}]},
                {"changes": [{"kind": "discontinued", "from": "ready_stock", "to": "on_order"}]}):
        with pytest.raises(AssertionError):
            check_rest("CartLine", {**LINE, **bad})
    summary = {"designs": 2, "lines": 2, "quantity": 35, "exactTotal": {"amount": 472500, "currency": "USD"},
               "approximateTotal": None,
               "groups": [{"category": "ring", "source": "inventory", "lineIds": ["cl_1"],
                           "exactTotal": {"amount": 472500, "currency": "USD"}},
                          {"category": "ring", "source": "marketplace", "lineIds": ["cl_2"]}]}
    check_rest("Cart", {"lines": [LINE, GONE_LINE], "summary": summary})
    with pytest.raises(AssertionError):
        check_rest("CartSummary", {k: v for k, v in summary.items() if k != "approximateTotal"})
    with pytest.raises(AssertionError):
        check_rest("CartSummary", {**summary, "groups": [{"category": "ring", "source": "inventory", "lineIds": []}]})
    check_rest("CartLineEnvelope", {"line": LINE})


def test_wishlist_item_and_saved_search_shapes():
    item = {"id": "wi_1", "offerId": "of_1", "offer": OFFER, "snapshot": SNAPSHOT, "available": True, "changes": [],
            "addedAt": "2026-12-01T09:30:00Z"}
    check_rest("WishlistItem", item)
    gone = {k: v for k, v in item.items() if k != "offer"}  # a gone offer is absent, not null
    check_rest("WishlistItem", {**gone, "available": False,
                                "changes": [{"kind": "discontinued", "from": "ready_stock", "to": "unavailable"}]})
    check_rest("WishlistItemEnvelope", {"item": item})
    with pytest.raises(AssertionError):
        check_rest("WishlistItem", {**item, "snapshot": {"title": "x"}})
    saved = {"id": "ss_1", "name": "Halo rings", "searchId": "s_1", "category": "ring",
             "maxPrice": {"amount": 25000, "currency": "USD"}, "image": "/api/images/a.jpg", "watch": True, "minSimilarity": 80,
             "lastRunAt": "2026-12-01T09:00:00Z", "lastSearchId": "s_1", "newMatches": 0, "createdAt": "2026-12-01T09:00:00Z"}
    check_rest("SavedSearch", saved)
    check_rest("SavedSearch", {k: v for k, v in saved.items() if k != "maxPrice"})  # a search without a price limit
    check_rest("SavedSearchEnvelope", {"savedSearch": {**saved, "minSimilarity": 87.5}})
    for bad in ({"minSimilarity": 49}, {"minSimilarity": 101}, {"name": ""}, {"newMatches": -1}, {"extra": True}):
        with pytest.raises(AssertionError):
            check_rest("SavedSearch", {**saved, **bad})
    create = openapi_document()["paths"]["/api/saved-searches"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert create["required"] == ["searchId", "name"]
    # Optional members take null as "not sent".
    assert create["properties"]["minSimilarity"] == {"type": ["number", "null"], "minimum": 50, "maximum": 100, "default": 80}
    assert create["properties"]["name"]["maxLength"] == 120


def test_results_page_and_search_again_marks():
    page = {"total": 37, "offset": 0, "limit": 24, "counts": {"inventory": 30, "marketplace": 7}, "results": [OFFER]}
    check_rest("ResultsPage", page)
    for bad in ({"counts": {"inventory": 30}}, {"limit": 49}, {"results": [OFFER] * 49}, {"results": [{"id": "x"}]}):
        with pytest.raises(AssertionError):
            check_rest("ResultsPage", {**page, **bad})
    search = {"id": "s_2", "status": "done", "stage": "done", "category": "ring", "maxPrice": None, "image": "/api/images/a.jpg",
              "attributes": {}, "exactMatch": {**OFFER, "isNew": False}, "alternatives": [{**OFFER, "isNew": True}], "notes": [],
              "createdAt": "2026-12-03T10:00:00Z", "completedAt": "2026-12-03T10:00:04Z", "previousSearchId": "s_1"}
    check_rest("Search", search)
    with pytest.raises(AssertionError):
        check_rest("Offer", {**OFFER, "isNew": "yes"})


def test_workspace_request_bodies():
    paths = openapi_document()["paths"]
    add = paths["/api/cart/lines"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert add["required"] == ["offerId", "quantity"]
    assert add["properties"]["quantity"] == {"type": "integer", "minimum": 1, "maximum": 1_000_000}
    assert add["properties"]["note"]["maxLength"] == 500
    patch = _pointer("paths", "/api/cart/lines/{id}", "patch", "requestBody", "content", "application/json", "schema")
    for body in ({"quantity": 3}, {"note": None}, {"note": ""}, {"quantity": 3, "note": "rhodium"}):
        _check_at(patch, body)
    with pytest.raises(AssertionError):
        _check_at(patch, {})
    move = paths["/api/wishlist/items/{id}/move-to-cart"]["post"]["requestBody"]
    assert move["required"] is False


# ------------------------------------------------- realtime events of the workspace

def _event(kind: str, data) -> dict:
    return {"type": "event", "topic": "buyer:u_4fQ9xw2LmT0aZk1B", "seq": 3, "event": kind, "data": data,
            "at": "2026-12-02T14:00:00.250Z"}


CART_CHANGED = {"cart": {"lines": 3, "quantity": 75}, "wishlist": {"items": 2}, "reason": "added"}
MATCH = {"savedSearchId": "ss_9XcV3bN6mQ1wE8rT", "name": "Halo rings", "offer": {**OFFER, "similarity": 88.4}, "similarity": 88.4}


def test_workspace_events_validate():
    for reason in ("added", "updated", "removed", "moved", "prices"):
        check_server_message(_event("cart.changed", {**CART_CHANGED, "reason": reason}))
    check_server_message(_event("cart.changed", {"cart": {"lines": 0, "quantity": 0}, "wishlist": {"items": 0},
                                                 "reason": "removed"}))
    check_server_message(_event("saved-search.match", MATCH))
    examples = {e["event"] for e in ws_schemas()["event.schema.json"]["examples"]}
    assert {"cart.changed", "saved-search.match"} <= examples


@pytest.mark.parametrize("kind,data", [
    ("cart.changed", {**CART_CHANGED, "reason": "cleared"}),
    ("cart.changed", {"cart": {"lines": 3, "quantity": 75}, "reason": "added"}),
    ("cart.changed", {**CART_CHANGED, "cart": {"lines": 3}}),
    ("cart.changed", {**CART_CHANGED, "cart": {"lines": -1, "quantity": 0}}),
    ("cart.changed", {**CART_CHANGED, "lines": 3}),
    ("saved-search.match", {k: v for k, v in MATCH.items() if k != "similarity"}),
    ("saved-search.match", {**MATCH, "offer": {k: v for k, v in OFFER.items() if k != "price"}}),
    ("saved-search.match", {**MATCH, "similarity": 101}),
    ("saved-search.match", {**MATCH, "savedSearchId": "s_1"}),
])
def test_invalid_workspace_events_are_rejected(kind, data):
    with pytest.raises(AssertionError):
        check_server_message(_event(kind, data))


def test_the_event_offer_is_the_rest_offer():
    rest = openapi_document()["components"]["schemas"]["Offer"]
    ws = ws_schemas()["defs.schema.json"]["$defs"]["offer"]
    assert set(ws["properties"]) == set(rest["properties"])
    assert ws["required"] == rest["required"]
    assert ws["oneOf"] == rest["oneOf"]
    check_rest("Offer", MATCH["offer"])


def test_websocket_md_describes_the_workspace_events():
    text = (PROTOCOL / "websocket.md").read_text(encoding="utf-8")
    for needle in ("`cart.changed`", "`saved-search.match`", "cartChangedData", "savedSearchMatchData",
                   '"reason": "added"', "`prices`", "minSimilarity", "buyer:<id>"):
        assert needle in text, needle
