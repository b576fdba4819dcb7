"""The cross-workspace probe: every URL and API route, tried by a member of another workspace.

Routes are found by walking the URL resolver and the OpenAPI schema, so new routes are
probed without anyone remembering to add them. A route's path arguments are filled with
objects of the foreign workspace by factories that each app registers in its
`tests/probes.py`, keyed by argument name. A route with an argument nobody registered makes
the probe fail and say which file to add it to.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver


@dataclass
class ProbeWorld:
    """`stranger` belongs to `home` only; `foreign` is someone else's workspace."""

    stranger: Any
    home: Any
    foreign: Any
    foreign_owner: Any
    cache: dict[str, Any] = field(default_factory=dict)


Factory = Callable[[ProbeWorld], Any]
FACTORIES: dict[str, Factory] = {}

# Routes whose arguments are not workspace data, each with the reason.
NOT_TENANT_SCOPED: dict[str, str] = {}


def probe_kwarg(name: str) -> Callable[[Factory], Factory]:
    def register(factory: Factory) -> Factory:
        FACTORIES[name] = factory
        return factory

    return register


def not_tenant_scoped(route_name: str, reason: str) -> None:
    NOT_TENANT_SCOPED[route_name] = reason


def discover_probes() -> None:
    for config in apps.get_app_configs():
        if config.name.startswith("townsquare."):
            try:
                importlib.import_module(f"{config.name}.tests.probes")
            except ModuleNotFoundError as error:
                if error.name not in (f"{config.name}.tests", f"{config.name}.tests.probes"):
                    raise


@dataclass(frozen=True)
class UiRoute:
    name: str
    pattern: str
    kwargs: tuple[str, ...]


SKIPPED_PREFIXES = ("admin/", "accounts/", "api/", "static/", "media/", "__debug__/")


def ui_routes() -> Iterator[UiRoute]:
    def walk(patterns: list[Any], prefix: str) -> Iterator[UiRoute]:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                yield from walk(entry.url_patterns, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern):
                full = prefix + str(entry.pattern)
                if full.startswith(SKIPPED_PREFIXES) or not entry.name:
                    continue
                kwargs = tuple(re.findall(r"<(?:\w+:)?(\w+)>", full))
                yield UiRoute(entry.name, full, kwargs)

    yield from walk(get_resolver().url_patterns, "")


# Every method is sent to every route, not only those a route says it takes.
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


@dataclass(frozen=True)
class ApiPath:
    path: str
    params: tuple[str, ...]
    # The methods the path takes, each with the schema of its JSON body (None: no body).
    methods: dict[str, dict[str, Any] | None]
    # The methods the path takes, each with the statuses it documents.
    documented: dict[str, set[int]]

    def fill(self, values: dict[str, Any]) -> str:
        path = self.path
        for name in self.params:
            path = path.replace("{" + name + "}", str(values[name]))
        return path


def api_paths(schema: dict[str, Any]) -> Iterator[ApiPath]:
    for path, operations in schema["paths"].items():
        methods, documented = {}, {}
        for method, operation in operations.items():
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            methods[method.upper()] = body.get("schema") if body else None
            documented[method.upper()] = {int(status) for status in operation["responses"]}
        yield ApiPath(path, tuple(re.findall(r"{(\w+)}", path)), methods, documented)


def value_for(name: str, world: ProbeWorld) -> Any:
    if name not in FACTORIES:
        raise LookupError(
            f"No probe factory for the route argument {name!r}. Register one in the owning "
            "app's tests/probes.py with @probe_kwarg, returning an object id of the "
            "foreign workspace."
        )
    if name not in world.cache:
        world.cache[name] = FACTORIES[name](world)
    return world.cache[name]


def example_body(
    schema: dict[str, Any] | None, components: dict[str, Any], world: ProbeWorld | None = None
) -> dict[str, Any]:
    """A body that passes validation often enough; the probe must answer 404 regardless.

    With a world, fields that name workspaces name the foreign one, so that a route that
    wrongly accepted the request would also change something the probe can see."""
    if not schema:
        return {}
    if "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[-1]]
    aimed: dict[str, Any] = {}
    if world is not None:
        aimed = {
            "workspaces": [world.foreign.slug],
            "organisation": world.foreign.organisation.slug,
        }
    body: dict[str, Any] = {}
    for key, prop in schema.get("properties", {}).items():
        kind = prop.get("type")
        body[key] = aimed.get(key) or {
            "string": "probe",
            "integer": 1,
            "boolean": True,
            "array": [],
        }.get(kind, "probe")
    return body
