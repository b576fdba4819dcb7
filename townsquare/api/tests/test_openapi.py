"""The OpenAPI description is exact: clients are generated from it."""

import json
import re

import pytest
from django.core.exceptions import ImproperlyConfigured
from ninja import Router, Schema

from townsquare.api.lookups import LOOKUPS
from townsquare.api.urls import TownsquareAPI, api


@pytest.fixture(scope="module")
def schema():
    return json.loads(json.dumps(api.get_openapi_schema()))  # as clients read it


def operations(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield path, method.upper(), operation


def error_ref(response):
    return response["content"]["application/json"]["schema"]["$ref"]


def test_each_account_schema_has_a_name_of_its_own(schema):
    components = schema["components"]["schemas"]

    assert {"AccountOut", "VariantAccountOut", "PublicationAccountOut"} <= set(components)
    assert "connection" in components["AccountOut"]["properties"]
    post = components["PostOut"]
    variant = components[post["properties"]["variants"]["items"]["$ref"].rsplit("/", 1)[-1]]
    assert variant["properties"]["account"]["$ref"].endswith("/VariantAccountOut")


def thing_with(field_type):
    class Thing(Schema):
        value: field_type

    class ThingOut(Schema):
        thing: Thing

    return ThingOut


def test_two_different_schemas_under_one_name_stop_the_description_from_building():
    first, second = Router(), Router()
    first.get("/first", response=thing_with(int))(lambda request: None)
    second.get("/second", response=thing_with(str))(lambda request: None)
    probe = TownsquareAPI(urls_namespace="probe-api")
    probe.add_router("", first)
    probe.add_router("", second)

    with pytest.raises(ImproperlyConfigured, match="Thing"):
        probe.get_openapi_schema(path_prefix="/probe/")


def test_every_signed_in_operation_documents_401_and_403_with_the_error_schema(schema):
    for path, method, operation in operations(schema):
        if not operation.get("security"):
            continue
        for status in ("401", "403"):
            assert status in operation["responses"], (method, path, status)
            assert error_ref(operation["responses"][status]).endswith("/ApiError")


def test_operations_document_the_errors_their_inputs_can_cause(schema):
    for path, method, operation in operations(schema):
        responses = operation["responses"]
        body = operation.get("requestBody", {}).get("content", {})
        if "{" in path:
            assert "404" in responses, (method, path)
        if operation.get("parameters") or body:
            assert "422" in responses, (method, path)
        if "application/json" in body:
            assert {"400", "413", "415"} <= set(responses), (method, path)
        if "multipart/form-data" in body:
            assert {"400", "413", "415"} <= set(responses), (method, path)
        if method in ("POST", "PUT", "PATCH", "DELETE"):
            assert "409" in responses, (method, path)
        assert not {"500", "default"} & set(responses), (method, path)


def test_the_error_schema_is_the_one_error_shape(schema):
    components = schema["components"]["schemas"]
    error = components["ApiError"]
    assert error["required"] == ["error"]
    detail = components[error["properties"]["error"]["$ref"].rsplit("/", 1)[-1]]
    assert set(detail["properties"]) == {"code", "message", "details"}
    assert set(detail["required"]) == {"code", "message"}


def test_ids_and_page_sizes_are_bounded_in_the_description(schema):
    for path, method, operation in operations(schema):
        for parameter in operation.get("parameters", []):
            name, shape = parameter["name"], parameter["schema"]
            kinds = shape.get("anyOf", [shape])
            numbers = [k for k in kinds if k.get("type") == "integer"]
            for number in numbers:
                if name.endswith("_id") or name in ("limit", "offset"):
                    assert "maximum" in number and "minimum" in number, (method, path, name)
                if name.endswith("_id"):
                    assert number["maximum"] == 2**63 - 1 and number["minimum"] == 1


def test_every_object_in_a_workspace_route_is_looked_up_before_the_body_is_read(schema):
    for path, _method, _operation in operations(schema):
        names = re.findall(r"{(\w+)}", path)
        if "workspace" in names:
            missing = set(names) - {"workspace"} - set(LOOKUPS)
            assert not missing, f"{path}: add {missing} to townsquare/api/lookups.py"
