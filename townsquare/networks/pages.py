"""Pages that live beside their connector: a network is one folder, templates included.

The project's template engine renders them (they extend the shell's templates), but they are
read from the connector's own `templates/` folder rather than from an app template directory.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from django.template import engines


@cache
def connector_template(folder: Path, name: str) -> Any:
    """`folder/templates/name`, compiled once per process."""
    return engines["django"].from_string((folder / "templates" / name).read_text())
