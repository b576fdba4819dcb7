"""The one shape of a validation finding, shared by the validator, connectors, UI and API.

It lives beside the rules (not in content/) so that `networks.base` can name it without the
networks package depending on the content app.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong (error: the network would refuse it) or worth a look (warning).

    `span` is a (start, end) range of Python string indices (code points) into the text of
    part `part_index` (0 for a single post), or None when the problem is not about a place
    in the text. Messages are complete sentences in English and German.
    """

    code: str
    severity: Severity
    message_en: str
    message_de: str
    span: tuple[int, int] | None = None
    part_index: int | None = None

    @property
    def is_error(self) -> bool:
        return self.severity == "error"
