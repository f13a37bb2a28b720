"""Flat CSV input: rows grouped into threads; every bad row reported with its line."""

from __future__ import annotations

import pytest

from training.csv_input import read_csv_threads
from training.inputs import DataError, read_data

HEADER = "thread_id,id,author,reply_to,text,act,promotion,language\n"
GOOD = (HEADER
        + "t1,a,ana,,Comment avez-vous recruté vos membres ?,listening,dialogue,fr\n"
        + "t1,b,bob,a,\"Par parrainage, parce que personne n'ose.\",contribution,dialogue,fr\n"
        + "t2,,carl,,Subscribe to my channel!,broadcast,self_promotion,en\n"
        + "t2,,dee,4,Which channel?,listening,dialogue,en\n")


def write(tmp_path, text, name="data.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_rows_become_threads(tmp_path):
    errors: list[str] = []
    threads = read_csv_threads(write(tmp_path, GOOD), errors)
    assert not errors
    assert [t["id"] for t in threads] == ["t1", "t2"]
    t1, t2 = threads
    assert t1["language"] == "fr" and t2["language"] == "en"
    assert [c["reply_to"] for c in t1["comments"]] == [None, "a"]
    assert [c["id"] for c in t2["comments"]] == ["4", "5"]  # line numbers without an id
    assert t2["comments"][1]["reply_to"] == "4"
    assert t1["labels"] == {"health": None, "flags": []}


def test_minimal_columns_make_one_thread_per_row(tmp_path):
    errors: list[str] = []
    threads = read_csv_threads(write(tmp_path, "text,act,promotion,language\n"
                                               "Hello all,broadcast,dialogue,en\n"
                                               "Bonjour,broadcast,dialogue,fr\n"), errors)
    assert not errors and len(threads) == 2
    assert {c["author"] for t in threads for c in t["comments"]} == {"row2", "row3"}


@pytest.mark.parametrize(("row", "expected"), [
    ("t9,x,ana,,,listening,dialogue,fr", "text: must not be empty"),
    ("t9,x,ana,,Hi,chat,dialogue,fr", "act: must be one of ['broadcast', 'listening', "
     "'contribution'], got 'chat'"),
    ("t9,x,ana,,Hi,listening,spam,fr", "promotion: must be one of ['dialogue', "
     "'self_promotion'], got 'spam'"),
    ("t9,x,ana,,Hi,listening,dialogue,de", "language: must be one of ['fr', 'en', 'other'], "
     "got 'de'"),
    ("t9,x,ana,zz,Hi,listening,dialogue,fr", "reply_to: 'zz' is not an earlier row"),
    ("t1,a,ana,,Hi again,listening,dialogue,fr", "id: 'a' already used"),
])
def test_bad_rows_are_reported_by_line(tmp_path, row, expected):
    path = write(tmp_path, GOOD + row + "\n")
    with pytest.raises(DataError) as info:
        read_data([path])
    assert any(e.startswith(f"{path}:6: ") and expected in e for e in info.value.errors), \
        info.value.errors


def test_missing_columns(tmp_path):
    path = write(tmp_path, "text,act\nHi,listening\n")
    with pytest.raises(DataError, match=r"data\.csv:1: missing column\(s\) promotion, language"):
        read_data([path])


def test_one_error_per_bad_row_naming_every_problem(tmp_path):
    path = write(tmp_path, HEADER + ",,,,,chat,spam,de\n")
    with pytest.raises(DataError) as info:
        read_data([path])
    assert len(info.value.errors) == 1
    error = info.value.errors[0]
    assert error.startswith(f"{path}:2: text: must not be empty; act: must be one of")
    assert "; promotion: must be one of" in error and "; language: must be one of" in error
    assert all(f"got '{bad}'" in error for bad in ("chat", "spam", "de"))


def test_a_reply_to_a_rejected_row_is_not_a_second_error(tmp_path):
    path = write(tmp_path, HEADER
                 + "t1,a,ana,,How did you start?,listening,dialogue,en\n"
                 + "t1,b,bob,a,We asked our members.,contribution,self-promotion,en\n"
                 + "t1,c,ana,b,Thanks Bob!,listening,dialogue,en\n")
    with pytest.raises(DataError) as info:
        read_data([path])
    assert info.value.errors == [f"{path}:3: promotion: must be one of ['dialogue', "
                                 "'self_promotion'], got 'self-promotion'"]


@pytest.mark.parametrize(("rows", "expected"), [
    ("t1,a,ana,,Hi, all,listening,dialogue,en\nt1,b,bob,a,Hello,listening,dialogue,en\n",
     ":2: 9 values for 8 columns (an unquoted comma in the text? quote the field)"),
    ("t1,a,ana,,Hi\nt1,b,bob,,Hello,listening,dialogue,en\n",
     ":2: 5 values for 8 columns (missing act, promotion, language)"),
    ('t1,a,ana,,"Hi,listening,dialogue,en\nt1,b,bob,a,Hello,listening,dialogue,en\n',
     ":2: not valid CSV from this row on (unexpected end of data; a quote opened and never "
     "closed?)"),
])
def test_a_malformed_row_is_one_error(tmp_path, rows, expected):
    path = write(tmp_path, HEADER + rows)
    with pytest.raises(DataError) as info:
        read_data([path])
    assert info.value.errors == [f"{path}{expected}"]


def test_line_numbers_count_blank_lines_and_multiline_texts(tmp_path):
    path = write(tmp_path, HEADER + "t1,a,ana,,\"Two\nlines\",listening,dialogue,en\n\n"
                 + "t1,b,bob,a,Hello,advert,dialogue,en\n")
    with pytest.raises(DataError) as info:
        read_data([path])
    assert info.value.errors == [f"{path}:5: act: must be one of ['broadcast', "
                                 "'listening', 'contribution'], got 'advert'"]


def test_folder_mixes_csv_and_corpus_and_uses_the_split(tmp_path, subset):
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "threads.jsonl").write_text((subset / "threads.jsonl").read_text())
    write(folder, GOOD)
    (folder / "test_threads.txt").write_text((subset / "test_threads.txt").read_text() + "t2\n")
    threads = read_data([folder])
    split = {t["id"]: t["_split"] for t in threads}
    assert split["t1"] == "train" and split["t2"] == "test"
    assert {t["_file"] for t in threads} == {"threads.jsonl", "data.csv"}
