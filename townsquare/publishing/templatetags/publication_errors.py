"""A publication's error in the reader's language: `{% publication_error pub as error %}`."""

from __future__ import annotations

from typing import Any

from django import template

from townsquare.publishing.error_texts import ErrorText, error_text

register = template.Library()


@register.simple_tag
def publication_error(pub: Any) -> ErrorText | None:
    return error_text(getattr(pub, "error_code", ""), getattr(pub, "error_message", ""))
