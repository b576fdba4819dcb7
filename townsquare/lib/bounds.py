"""Bounded numbers for API parameters and bodies.

Every id and every count a client sends is bounded in the schema, so that a number the
database cannot hold (SQLite and PostgreSQL store 64-bit integers) is a 422 that names the
field, never an overflow deep inside a query. The bounds are part of the OpenAPI
description, so generated clients know them too.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

MAX_ID = 2**63 - 1
MAX_OFFSET = 1_000_000

Id = Annotated[int, Field(ge=1, le=MAX_ID, description="An object id")]
Offset = Annotated[int, Field(ge=0, le=MAX_OFFSET, description="How many to skip")]


def id_from_text(text: str) -> int | None:
    """The id a text from an address or a form names, or None when it names none: only
    ASCII digits ("²" is a digit to Python, but no number to int()), within 1..MAX_ID."""
    if not text.isascii() or not text.isdigit():
        return None
    number = int(text)
    return number if 1 <= number <= MAX_ID else None


# Page sizes: how many items one request returns at most.
Limit500 = Annotated[int, Field(ge=1, le=500, description="How many at most (1 to 500)")]
Limit1000 = Annotated[int, Field(ge=1, le=1000, description="How many at most (1 to 1000)")]
