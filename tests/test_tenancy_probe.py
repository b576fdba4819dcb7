"""No workspace ever sees another's data: every UI page and API route, every method, probed.

alice belongs to workspace A only. Everything that belongs to workspace B (carol's) must be
a 404 for her, in the browser and in the API, with her session and with her token, for
GET, POST, PUT, PATCH and DELETE and whatever body she sends, and none of it may change a
row of the database. Routes without a workspace in their address must not mention B. A
token made for A alone reaches nothing of B even when its user belongs to B as well.
"""

import json

import pytest
from django.test import Client
from django.urls import reverse

from townsquare.api.actions import do_create_api_token
from townsquare.api.urls import api
from townsquare.testing import snapshot
from townsquare.testing.tenancy import (
    METHODS,
    NOT_TENANT_SCOPED,
    ProbeWorld,
    api_paths,
    discover_probes,
    example_body,
    ui_routes,
    value_for,
)
from townsquare.workspaces.models import Membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(alice, carol, workspace_a, workspace_b):
    discover_probes()
    return ProbeWorld(stranger=alice, home=workspace_a, foreign=workspace_b, foreign_owner=carol)


@pytest.fixture
def same_user_world(alice, carol, workspace_a, workspace_b):
    """alice owns A and is an owner of B too; the token she uses is made for A only."""
    discover_probes()
    Membership.objects.create(workspace=workspace_b, user=alice, role="owner")
    return ProbeWorld(stranger=alice, home=workspace_a, foreign=workspace_b, foreign_owner=carol)


def token_headers(world):
    _token, raw = do_create_api_token(
        world.stranger, name="probe", workspace_slugs=[world.home.slug]
    )
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def signed_in(client, world, auth):
    if auth == "session":
        client.force_login(world.stranger)
        return {}
    return token_headers(world)


def assert_no_trace(response, world, where, echoed_path=False):
    body = response.content.decode(errors="replace")
    assert world.foreign.name not in body, f"{where} shows the foreign workspace's name"
    if not echoed_path:  # a 404 page may repeat the path that was asked for, nothing more
        assert world.foreign.slug not in body, f"{where} shows the foreign workspace's slug"


def assert_unchanged(before, where):
    changes = before.changes(snapshot.take())
    assert not changes, f"{where} changed the database:\n" + "\n".join(changes[:10])


def addresses(names, url_for, world):
    """The foreign objects at their own workspace, and at the stranger's own workspace."""
    kwargs = {name: value_for(name, world) for name in names}
    found = [url_for(kwargs)]
    if "workspace" in names and len(names) > 1:
        found.append(url_for({**kwargs, "workspace": world.home.slug}))
    return found


# -- UI -------------------------------------------------------------------------------


def test_every_ui_page_of_another_workspace_is_a_404_for_every_method(client, world):
    client.force_login(world.stranger)
    routes = [r for r in ui_routes() if r.kwargs and r.name not in NOT_TENANT_SCOPED]
    targets = [
        (route, url)
        for route in routes
        for url in addresses(route.kwargs, lambda kw, r=route: reverse(r.name, kwargs=kw), world)
    ]
    before = snapshot.take()
    for route, url in targets:
        for method in METHODS:
            response = client.generic(method, url, "", "application/x-www-form-urlencoded")
            assert response.status_code == 404, f"{method} {url} -> {response.status_code}"
            assert_no_trace(response, world, f"{method} {url}", echoed_path=True)
        assert_unchanged(before, f"{route.pattern} (a foreign page)")
    assert len(routes) >= 10, "the probe found suspiciously few workspace pages"


def test_ui_pages_without_a_workspace_show_nothing_of_another_for_every_method(client, world):
    client.force_login(world.stranger)
    routes = [r for r in ui_routes() if not r.kwargs]
    before = snapshot.take()
    for route in routes:
        url = reverse(route.name)
        for method in METHODS:
            response = client.generic(method, url, "", "application/x-www-form-urlencoded")
            assert response.status_code < 500, f"{method} {url} -> {response.status_code}"
            assert_no_trace(response, world, f"{method} {url}")
    changes = before.changes(snapshot.take(), workspace_id=world.foreign.pk)
    assert not changes, "the foreign workspace changed:\n" + "\n".join(changes[:10])


# -- API ------------------------------------------------------------------------------


def api_schema():
    schema = api.get_openapi_schema()
    return schema, schema.get("components", {}).get("schemas", {})


def probe_foreign_api_paths(client, world, headers):
    """Every method on every API path that names a foreign object: 404 (or 405 for a
    method the path does not take, decided before anything is looked up; or 403 for a
    token on a route that needs a browser session), and no row changed."""
    schema, components = api_schema()
    paths = [p for p in api_paths(schema) if p.params]
    targets = [(p, url) for p in paths for url in addresses(p.params, p.fill, world)]
    before = snapshot.take()
    for path, url in targets:
        for method in METHODS:
            body = json.dumps(example_body(path.methods.get(method), components, world))
            response = client.generic(method, url, body, "application/json", **headers)
            expected = (
                {(404, "not_found")} if method in path.methods else {(405, "method_not_allowed")}
            )
            if headers and "workspace" not in path.params:
                expected.add((403, "session_required"))  # tokens manage no tokens at all
            answer = (response.status_code, response.json()["error"]["code"])
            assert answer in expected, f"{method} {url} -> {response.content[:200]!r}"
            assert_no_trace(response, world, f"{method} {url}", echoed_path=True)
        assert_unchanged(before, f"{path.path} (foreign objects)")
    assert len(paths) >= 5, "the probe found suspiciously few API routes"


def probe_global_api_paths(client, world, headers):
    """Every method on the API paths without a workspace: nothing of the foreign
    workspace in any answer, and a refused write changes nothing."""
    schema, components = api_schema()
    for path in [p for p in api_paths(schema) if not p.params]:
        for method in METHODS:
            body = json.dumps(example_body(path.methods.get(method), components, world))
            before = snapshot.take()
            response = client.generic(method, path.path, body, "application/json", **headers)
            where = f"{method} {path.path}"
            status, documented = response.status_code, path.documented.get(method, set())
            assert status < 500 or status in documented, f"{where} -> {response.content[:200]!r}"
            assert_no_trace(response, world, where)
            if status >= 400:
                assert set(response.json()) == ({"error"} if status < 500 else {"status"}), where
                assert_unchanged(before, f"{where} (refused)")
            else:
                changes = before.changes(snapshot.take(), workspace_id=world.foreign.pk)
                assert not changes, f"{where} changed the foreign workspace: {changes[:3]}"


@pytest.mark.parametrize("auth", ["session", "token"])
def test_every_api_route_of_another_workspace_is_a_404_for_every_method(client, world, auth):
    probe_foreign_api_paths(client, world, signed_in(client, world, auth))


@pytest.mark.parametrize("auth", ["session", "token"])
def test_api_routes_without_a_workspace_show_nothing_of_another_for_every_method(
    client, world, auth
):
    probe_global_api_paths(client, world, signed_in(client, world, auth))


def test_a_token_for_one_workspace_reaches_nothing_of_its_users_other_workspace(
    same_user_world,
):
    world = same_user_world
    client = Client()
    headers = token_headers(world)

    probe_foreign_api_paths(client, world, headers)
    before = snapshot.take()
    probe_global_api_paths(client, world, headers)
    assert_unchanged(before, "a token on the routes without a workspace")

    listed = client.get("/api/v1/workspaces", **headers).json()
    assert [w["slug"] for w in listed] == [world.home.slug]
    for method, path in [("GET", "/api/v1/tokens"), ("POST", "/api/v1/workspaces")]:
        response = client.generic(method, path, "{}", "application/json", **headers)
        assert response.status_code == 403, f"{method} {path}"
