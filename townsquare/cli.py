"""The `townsquare` command: Townsquare's own commands plus every Django management command.

townsquare setup        create the data directory, its secrets file, and migrate
townsquare demo         create (or refresh) the demo workspaces and the demo login
townsquare up           web + worker + scheduler in one process tree (Ctrl-C stops all)
townsquare createuser   add a person who can sign in
townsquare scheduler    run only the scheduler loop
townsquare rotate-keys  re-encrypt stored secrets with the first FIELD_ENCRYPTION_KEYS key
"""

from __future__ import annotations

import os
import sys

# Commands that may run on a machine that has never been set up: they create the
# generated secrets file first, so that a fresh checkout needs no configuration.
_SELF_SETUP_COMMANDS = {"setup", "up", "demo", "migrate", "createuser"}
# Spelled with a hyphen on the command line; Django's command modules use underscores.
_ALIASES = {"rotate-keys": "rotate_keys"}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "townsquare.settings")
    command = sys.argv[1] if len(sys.argv) > 1 else "help"
    if command in _ALIASES:
        command = sys.argv[1] = _ALIASES[command]
    if command in _SELF_SETUP_COMMANDS and "SECRET_KEY" not in os.environ:
        from townsquare.lib.secrets_file import data_dir_from, ensure_secrets_file

        ensure_secrets_file(data_dir_from(os.environ))
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
