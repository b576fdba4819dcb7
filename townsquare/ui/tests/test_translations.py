"""Townsquare speaks German and English: the German catalog is complete, compiled and used.

When one of these tests fails after new text was added to the interface, run `make messages`,
translate the new entries in townsquare/locale/de/LC_MESSAGES/django.po and run
`make messages` again (it compiles the catalog too).
"""

from __future__ import annotations

import ast
import gettext
import io
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.core.management import call_command
from django.template.base import Lexer, TokenType
from django.urls import reverse
from django.utils.text import smart_split
from django.utils.translation import trim_whitespace

import townsquare
from townsquare.testing.services import unavailable

PACKAGE_DIR = Path(townsquare.__file__).resolve().parent
CATALOG_DIR = PACKAGE_DIR / "locale" / "de" / "LC_MESSAGES"
PO_FILE = CATALOG_DIR / "django.po"
MO_FILE = CATALOG_DIR / "django.mo"
TEMPLATES_DIR = PACKAGE_DIR / "templates"

HOW_TO_FIX = (
    "Run `make messages`, translate every new entry in "
    "townsquare/locale/de/LC_MESSAGES/django.po into German (formal 'Sie'; remove the "
    "'#, fuzzy' line once an entry is checked), then run `make messages` again to compile "
    "django.mo, and commit both files."
)
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]")


# --- reading a .po file ---------------------------------------------------------------


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    context: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @property
    def translated(self) -> bool:
        return bool(self.msgstr) and all(self.msgstr.values())

    @property
    def label(self) -> str:
        return f"[{self.context}] {self.msgid!r}" if self.context else repr(self.msgid)


def _unquote(text: str) -> str:
    text = text.strip()
    if not (text.startswith('"') and text.endswith('"')):
        raise ValueError(f"not a quoted .po string: {text}")
    return ast.literal_eval(text)


def read_po(path: Path) -> list[Entry]:
    """The active entries of a .po file (obsolete `#~` entries are left out)."""
    entries: list[Entry] = []
    entry = Entry()
    target: tuple[str, int] | None = None
    started = False

    def finish() -> None:
        nonlocal entry, started, target
        if started:
            entries.append(entry)
        entry, started, target = Entry(), False, None

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            finish()
        elif line.startswith("#,"):
            if started and target and target[0] == "msgstr":
                finish()
            entry.flags.update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            if started and target and target[0] == "msgstr":
                finish()
        elif line.startswith('"'):
            if target is None:
                raise ValueError(f"{path}: continuation line outside an entry: {raw}")
            kind, index = target
            value = _unquote(line)
            if kind == "msgid":
                entry.msgid += value
            elif kind == "msgid_plural":
                entry.msgid_plural = (entry.msgid_plural or "") + value
            elif kind == "msgctxt":
                entry.context = (entry.context or "") + value
            else:
                entry.msgstr[index] += value
        else:
            keyword, _, rest = line.partition(" ")
            if keyword in ("msgctxt", "msgid") and started and target[0] == "msgstr":
                finish()  # entries separated without a blank line
            started = True
            if keyword == "msgctxt":
                entry.context, target = _unquote(rest), ("msgctxt", 0)
            elif keyword == "msgid":
                entry.msgid, target = _unquote(rest), ("msgid", 0)
            elif keyword == "msgid_plural":
                entry.msgid_plural, target = _unquote(rest), ("msgid_plural", 0)
            elif keyword == "msgstr":
                entry.msgstr[0], target = _unquote(rest), ("msgstr", 0)
            elif (match := re.fullmatch(r"msgstr\[(\d+)\]", keyword)) is not None:
                index = int(match.group(1))
                entry.msgstr[index], target = _unquote(rest), ("msgstr", index)
            else:
                raise ValueError(f"{path}: cannot read line: {raw}")
    finish()
    return entries


def messages(entries: list[Entry]) -> list[Entry]:
    """Every entry except the header."""
    return [e for e in entries if not (e.msgid == "" and e.context is None)]


def catalog_from_po(entries: list[Entry]) -> dict[object, str]:
    """What a compiled catalog holds, keyed the way `gettext.GNUTranslations` keys it."""
    catalog: dict[object, str] = {}
    for e in entries:
        if e.fuzzy or not e.translated:
            continue
        key = f"{e.context}\x04{e.msgid}" if e.context is not None else e.msgid
        if e.msgid_plural is None:
            catalog[key] = e.msgstr[0]
        else:
            for index, text in e.msgstr.items():
                catalog[(key, index)] = text
    return catalog


def catalog_from_mo(path: Path) -> dict[object, str]:
    with path.open("rb") as handle:
        return dict(gettext.GNUTranslations(handle)._catalog)  # type: ignore[attr-defined]


def without_creation_date(catalog: dict[object, str]) -> dict[object, str]:
    """The header minus POT-Creation-Date, which changes on every extraction."""
    result = dict(catalog)
    if "" in result:
        result[""] = re.sub(r"(?m)^POT-Creation-Date:.*\n", "", result[""])
    return result


# --- reading templates ----------------------------------------------------------------


@dataclass(frozen=True)
class TemplateMessage:
    msgid: str
    context: str | None
    where: str


def _literal(bit: str) -> str | None:
    if len(bit) >= 2 and bit[0] == bit[-1] and bit[0] in "\"'":
        return bit[1:-1]
    return None


def template_messages(path: Path) -> list[TemplateMessage]:
    """The msgids of `{% translate %}` and `{% blocktranslate %}` in one template, as
    `makemessages` extracts them."""
    where = str(path.relative_to(PACKAGE_DIR))
    found: list[TemplateMessage] = []
    tokens = Lexer(path.read_text(encoding="utf-8")).tokenize()
    block: dict | None = None
    for token in tokens:
        if block is not None:
            if token.token_type == TokenType.BLOCK:
                name = token.contents.split()[0]
                if name not in ("plural", "endblocktranslate", "endblocktrans"):
                    raise AssertionError(f"{where}: {{% {name} %}} inside blocktranslate")
                if not block["in_plural"]:  # the singular text is the msgid
                    text = "".join(block["parts"])
                    found.append(
                        TemplateMessage(
                            trim_whitespace(text) if block["trimmed"] else text,
                            block["context"],
                            where,
                        )
                    )
                block = {**block, "in_plural": True} if name == "plural" else None
            elif token.token_type == TokenType.TEXT:
                block["parts"].append(token.contents.replace("%", "%%"))
            elif token.token_type == TokenType.VAR:
                block["parts"].append(f"%({token.contents.strip()})s")
            continue
        if token.token_type != TokenType.BLOCK:
            continue
        bits = list(smart_split(token.contents))
        if bits[0] in ("translate", "trans") and len(bits) > 1:
            msgid = _literal(bits[1])
            if msgid is None or "noop" in bits[2:]:
                continue  # a variable, translated elsewhere
            context = None
            if "context" in bits[2:]:
                context = _literal(bits[bits.index("context", 2) + 1])
            found.append(TemplateMessage(msgid, context, where))
        elif bits[0] in ("blocktranslate", "blocktrans"):
            context = None
            if "context" in bits[1:]:
                context = _literal(bits[bits.index("context", 1) + 1])
            block = {
                "parts": [],
                "trimmed": "trimmed" in bits[1:],
                "context": context,
                "in_plural": False,
            }
    assert block is None, f"{where}: blocktranslate without endblocktranslate"
    return found


def all_template_messages() -> list[TemplateMessage]:
    paths = sorted(p for p in TEMPLATES_DIR.rglob("*") if p.suffix in (".html", ".txt"))
    return [m for path in paths for m in template_messages(path)]


# --- the catalog ------------------------------------------------------------------------


def test_every_german_entry_is_translated_and_none_is_fuzzy():
    entries = messages(read_po(PO_FILE))
    assert entries, f"{PO_FILE} has no entries. {HOW_TO_FIX}"
    untranslated = [e.label for e in entries if not e.translated]
    fuzzy = [e.label for e in entries if e.fuzzy]
    assert not untranslated, f"Untranslated German entries: {untranslated}. {HOW_TO_FIX}"
    assert not fuzzy, f"Fuzzy German entries (need checking): {fuzzy}. {HOW_TO_FIX}"


def test_german_translations_keep_every_placeholder():
    wrong = []
    for e in messages(read_po(PO_FILE)):
        if e.msgid_plural is None:
            if sorted(PLACEHOLDER.findall(e.msgstr[0])) != sorted(PLACEHOLDER.findall(e.msgid)):
                wrong.append(e.label)
        else:  # a plural form may leave out the count, but must not invent names
            known = set(PLACEHOLDER.findall(e.msgid + e.msgid_plural))
            if any(set(PLACEHOLDER.findall(t)) - known for t in e.msgstr.values()):
                wrong.append(e.label)
    assert not wrong, f"Translations that lose or invent %(name)s placeholders: {wrong}"


def test_german_translations_address_the_user_formally():
    informal = re.compile(r"\b(du|dich|dir|dein\w*|euch|euer|eure\w*)\b", re.IGNORECASE)
    wrong = [
        e.label
        for e in messages(read_po(PO_FILE))
        for text in e.msgstr.values()
        for word in informal.findall(text)
        # "Informal (du)" names the form of address, it does not use it
        if not re.search(rf"\b{word}\b", e.msgid, re.IGNORECASE)
    ]
    assert not wrong, f"German text must address the user with 'Sie', not 'du': {wrong}"


def test_the_committed_mo_file_is_compiled_from_the_current_po_file(tmp_path):
    assert MO_FILE.exists(), f"{MO_FILE} is missing. {HOW_TO_FIX}"
    if shutil.which("msgfmt"):
        fresh = tmp_path / "django.mo"
        subprocess.run(
            ["msgfmt", "--check-format", "-o", str(fresh), str(PO_FILE)],
            check=True,
            capture_output=True,
        )
        expected = catalog_from_mo(fresh)
    else:  # without GNU gettext: the same catalog, built from the .po in Python
        expected = catalog_from_po(read_po(PO_FILE))
    committed = catalog_from_mo(MO_FILE)
    stale = sorted(
        repr(key)
        for key in set(expected) | set(committed)
        if key != "" and expected.get(key) != committed.get(key)
    )
    assert not stale, f"django.mo differs from django.po for {stale[:10]}. {HOW_TO_FIX}"
    assert without_creation_date(expected).get("") == without_creation_date(committed).get(""), (
        f"The header of django.mo differs from django.po. {HOW_TO_FIX}"
    )


def test_the_python_reading_of_the_po_file_matches_the_compiled_catalog():
    """Keeps the fallback above honest: both ways of compiling agree."""
    expected = without_creation_date(catalog_from_po(read_po(PO_FILE)))
    assert expected == without_creation_date(catalog_from_mo(MO_FILE))


# --- templates and code ---------------------------------------------------------------


def test_the_template_scan_finds_plain_and_block_translations():
    found = {(m.msgid, m.context) for m in all_template_messages()}
    assert ("Skip to content", None) in found
    assert ("Join %(name)s", None) in found
    assert ("until %(date)s", None) in found


def test_every_template_message_has_a_german_translation():
    translated = {
        (e.msgid, e.context) for e in messages(read_po(PO_FILE)) if e.translated and not e.fuzzy
    }
    missing = sorted(
        {
            f"{m.where}: {m.msgid!r}" + (f" (context {m.context!r})" if m.context else "")
            for m in all_template_messages()
            if (m.msgid, m.context) not in translated
        }
    )
    assert not missing, f"Template text without a German translation: {missing}. {HOW_TO_FIX}"


def test_every_message_in_the_code_has_a_german_translation(tmp_path, settings, monkeypatch):
    """Extract the messages of a copy of the package exactly as `make messages` does and
    compare them with the committed catalog."""
    if shutil.which("xgettext") is None:
        unavailable("GNU gettext is not installed (`apt-get install gettext`)")
    copy = tmp_path / "townsquare"
    shutil.copytree(
        PACKAGE_DIR,
        copy,
        ignore=shutil.ignore_patterns("tests", "static", "locale", "__pycache__", "*.pyc"),
    )
    settings.LOCALE_PATHS = [str(copy / "locale")]
    monkeypatch.chdir(copy)
    call_command(
        "makemessages",
        locale=["de"],
        no_location=True,
        ignore_patterns=["tests/*", "static/*"],
        verbosity=0,
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    extracted = read_po(copy / "locale" / "de" / "LC_MESSAGES" / "django.po")
    in_code = {(e.msgid, e.context) for e in messages(extracted)}
    translated = {
        (e.msgid, e.context) for e in messages(read_po(PO_FILE)) if e.translated and not e.fuzzy
    }
    missing = sorted(repr(msgid) for msgid, _context in in_code - translated)
    assert not missing, f"Text in the code without a German translation: {missing}. {HOW_TO_FIX}"


# --- the shell ------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "expected", "unexpected"),
    [
        (
            "de",
            [
                "Posteingang",
                "Kalender",
                "Verfassen",
                "Analysen",
                "Einstellungen",
                "Neuer Workspace",
                "Zum Inhalt springen",
                "Abmelden",
            ],
            ["Inbox", "Sign out"],
        ),
        (
            "en",
            [
                "Inbox",
                "Calendar",
                "Compose",
                "Analytics",
                "Settings",
                "New workspace",
                "Skip to content",
                "Sign out",
            ],
            ["Posteingang", "Abmelden"],
        ),
    ],
)
def test_the_shell_speaks_the_language_of_the_user(
    client, alice, workspace_a, language, expected, unexpected
):
    alice.language = language
    alice.save(update_fields=["language"])
    client.force_login(alice)
    response = client.get(
        reverse("workspace_dashboard", args=[workspace_a.slug]),
        headers={"accept-language": "de" if language == "en" else "en"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    for text in expected:
        assert text in html, f"{text!r} missing from the {language} dashboard"
    for text in unexpected:
        assert text not in html, f"{text!r} on the {language} dashboard"


@pytest.mark.django_db
def test_the_members_page_speaks_german_too(client, alice, workspace_a):
    alice.language = "de"
    alice.save(update_fields=["language"])
    client.force_login(alice)
    html = client.get(reverse("workspace_members", args=[workspace_a.slug])).content.decode()
    for text in ["Mitglieder", "Wer darf was", "Änderungsprotokoll", "Inhaber", "Redakteur"]:
        assert text in html, f"{text!r} missing from the German members page"
