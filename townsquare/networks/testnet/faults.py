"""The faults the test network can inject, and their parsing from JSON. Stdlib only.

One parser serves `POST /_faults`, `--faults` on the command line and `TestNetwork.set_faults`,
so a setting the server does not understand is refused with its name in every case.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields, replace
from typing import Any

# Upper bounds of the injected waits: every sleep in a test run stays bounded.
MAX_LATENCY_MS = 60_000
MAX_LATE_ANSWER_S = 600.0
RATE_LIMIT_HEADERS = ("retry-after", "x-ratelimit-reset")


@dataclass(frozen=True, slots=True)
class RateLimit:
    """When `POST /posts` answers 429.

    `every_n`: every n-th publish request of the server (0: off), announcing `reset_after_s`.
    `burst` / `per_seconds`: at most `burst` requests per account in a fixed window.
    `headers`: which of "retry-after" and "x-ratelimit-reset" (epoch seconds) the 429 carries.
    Fractional waits are written with decimals: not standard, but it keeps tests fast.
    """

    every_n: int = 0
    burst: int = 0
    per_seconds: float = 1.0
    reset_after_s: float = 1.0
    headers: tuple[str, ...] = RATE_LIMIT_HEADERS


@dataclass(frozen=True, slots=True)
class Faults:
    """How the network misbehaves. Rates are probabilities from 0 to 1.

    `accept_then_timeout_rate`: the post is stored, then the answer waits
    `accept_then_timeout_s` (longer than the client's read timeout) before it is sent.
    `dedupe=False`: a replayed idempotency key makes a second post.
    """

    latency_ms: float = 0.0
    error_rate_5xx: float = 0.0
    error_status: int = 503
    rate_limit: RateLimit | None = None
    accept_then_timeout_rate: float = 0.0
    accept_then_timeout_s: float = 30.0
    reject_texts_containing: tuple[str, ...] = ()
    reauth_for_accounts: tuple[str, ...] = ()
    dedupe: bool = True
    seed: int = 0


def _number(low: float, high: float) -> Any:
    def parse(raw: object) -> float:
        if isinstance(raw, bool) or not isinstance(raw, int | float) or not low <= raw <= high:
            raise ValueError(f"must be a number from {low} to {high}")
        return float(raw)

    return parse


def _integer(low: int, high: int) -> Any:
    def parse(raw: object) -> int:
        if isinstance(raw, bool) or not isinstance(raw, int) or not low <= raw <= high:
            raise ValueError(f"must be a whole number from {low} to {high}")
        return raw

    return parse


def _strings(raw: object) -> tuple[str, ...]:
    if not isinstance(raw, list | tuple) or not all(isinstance(item, str) for item in raw):
        raise ValueError("must be a list of strings")
    return tuple(raw)


def _boolean(raw: object) -> bool:
    if not isinstance(raw, bool):
        raise ValueError("must be true or false")
    return raw


def _rate_limit(raw: object) -> RateLimit | None:
    if raw is None:
        return None
    if not isinstance(raw, Mapping):
        raise ValueError("must be an object or null")
    headers = _strings(raw.get("headers", list(RATE_LIMIT_HEADERS)))
    if not set(headers) <= {"retry-after", "x-ratelimit-reset"}:
        raise ValueError("headers may name retry-after and x-ratelimit-reset")
    return RateLimit(
        **_parse_fields(
            {key: value for key, value in raw.items() if key != "headers"}, _RATE_LIMIT_FIELDS
        ),
        headers=headers,
    )


_RATE_LIMIT_FIELDS: Mapping[str, Any] = {
    "every_n": _integer(0, 1_000_000),
    "burst": _integer(0, 1_000_000),
    "per_seconds": _number(0.001, 3600),
    "reset_after_s": _number(0, 3600),
}
_FAULT_FIELDS: Mapping[str, Any] = {
    "latency_ms": _number(0, MAX_LATENCY_MS),
    "error_rate_5xx": _number(0, 1),
    "error_status": _integer(500, 599),
    "rate_limit": _rate_limit,
    "accept_then_timeout_rate": _number(0, 1),
    "accept_then_timeout_s": _number(0, MAX_LATE_ANSWER_S),
    "reject_texts_containing": _strings,
    "reauth_for_accounts": _strings,
    "dedupe": _boolean,
    "seed": _integer(-(2**62), 2**62),
}
assert set(_FAULT_FIELDS) == {f.name for f in fields(Faults)}


def _parse_fields(data: Mapping[str, object], parsers: Mapping[str, Any]) -> dict[str, Any]:
    parsed: dict[str, Any] = {}
    for name, raw in data.items():
        if name not in parsers:
            raise ValueError(f"unknown setting {name!r}")
        try:
            parsed[name] = parsers[name](raw)
        except ValueError as exc:
            raise ValueError(f"{name}: {exc}") from None
    return parsed


def parse_faults(data: object, base: Faults) -> Faults:
    """`base` with the settings in `data` (a JSON object); ValueError names what is wrong."""
    if not isinstance(data, Mapping):
        raise ValueError("faults must be a JSON object")
    return replace(base, **_parse_fields(data, _FAULT_FIELDS))


def jsonable_settings(settings: Mapping[str, Any]) -> dict[str, Any]:
    """Keyword settings as JSON data, so set_faults(rate_limit=RateLimit(...)) goes through
    the same parser as POST /_faults."""
    return {
        name: asdict(value) if isinstance(value, RateLimit) else value
        for name, value in settings.items()
    }
