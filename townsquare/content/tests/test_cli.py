import json

import pytest
from django.core.management import CommandError, call_command


def run(*args):
    from io import StringIO

    out = StringIO()
    try:
        call_command("post", "validate", *map(str, args), stdout=out)
        return 0, out.getvalue()
    except CommandError as error:
        return error.returncode, out.getvalue() + str(error)


def test_a_text_file_is_adapted_and_checked_per_network(tmp_path):
    path = tmp_path / "post.txt"
    path.write_text("Kurzer Gruß aus Leipzig ☕ " * 20, encoding="utf-8")
    code, out = run(path, "--network", "x", "--network", "mastodon")
    assert code == 0
    assert "x                 ok" in out and ", 2 parts" in out
    assert "2 of 2 networks ready" in out


def test_errors_give_a_nonzero_exit_and_german_messages_on_request(tmp_path):
    path = tmp_path / "post.json"
    path.write_text(
        json.dumps({"text": "Ohne Bild", "networks": ["instagram"], "language": "de"}),
        encoding="utf-8",
    )
    code, out = run(path, "--language", "de")
    assert code == 1
    assert "Instagram braucht mindestens ein Bild oder Video" in out


@pytest.mark.parametrize(
    ("content", "suffix", "message"),
    [
        (b"\xff\xfe broken", ".txt", "not valid UTF-8 (byte 0"),
        (b"{not json", ".json", "not valid JSON (line 1"),
        (b'{"txt": "no text key"}', ".json", 'expected a JSON object with a "text" string'),
        (b'{"text": "x", "networks": ["myspace"]}', ".json", "Unknown network(s): myspace"),
        (b'{"text": "x", "media": [{"colour": "red"}]}', ".json", "unexpected keyword"),
    ],
)
def test_bad_files_get_a_clear_error(tmp_path, content, suffix, message):
    path = tmp_path / f"post{suffix}"
    path.write_bytes(content)
    code, out = run(path)
    assert code != 0 and message in out


def test_a_missing_file_is_named(tmp_path):
    code, out = run(tmp_path / "nope.txt")
    assert code != 0 and "nope.txt" in out


def test_json_output_lists_every_network(tmp_path):
    path = tmp_path / "post.txt"
    path.write_text("Hello", encoding="utf-8")
    from io import StringIO

    out = StringIO()
    call_command("post", "validate", str(path), "--json", "--network", "bluesky", stdout=out)
    assert json.loads(out.getvalue())[0]["network"] == "bluesky"
