"""Reading articles: encodings, refusal of non-text, front matter, discovery."""

from __future__ import annotations

from pathlib import Path

import pytest

from dripmail.errors import ContentError
from dripmail.reading.sources import decode, discover, read_source
from tests.conftest import write


def test_utf8_with_and_without_bom(tmp_path: Path) -> None:
    plain = write(tmp_path / "a.txt", "Title\nCafé déjà vu.\n".encode())
    bom = write(tmp_path / "b.txt", "\ufeffTitle\nCafé déjà vu.\n".encode())
    assert read_source(plain).body == read_source(bom).body == "Title\nCafé déjà vu.\n"
    assert read_source(bom).warnings == ()



def test_a_utf8_bom_wins_over_a_stale_declared_charset() -> None:
    data = (b'\xef\xbb\xbf<html><head><meta charset="iso-8859-1"></head>'
            b"<body><p>caf\xc3\xa9</p></body></html>")
    text, warnings = decode(data, Path("a.html"))
    assert "café" in text and "ï»¿" not in text and "\ufeff" not in text
    assert warnings == ()
    latin = b'<html><head><meta charset="iso-8859-1"></head><body><p>caf\xe9</p></body></html>'
    assert "café" in decode(latin, Path("a.html"))[0]  # without a BOM, the charset still counts


def test_cp1252_is_decoded_with_a_warning(tmp_path: Path) -> None:
    path = write(tmp_path / "word.txt", "Title\n\u201cQuoted\u201d \u2014 it\u2019s fine.\n"
                 .encode("cp1252"))
    src = read_source(path)
    assert "\u201cQuoted\u201d \u2014 it\u2019s fine." in src.body
    assert len(src.warnings) == 1
    assert "word.txt:2: not UTF-8; decoded as Windows-1252" in src.warnings[0]


def test_crlf_is_normalised(tmp_path: Path) -> None:
    src = read_source(write(tmp_path / "a.md", b"# T\r\n\r\nBody text.\r\n"))
    assert "\r" not in src.body


@pytest.mark.parametrize(("data", "message"), [
    (b"", "the file is empty"),
    (b"   \n\n\t  \n", "the file is empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
    (b"---\ntitle: x\n---\n\n<p> </p>", "no words"),
    (b"!!! ... ---\n", "no words"),
])
def test_refused_inputs(tmp_path: Path, data: bytes, message: str) -> None:
    path = write(tmp_path / "bad.md", data)
    with pytest.raises(ContentError, match=message) as exc:
        read_source(path)
    assert str(path) in exc.value.message


def test_front_matter_and_body_line(tmp_path: Path) -> None:
    src = read_source(write(tmp_path / "a.md", """
        ---
        title: Hello
        emails: 3
        ---
        # Heading

        Body.
    """))
    assert src.meta == {"title": "Hello", "emails": 3}
    assert src.body.lstrip().startswith("# Heading")
    assert src.body_line == 5


def test_malformed_front_matter_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path / "a.md", "---\ntitle: ok\nsubjects: [unclosed\n---\nBody text.\n")
    with pytest.raises(ContentError) as exc:
        read_source(path)
    assert exc.value.message.startswith(f"{path}:")
    assert "invalid YAML front matter" in exc.value.message


def test_front_matter_must_be_a_mapping(tmp_path: Path) -> None:
    path = write(tmp_path / "a.md", "---\n- just\n- a list\n---\nBody text.\n")
    with pytest.raises(ContentError, match="key: value"):
        read_source(path)


def test_discover_folder_sorted_and_filtered(tmp_path: Path) -> None:
    for name in ("b.md", "a.txt", "c.html", "notes.pdf", ".hidden.md"):
        write(tmp_path / "seq" / name, "x")
    assert [p.name for p in discover([tmp_path / "seq"], tmp_path)] == ["a.txt", "b.md",
                                                                        "c.html"]


def test_discover_errors(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(ContentError, match="no articles found"):
        discover([tmp_path / "empty"], tmp_path)
    with pytest.raises(ContentError, match="unsupported file type '.pdf'"):
        discover([write(tmp_path / "x.pdf", "x")], tmp_path)
    with pytest.raises(ContentError, match="no such file"):
        discover([tmp_path / "missing.md"], tmp_path)
    with pytest.raises(ContentError, match="dripmail init"):
        discover([], tmp_path / "sequences")
