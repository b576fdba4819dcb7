import getpass
import secrets
import sys
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email


class Command(BaseCommand):
    help = "Add a person who can sign in. Prompts for a password, or generates and prints one."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("email")
        parser.add_argument("--name", default="")
        parser.add_argument("--language", choices=["en", "de"], default="")
        parser.add_argument("--admin", action="store_true", help="Access to /admin/ as well.")
        parser.add_argument(
            "--generate-password", action="store_true", help="Generate a password and print it."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        email = options["email"].strip().lower()
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError(f"{email!r} is not a valid email address.") from None
        User = get_user_model()
        if User.objects.filter(email=email).exists():
            raise CommandError(f"A user with {email} exists already.")
        if options["generate_password"] or not sys.stdin.isatty():
            password = secrets.token_urlsafe(12)
            show = True
        else:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The passwords differ.")
            show = False
        try:
            validate_password(password)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        create = User.objects.create_superuser if options["admin"] else User.objects.create_user
        create(email, password, name=options["name"], language=options["language"])
        self.stdout.write(f"Created {email}." + (f" Password: {password}" if show else ""))
