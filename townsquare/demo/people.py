"""Demo organisations, workspaces and team: a German coffee roaster and an English outdoor brand."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from townsquare.workspaces.actions import do_create_workspace
from townsquare.workspaces.models import Membership, Organisation, Workspace
from townsquare.workspaces.roles import Role

DEMO_EMAIL = "demo@townsquare.example"


@dataclass(frozen=True)
class DemoWorkspace:
    name: str
    organisation: str
    time_zone: str
    language: str
    description: str
    team: tuple[tuple[str, str, Role], ...]


WORKSPACES = (
    DemoWorkspace(
        name="Morgenrot Kaffeerösterei",
        organisation="Morgenrot GmbH",
        time_zone="Europe/Berlin",
        language="de",
        description="Röstkaffee aus Leipzig: Instagram, LinkedIn, Mastodon und Bluesky. "
        "Ton: herzlich, per du, wenig Emoji.",
        team=(
            ("lena.vogt@morgenrot.example", "Lena Vogt", Role.EDITOR),
            ("jonas.berger@morgenrot.example", "Jonas Berger", Role.CONTRIBUTOR),
        ),
    ),
    DemoWorkspace(
        name="Northwind Outdoor",
        organisation="Northwind Outdoor Ltd",
        time_zone="Europe/London",
        language="en",
        description="Hiking and camping gear from Manchester. Friendly, practical, "
        "no hard sell; X, Bluesky, Facebook and YouTube.",
        team=(
            ("priya.shah@northwind.example", "Priya Shah", Role.MANAGER),
            ("tom.reed@northwind.example", "Tom Reed", Role.VIEWER),
        ),
    ),
)


def _user(email: str, name: str, language: str, password: str | None = None) -> Any:
    User = get_user_model()
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email, password, name=name, language=language)
    elif password is not None:
        user.set_password(password)
        user.save(update_fields=["password"])
    return user


@transaction.atomic
def seed_people(password: str) -> tuple[Any, list[Workspace]]:
    demo = _user(DEMO_EMAIL, "Sam Demo", "", password)
    workspaces = []
    for spec in WORKSPACES:
        workspace = Workspace.objects.filter(name=spec.name, memberships__user=demo).first()
        if workspace is None:
            organisation = Organisation.objects.filter(name=spec.organisation).first()
            workspace = do_create_workspace(
                demo,
                name=spec.name,
                time_zone=spec.time_zone,
                language=spec.language,
                description=spec.description,
                organisation=None if organisation is None else organisation,
            )
            if workspace.organisation.name != spec.organisation:
                workspace.organisation.name = spec.organisation
                workspace.organisation.save(update_fields=["name"])
        for email, name, role in spec.team:
            member = _user(email, name, spec.language)
            Membership.objects.get_or_create(
                workspace=workspace, user=member, defaults={"role": role}
            )
        workspaces.append(workspace)
    return demo, workspaces
