"""`townsquare queue ...`."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from townsquare.publishing.models import Publication
from townsquare.queues.models import Slot

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command("queue", *args, stdout=out)
    return out.getvalue()


def test_slots_and_add_from_the_command_line(workspace_a, masto, make_post):
    ws = ["--workspace", workspace_a.slug]
    for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun"):
        out = run(
            "slots", "add", *ws, "--account", str(masto.pk), "--weekday", day, "--time", "09:00"
        )
        assert "added" in out
    assert Slot.objects.count() == 7
    assert run("slots", "list", *ws).count("09:00") == 7
    post = make_post()
    out = run("add", *ws, "--post", str(post.pk))
    assert "queued for" in out and "09:00 (Europe/Berlin)" in out
    assert Publication.objects.get(post=post).status == "scheduled"
    slot = Slot.objects.first()
    assert "removed" in run("slots", "remove", *ws, "--slot", str(slot.pk))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["add", "--workspace", "nope", "--post", "1"], "No workspace"),
        (["add", "--post", "abc"], "give a number"),
        (["add", "--post", "999999"], "No post"),
        (["slots", "add", "--account", "1", "--weekday", "xyz", "--time", "09:00"], None),
        (["slots", "add", "--account", "ACCOUNT", "--weekday", "mon", "--time", "9h"], "HH:MM"),
        (["add", "--post", "POST"], "no posting slots"),
        (["add", "--post", "POST", "--as", "carol@example.com"], "not a member"),
    ],
)
def test_bad_input_is_a_clear_error(workspace_a, masto, make_post, carol, args, message):
    post = make_post()
    args = [a.replace("POST", str(post.pk)).replace("ACCOUNT", str(masto.pk)) for a in args]
    if "--workspace" not in args:
        args[1:1] = ["--workspace", workspace_a.slug] if args[0] == "add" else []
        if args[0] == "slots":
            args[2:2] = ["--workspace", workspace_a.slug]
    with pytest.raises(CommandError) as error:
        run(*args)
    if message:
        assert message in str(error.value)
