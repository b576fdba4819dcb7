import secrets

from django.db.models import Model
from django.utils.text import slugify


def unique_slug(model: type[Model], name: str, max_length: int = 50) -> str:
    base = slugify(name, allow_unicode=False)[:max_length].strip("-") or "w"
    candidate = base
    while model._default_manager.filter(slug=candidate).exists():
        candidate = f"{base[: max_length - 5]}-{secrets.token_hex(2)}"
    return candidate
