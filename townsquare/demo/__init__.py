"""The demo workspace that `make run` shows a newcomer.

Each capability adds its own seeder module here and lists it in SEEDERS; a seeder is
idempotent (running `townsquare demo` twice changes nothing the second time).
"""
