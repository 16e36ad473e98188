"""Validators built from the documents in protocol/: the WebSocket JSON Schemas and the
component schemas of openapi.yaml. Everything resolves offline."""

from __future__ import annotations

import functools
import json
from pathlib import Path

import yaml
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

REPO = Path(__file__).resolve().parents[2]
PROTOCOL = REPO / "protocol"
WS_SCHEMAS = PROTOCOL / "schemas" / "ws"
OPENAPI = PROTOCOL / "openapi.yaml"
OPENAPI_ID = "https://facet.example/protocol/openapi.yaml"


def ws_schema_files() -> list[Path]:
    return sorted(WS_SCHEMAS.glob("*.schema.json"))


@functools.cache
def ws_schemas() -> dict[str, dict]:
    """File name → schema."""
    return {p.name: json.loads(p.read_text(encoding="utf-8")) for p in ws_schema_files()}


@functools.cache
def openapi_document() -> dict:
    return yaml.safe_load(OPENAPI.read_text(encoding="utf-8"))


@functools.cache
def registry() -> Registry:
    resources = [(s["$id"], Resource.from_contents(s)) for s in ws_schemas().values()]
    resources.append((OPENAPI_ID, Resource(contents=openapi_document(), specification=DRAFT202012)))
    return Registry().with_resources(resources)


def _validator(schema: dict) -> Draft202012Validator:
    return Draft202012Validator(schema, registry=registry(),
                                format_checker=Draft202012Validator.FORMAT_CHECKER)


@functools.cache
def ws_validator(name: str) -> Draft202012Validator:
    """Validator for one file of protocol/schemas/ws, e.g. 'server-message.schema.json'."""
    return _validator(ws_schemas()[name])


@functools.cache
def openapi_validator(component: str) -> Draft202012Validator:
    """Validator for components/schemas/<component> of openapi.yaml."""
    return _validator({"$ref": f"{OPENAPI_ID}#/components/schemas/{component}"})


def _describe(errors) -> str:
    return "; ".join(f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}" for e in errors)


def check_server_message(message) -> None:
    errors = sorted(ws_validator("server-message.schema.json").iter_errors(message), key=str)
    if errors:
        # oneOf errors are vague; name the schema of the message's own type when there is one.
        name = f"{message.get('type')}.schema.json" if isinstance(message, dict) else None
        if name in ws_schemas():
            errors = list(ws_validator(name).iter_errors(message)) or errors
        raise AssertionError(f"server message violates protocol/schemas/ws: {_describe(errors)}\n"
                             f"message: {json.dumps(message)[:1000]}")


def check_client_message(message) -> None:
    errors = list(ws_validator("client-message.schema.json").iter_errors(message))
    if errors:
        raise AssertionError(f"client message violates protocol/schemas/ws: {_describe(errors)}")


def check_rest(component: str, body) -> None:
    errors = list(openapi_validator(component).iter_errors(body))
    if errors:
        raise AssertionError(f"body violates openapi.yaml #/components/schemas/{component}: "
                             f"{_describe(errors)}\nbody: {json.dumps(body)[:1000]}")
