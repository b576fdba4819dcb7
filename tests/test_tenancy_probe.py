"""No workspace ever sees another's data: every UI page and API route, probed.

alice belongs to workspace A only. Everything that belongs to workspace B (carol's) must be
a 404 for her, in the browser and in the API, with her session and with her token, for every
method and whatever body she sends. List routes must not even mention B.
"""

import json

import pytest
from django.urls import reverse

from townsquare.api.actions import do_create_api_token
from townsquare.api.urls import api
from townsquare.testing.tenancy import (
    NOT_TENANT_SCOPED,
    ProbeWorld,
    api_routes,
    discover_probes,
    example_body,
    ui_routes,
    value_for,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(alice, carol, workspace_a, workspace_b):
    discover_probes()
    return ProbeWorld(stranger=alice, home=workspace_a, foreign=workspace_b, foreign_owner=carol)


def _assert_no_trace(response, world, where, echoed_path=False):
    body = response.content.decode(errors="replace")
    assert world.foreign.name not in body, f"{where} shows the foreign workspace's name"
    if not echoed_path:  # a 404 page may repeat the path that was asked for, nothing more
        assert world.foreign.slug not in body, f"{where} shows the foreign workspace's slug"


def test_every_ui_page_of_another_workspace_is_a_404(client, world):
    client.force_login(world.stranger)
    probed = 0
    for route in ui_routes():
        if route.name in NOT_TENANT_SCOPED:
            continue
        if not route.kwargs:
            response = client.get(reverse(route.name))
            _assert_no_trace(response, world, route.pattern)
            continue
        kwargs = {name: value_for(name, world) for name in route.kwargs}
        url = reverse(route.name, kwargs=kwargs)
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code == 404, f"{method.upper()} {url} -> {response.status_code}"
            _assert_no_trace(response, world, url, echoed_path=True)
        probed += 1
        # The stranger's own workspace with the foreign workspace's objects: still 404.
        if "workspace" in route.kwargs and len(route.kwargs) > 1:
            mixed = reverse(route.name, kwargs={**kwargs, "workspace": world.home.slug})
            for method in ("get", "post"):
                response = getattr(client, method)(mixed)
                assert response.status_code == 404, (
                    f"{method.upper()} {mixed} -> {response.status_code}"
                )
    assert probed >= 10, "the probe found suspiciously few workspace routes"


@pytest.mark.parametrize("auth", ["session", "token"])
def test_every_api_route_of_another_workspace_is_a_404(client, world, auth):
    headers = {}
    if auth == "session":
        client.force_login(world.stranger)
    else:
        _token, raw = do_create_api_token(
            world.stranger, name="probe", workspace_slugs=[world.home.slug]
        )
        headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    schema = api.get_openapi_schema()
    components = schema.get("components", {}).get("schemas", {})
    probed = 0
    for route in api_routes(schema):
        body = json.dumps(example_body(route.body_schema, components))
        if not route.params:
            if route.method == "GET":
                response = client.get(
                    f"/api/v1{route.path}" if not route.path.startswith("/api") else route.path,
                    **headers,
                )
                _assert_no_trace(response, world, route.path)
            continue
        path = route.path
        for name in route.params:
            path = path.replace("{" + name + "}", str(value_for(name, world)))
        response = client.generic(
            route.method, path, body, content_type="application/json", **headers
        )
        assert response.status_code == 404, (
            f"{route.method} {path} -> {response.status_code}: {response.content[:200]!r}"
        )
        assert response.json()["error"]["code"] == "not_found"
        probed += 1
    assert probed >= 5, "the probe found suspiciously few API routes"


def test_a_token_scoped_to_one_workspace_cannot_reach_the_users_other_workspace(
    client, alice, carol, workspace_a, workspace_b
):
    from townsquare.workspaces.models import Membership

    Membership.objects.create(workspace=workspace_b, user=alice, role="editor")
    _token, raw = do_create_api_token(alice, name="only A", workspace_slugs=[workspace_a.slug])
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert client.get(f"/api/v1/workspaces/{workspace_a.slug}", **headers).status_code == 200
    assert client.get(f"/api/v1/workspaces/{workspace_b.slug}", **headers).status_code == 404
    listed = [w["slug"] for w in client.get("/api/v1/workspaces", **headers).json()]
    assert listed == [workspace_a.slug]
