"""Reading files into tables, and guessing the columns (pure, no database)."""

import json

import pytest

from townsquare.bulk.parsing import (
    MAX_ROWS,
    ParseError,
    detect_delimiter,
    guess_mapping,
    parse_file,
)


def test_comma_separated_with_a_header():
    table = parse_file(b"accounts,time,text\n@a,2026-12-10 09:00,Hallo\n", "posts.csv")
    assert table.format == "csv" and table.delimiter == ","
    assert table.headers == ("accounts", "time", "text")
    assert [(r.number, r.cells) for r in table.rows] == [(2, ("@a", "2026-12-10 09:00", "Hallo"))]


def test_semicolons_as_german_spreadsheets_write_them_and_a_byte_order_mark():
    data = "\ufeffKonten;Zeitpunkt;Text\n@a;10.12.2026 09:00;Grüße, aus Köln\n".encode()
    table = parse_file(data, "beiträge.csv")
    assert table.delimiter == ";"
    assert table.headers[0] == "Konten"  # the BOM is not part of the first header
    assert table.rows[0].cells[2] == "Grüße, aus Köln"


def test_quoted_cells_keep_separators_quotes_and_line_breaks():
    data = b'accounts,text\n@a,"Eins, zwei\nund ""drei"""\n'
    table = parse_file(data)
    assert table.rows[0].cells[1] == 'Eins, zwei\nund "drei"'


def test_a_delimiter_inside_quotes_in_the_header_does_not_count():
    assert detect_delimiter('"a;b;c",d,e\n') == ","
    assert detect_delimiter("a\tb\tc\n") == "\t"


@pytest.mark.parametrize(
    ("data", "code", "row"),
    [
        (b'accounts,text\n@a,"not closed\n', "broken_quoting", 2),
        (b'accounts,text\n@a,ok\n@b,"x"y\n', "broken_quoting", 3),
        (b"accounts,text\n@a,caf\xe9\n", "not_utf8", None),
        (b"", "empty_file", None),
        (b"accounts,text\n", "no_rows", None),
        (b"accounts,text\n@a,x\x00y\n", "nul_character", None),
        (b"[1, 2]", "json_entry_not_an_object", 1),
        (b'{"text": "x"}', "json_not_a_list", None),
        (b'[{"text": "x",}]', "broken_json", None),
    ],
)
def test_unreadable_files_say_why_and_where(data, code, row):
    with pytest.raises(ParseError) as caught:
        parse_file(data, "f.json" if data.startswith((b"[", b"{")) else "f.csv")
    assert caught.value.code == code
    assert caught.value.row == row


def test_the_line_of_a_non_utf8_byte_is_named():
    with pytest.raises(ParseError) as caught:
        parse_file(b"accounts,text\n@a,ok\n@b,caf\xe9\n")
    assert caught.value.params["line"] == 3


def test_size_and_row_limits():
    with pytest.raises(ParseError) as caught:
        parse_file(b"a" * (2 * 1024 * 1024 + 1))
    assert caught.value.code == "file_too_large"
    many = "accounts,text\n" + "@a,x\n" * (MAX_ROWS + 1)
    with pytest.raises(ParseError) as caught:
        parse_file(many.encode())
    assert caught.value.code == "too_many_rows"
    assert len(parse_file(("accounts,text\n" + "@a,x\n" * MAX_ROWS).encode()).rows) == MAX_ROWS


def test_blank_lines_are_skipped_and_rows_keep_their_spreadsheet_numbers():
    table = parse_file(b"accounts,text\n@a,eins\n,\n\n@b,zwei\n")
    assert [r.number for r in table.rows] == [2, 5]


def test_a_row_with_more_cells_than_the_header_is_marked_not_fatal():
    table = parse_file(b"accounts,text\n@a,eins,zwei\n@b,gut\n")
    assert table.rows[0].shape_problem == {"code": "extra_cells", "count": 3, "width": 2}
    assert table.rows[1].shape_problem is None


def test_json_lists_of_objects_with_lists_and_numbers():
    data = json.dumps(
        [
            {"accounts": ["@a", 7], "text": "Hallo", "media": [12, "https://example.org/a.png"]},
            {"text": "Zwei", "campaign": None, "extra": {"nested": True}},
        ]
    ).encode()
    table = parse_file(data, "posts.json")
    assert table.headers == ("accounts", "text", "media", "campaign", "extra")
    assert table.rows[0].cells == ("@a|7", "Hallo", "12|https://example.org/a.png", "", "")
    assert table.rows[1].shape_problem == {"code": "json_value", "column": "extra"}


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (
            ["Accounts", "Time", "Text", "Language", "Link", "Hashtags", "Media", "Campaign"],
            {"accounts": 0, "time": 1, "text": 2, "language": 3, "link": 4, "media": 6},
        ),
        (
            ["Konten", "Zeitpunkt", "Nachricht", "Sprache", "Bilder", "Kampagne", "Säule"],
            {"accounts": 0, "time": 1, "text": 2, "language": 3, "media": 4, "campaign": 5},
        ),
        (["Beitrag", "Datum", "Zielgruppe", "Themensäule"], {"text": 0, "time": 1, "pillar": 3}),
        (["foo", "bar"], {"accounts": None, "text": None}),
    ],
)
def test_columns_are_guessed_by_english_and_german_names(headers, expected):
    mapping = guess_mapping(headers)
    for name, index in expected.items():
        assert mapping[name] == index, name


def test_one_column_is_used_for_one_field_only():
    mapping = guess_mapping(["text", "Text"])
    assert mapping["text"] == 0
    assert list(mapping.values()).count(0) == 1
