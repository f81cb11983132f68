"""Hostile input, part D (issue 11): exponential and quadratic work, the nesting bound, and a
preview server that answers every client and survives a build that never ends.

No timed tests: work is checked by counting operations or by the size of what comes out, and a
build that could hang runs in a subprocess with a generous time limit (a hang fails the test).
"""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import lxml.html
import pytest

from dripmail.models import BuildResult, Settings, Source
from dripmail.preview import livebuild
from dripmail.preview import server as serve
from dripmail.reading import blocktext
from dripmail.reading.article import parse_article

ROOT = Path(__file__).resolve().parent.parent
HANG_GUARD = 60  # seconds: far above what any of these inputs needs now (a few s at most),
# with room for a machine under load
PROSE = "Some ordinary words of prose, enough of them to make this article worth an email."


# -- building hostile articles -------------------------------------------------------------


def project_with(tmp_path: Path, name: str, body: str) -> Path:
    """A project whose only article is `name` with `body`."""
    (tmp_path / "sequences").mkdir()
    (tmp_path / "dripmail.toml").write_text('postal_address = "1 Example Street"\n', "utf-8")
    (tmp_path / "sequences" / name).write_text(body, encoding="utf-8")
    return tmp_path


def run_guarded(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    """Run `python <args>` with this checkout first on the path; fail (not hang) past the guard."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    try:
        return subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True,
                              text=True, timeout=HANG_GUARD)
    except subprocess.TimeoutExpired:
        pytest.fail(f"still running after {HANG_GUARD} s: {' '.join(args)}")


def build(project: Path) -> subprocess.CompletedProcess:
    return run_guarded(["-m", "dripmail", "build", "--jobs", "1"], project)


def markdown_list(depth: int) -> str:
    return f"# Deep\n\n{PROSE}\n\n" + "".join("    " * i + f"- item {i}\n" for i in range(depth))


def text_part(project: Path) -> str:
    return "".join(p.read_text(encoding="utf-8")
                   for p in sorted((project / "build").glob("*/*.txt")))


def test_a_list_25_deep_builds_with_every_item_in_the_text_part(tmp_path: Path):
    project = project_with(tmp_path, "deep.md", markdown_list(25))
    done = build(project)
    assert done.returncode == 0, done.stderr
    text = text_part(project)  # (each level indented under its item: issue 13)
    assert "\n- item 0\n" + "".join(f"{'  ' * i}- item {i}\n" for i in range(1, 25)) in text


def test_a_400_byte_html_file_with_30_nested_lists_builds(tmp_path: Path):
    page = "<ul><li>x" * 30 + "</ul>" * 26
    assert len(page.encode()) == 400
    project = project_with(tmp_path, "lists.html", page)
    done = build(project)
    assert done.returncode == 0, done.stderr
    assert "\n- x\n" + "".join(f"{'  ' * i}- x\n" for i in range(1, 30)) in text_part(project)


def test_nesting_past_the_limit_is_one_clear_error_with_the_line(tmp_path: Path):
    project = project_with(tmp_path, "deep.md", markdown_list(33))
    done = build(project)
    assert done.returncode == 1
    assert done.stderr == ("Error: sequences/deep.md:37: the article nests lists/quotes 33 levels "
                           "deep (the limit is 32); flatten it\n")


@pytest.mark.parametrize("name, body", [
    pytest.param(*case, id=case[0]) for case in [
    ("divs.html", "<p>Words.</p>\n" + "<div>x" * 1000 + "</div>" * 1000),
    ("lists.html", "<p>Words.</p>\n" + "<ul><li>x" * 1000 + "</li></ul>" * 1000),
    ("quotes.md", f"{PROSE}\n\n" + "> " * 1000 + "deep\n"),
    ("list.md", markdown_list(1000)),
    ("html-in.md", f"{PROSE}\n\n" + '<div markdown="1">\n' * 1000 + "x\n" + "</div>\n" * 1000),
]])
def test_a_thousand_levels_give_one_line_and_no_traceback(tmp_path: Path, name: str, body: str):
    done = build(project_with(tmp_path, name, body))
    assert done.returncode == 1
    assert "Traceback" not in done.stderr and len(done.stderr.splitlines()) == 1
    assert done.stderr.startswith(f"Error: sequences/{name}:")
    assert "(the limit is 32); flatten it" in done.stderr


def test_two_emails_from_1200_one_line_sections(tmp_path: Path):
    """Over MAX_BLOCKS sections for each email: `--emails 2` thins the section headings too
    (the splitter looped for ever), and the second email still opens a section."""
    body = "# Many\n\n" + "".join(f"## S{i}\n\nOne two three.\n\n" for i in range(1200))
    project = project_with(tmp_path, "many.md", body)
    done = run_guarded(["-m", "dripmail", "build", "--jobs", "1", "--emails", "2"], project)
    assert done.returncode == 0, done.stderr
    manifest = json.loads((project / "build" / "many" / "manifest.json").read_text("utf-8"))
    assert [e["subject"] for e in manifest["emails"]] == ["Many", "S600"]


def test_text_part_work_grows_with_the_elements_not_two_to_the_depth(monkeypatch):
    calls = {"n": 0}
    for name in ("block_text", "inline_text"):
        original = getattr(blocktext, name)

        def counted(el, _original=original):
            calls["n"] += 1
            return _original(el)

        monkeypatch.setattr(blocktext, name, counted)
    el = lxml.html.fragment_fromstring("<ul><li>x" * 16 + "</li></ul>" * 16)
    text = blocktext.block_text(el)
    assert text.count("- x") == 16
    assert calls["n"] <= 3 * 32  # 32 elements (the original made 2^17 calls)


def test_layout_containers_are_walked_without_parsing_again(monkeypatch):
    parses = {"n": 0}
    original = lxml.html.fragments_fromstring

    def counted(*args, **kwargs):
        parses["n"] += 1
        return original(*args, **kwargs)

    monkeypatch.setattr(lxml.html, "fragments_fromstring", counted)
    body = "<div>" * 30 + f"<p>{PROSE}</p>" + "</div>" * 30
    article = parse_article(Source(Path("a.html"), "html", body), Settings())
    assert [b.text for b in article.blocks] == [PROSE]
    assert parses["n"] <= 2  # the article once, and once more after sanitising (was 31)


def test_formatting_tags_left_open_do_not_multiply_the_html():
    body = f"<p>{PROSE}</p>" + "".join(f'<p><b title="{i}">word ' for i in range(2000))
    article = parse_article(Source(Path("a.html"), "html", body), Settings())
    assert sum(len(b.html) for b in article.blocks) < 10 * len(body)  # (was 38 MB for 39 KB)


# Each snippet took minutes (or forever) before, and well under a second now.
SLOW_BEFORE = {
    "a merge tag, then a long run of braces (plain-text line width)":
        "from dripmail.checks.rules_text import width; width('{{ name }}' + '{' * 100000)",
    "a line of '{{' without '}}' (merge tags left out of the text)":
        "from dripmail.checks.dom import without_tags; without_tags('{{' * 100000)",
    "a long run of dots before a letter (sentences)":
        "from dripmail.checks.readability import sentences; sentences('A' + '.' * 200000 + 'x')",
    "a long run of dots before a letter (newsletter excerpts)":
        "from dripmail.newsletter.excerpt import sentence_ends; "
        "sentence_ends('A' + '.' * 200000 + 'x y')",
    "many sentences in one paragraph (newsletter excerpts)": (
        "from dripmail.newsletter.excerpt import cut_paragraph; from dripmail.models import Block; "
        "cut_paragraph(Block('paragraph', '<p>' + 'Go on. ' * 30000 + '</p>', '', 60000), "
        "59999, force=True)"),
    "s=s=s=... in an email (the inliner)": (
        "from dripmail.rendering.inline import inline_css; "
        "inline_css('<html><head><style>p{color:red}</style></head><body><p class=' + "
        "'s=' * 100000 + '>x</p></body></html>')"),
    "<<<<... as an article (the words check when reading)": (
        "import pathlib, tempfile; from dripmail.reading.sources import read_source; "
        "p = pathlib.Path(tempfile.mkdtemp()) / 'a.md'; p.write_text('a' + '<' * 400000); "
        "read_source(p)"),
    "20,000 images or rules between two paragraphs (the splitter)": (
        "from dripmail.planning.split import split; from dripmail.models import Block; "
        "p = Block('paragraph', '', '', 100); hr = Block('rule', '', '', 0); "
        "split([p, *[hr] * 20000, p], target=200, min_words=120, max_words=350)"),
    "--emails 2 from 1200 sections of a heading and 3 paragraphs (the splitter)": (
        "from dripmail.planning.split import split; from dripmail.models import Block; "
        "h = Block('heading', '<h2>H</h2>', 'H', 1, 2); p = Block('paragraph', '', '', 3); "
        "g = split([h, p, p, p] * 1200, target=250, min_words=100, max_words=350, count=2); "
        "assert [x[0].kind for x in g] == ['heading'] * 2"),
}


@pytest.mark.parametrize("snippet", SLOW_BEFORE.values(), ids=SLOW_BEFORE.keys())
def test_no_quadratic_work_on_long_runs(tmp_path: Path, snippet: str):
    done = run_guarded(["-c", snippet], tmp_path)
    assert done.returncode == 0, done.stderr


# One long hostile line in a plain-text article: each took from seconds to hours (a regex of the
# heading rules or the title tried from every character of a run to its end); now it is read
# in a moment, its text kept.
LONG_LINES = {
    "20,000 '=' before a letter (delimited headings: cubic)":
        ("'=' * 20000 + 'x'", "'=' * 20000 + 'x'"),
    "100,000 dots (dot leaders)": ("'.' * 100000", "'.' * 100000"),
    "100,000 spaces between two words (page footers)": ("'a' + ' ' * 100000 + 'b'", "'a b'"),
}


@pytest.mark.parametrize(("line", "kept"), LONG_LINES.values(), ids=LONG_LINES.keys())
def test_a_long_hostile_line_in_a_text_article_is_read_with_its_text(
        tmp_path: Path, line: str, kept: str):
    snippet = (
        "from pathlib import Path; from dripmail.models import Settings, Source; "
        "from dripmail.reading.article import parse_article; "
        f"body = 'Title\\n\\n{PROSE}\\n\\n' + {line} + '\\n\\n{PROSE}\\n'; "
        "a = parse_article(Source(Path('a.txt'), 'txt', body), Settings()); "
        f"assert {kept} in ' '.join(b.text for b in a.blocks)")
    done = run_guarded(["-c", snippet], tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]


SLOW_LINES = {
    "a title line of one 150,000-letter word (title and link)": (
        "from dripmail.reading.from_text import text_to_markdown; "
        "assert 'a' * 150000 in text_to_markdown('A' + 'a' * 150000 + ' 1\\n\\nSome prose.')"),
    "'*a ' 100,000 times in a heading (emphasis marks in subjects)": (
        "from dripmail.planning.names import clean; "
        "assert clean('*a ' * 100000) == ' '.join(['a'] * 100000)"),
    "150,000 '#' inside a heading (permalink marks)": (
        "from dripmail.planning.names import clean; assert clean('A' + '#' * 150000 + ' 1')"),
    "200,000 spaces after a word (fence marks)": (
        "from dripmail.planning.names import clean; "
        "assert clean('x ' + ' ' * 200000 + 'y') == 'x y'"),
    "a word of 200,000 capitals (code-like words)": (
        "from dripmail.planning.names import phrases; "
        "from dripmail.planning.words import for_language; "
        "list(phrases('A' + 'P' * 200000 + 'x y', for_language('en')))"),
    "'<]' 300,000 times on a line of a text article (addresses in angle brackets)": (
        "from dripmail.reading.textheadings import NEVER, classify; "
        "assert classify(['Title', '', 'Some words.', '', '<]' * 300000 + 'x'])[4] == NEVER"),
}


@pytest.mark.parametrize("snippet", SLOW_LINES.values(), ids=SLOW_LINES.keys())
def test_long_runs_in_text_titles_and_subjects(tmp_path: Path, snippet: str):
    done = run_guarded(["-c", snippet], tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]


# -- the preview: builds with a time limit ----------------------------------------------------


def looping_build(project_dir, sources=(), out_dir=None, overrides=None):
    """One email per article in sequences/; an article containing HANG never finishes."""
    out_dir.mkdir(parents=True)
    for article in sorted(Path(project_dir, "sequences").glob("*.txt")):
        if "HANG" in article.read_text(encoding="utf-8"):
            while True:  # the exponential build of the issue, in short
                pass
        folder = out_dir / article.stem
        folder.mkdir()
        (folder / "01-one.html").write_text("<p>one</p>", encoding="utf-8")
        manifest = {"sequence": {"slug": article.stem, "title": "T", "emails": 1},
                    "emails": [{"position": 1, "day": 0, "subject": "S", "preheader": "P",
                                "html": "01-one.html", "text": "01-one.txt", "words": 1}]}
        (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return BuildResult((), out_dir)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "sequences").mkdir()
    (tmp_path / "sequences" / "welcome.txt").write_text("Hello.\n", encoding="utf-8")
    return tmp_path


def test_a_build_over_the_time_limit_is_stopped_and_the_preview_recovers(project: Path):
    preview = livebuild.Preview(project, (), looping_build, time_limit=1)
    article = project / "sequences" / "welcome.txt"
    with serve.PreviewServer(preview, "127.0.0.1", 0) as running:
        assert running.watching.wait(timeout=30)
        seen = preview.epoch
        article.write_text("HANG\n", encoding="utf-8")
        assert preview.wait(seen, timeout=HANG_GUARD) != seen
        assert "took longer than 1 s and was stopped" in preview.state()["error"]["message"]
        assert multiprocessing.active_children() == []  # the looping build is gone
        seen = preview.epoch
        article.write_text("Fixed.\n", encoding="utf-8")  # the watcher still works
        assert preview.wait(seen, timeout=HANG_GUARD) != seen
        assert preview.state()["error"] is None
        assert preview.state()["sequences"][0]["folder"] == "welcome"


def test_the_preview_watches_before_its_first_build(project: Path, tmp_path_factory, monkeypatch):
    """An edit saved while the first build runs brings a second build."""
    log = tmp_path_factory.mktemp("log") / "builds.log"
    article = project / "sequences" / "welcome.txt"

    def editing_build(project_dir, sources=(), out_dir=None, overrides=None):
        first = not log.exists()
        with log.open("a", encoding="utf-8") as f:
            f.write("build\n")
        if first:  # the author saves during the first build
            article.write_text("Edited.\n", encoding="utf-8")
        return looping_build(project_dir, sources, out_dir, overrides)

    real_sleep = time.sleep

    def sleep(seconds):  # serve() waits for Ctrl-C in time.sleep: stop after the 2nd build
        if threading.current_thread() is not threading.main_thread():
            return real_sleep(seconds)
        deadline = time.monotonic() + HANG_GUARD
        while time.monotonic() < deadline and log.read_text().count("build") < 2:
            real_sleep(0.05)
        raise KeyboardInterrupt

    monkeypatch.setattr(serve.time, "sleep", sleep)
    serve.serve(project, port=0, open_browser=False, build_fn=editing_build, log=lambda m: None)
    assert log.read_text().count("build") >= 2


def test_sigterm_stops_the_preview_and_removes_its_temporary_build(tmp_path: Path):
    from dripmail.init import init_project

    init_project(tmp_path / "demo")
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(temp), "PYTHONUNBUFFERED": "1"}
    preview = subprocess.Popen(
        [sys.executable, "-m", "dripmail", "preview", "--no-open", "--port", "0"],
        cwd=tmp_path / "demo", env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True)
    try:
        lines = []
        for line in preview.stdout:  # (the guard below ends the loop if it never comes)
            lines.append(line)
            if line.startswith("Previewing"):
                break
        assert list(temp.glob("dripmail-preview-*")), lines
        preview.send_signal(signal.SIGTERM)
        out, _ = preview.communicate(timeout=HANG_GUARD)
    finally:
        preview.kill()
    assert preview.returncode == 0
    assert "Stopping the preview." in out
    assert list(temp.glob("dripmail-preview-*")) == []


# -- the preview server: every client gets an answer ---------------------------------------


@pytest.fixture
def server(project: Path) -> Iterator[serve.PreviewServer]:
    """A preview server as `dripmail preview` runs it."""
    preview = livebuild.Preview(project, (), looping_build, providers=("generic",))
    preview.rebuild()
    with serve.PreviewServer(preview, "127.0.0.1", 0, watch_files=False) as running:
        yield running


@pytest.fixture
def tight_server(project: Path) -> Iterator[serve.PreviewServer]:
    """A preview server with small limits: 0.5 s idle, 16 connections, 2 event streams."""
    preview = livebuild.Preview(project, (), looping_build, providers=("generic",))
    preview.rebuild()
    with serve.PreviewServer(preview, "127.0.0.1", 0, watch_files=False, idle_timeout=0.5,
                             max_connections=16, max_event_streams=2) as running:
        yield running


def connect(server: serve.PreviewServer) -> socket.socket:
    sock = socket.create_connection(server.httpd.server_address[:2], timeout=HANG_GUARD)
    return sock


def answer(server: serve.PreviewServer, request: bytes) -> bytes:
    """The whole answer to a raw request (b"" when the server closes without one)."""
    with connect(server) as sock:
        sock.sendall(request)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
        return b"".join(chunks)


def post(length: str) -> bytes:
    return (f"POST /__dripmail__/provider HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Content-Type: application/json\r\nContent-Length: {length}\r\n\r\n").encode()


@pytest.mark.parametrize("request_, status", [
    (post("abc"), b"400"),
    (post("-1"), b"400"),
    (post("99999999999"), b"413"),
    (post("1000000"), b"413"),
    (b"GET /build/" + b"a" * 8192 + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", b"414"),
    (b"GET /build/" + b"a/" * 3000 + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", b"404"),
    (b"GET /build/" + b"a" * 300 + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", b"404"),
], ids=["length abc", "length -1", "length 99999999999", "length over the cap",
        "8 KB path", "6 KB of folders", "a 300-character name"])
def test_malformed_requests_get_an_answer(server, request_: bytes, status: bytes):
    reply = answer(server, request_)
    assert reply.split(b" ", 2)[1:2] == [status], reply[:200]


def test_a_good_post_still_switches_the_provider(server):
    body = b'{"provider": "generic"}'
    reply = answer(server, post(str(len(body))) + body)
    assert reply.startswith(b"HTTP/1.0 200") and b'"provider": "generic"' in reply


def test_idle_and_half_sent_requests_are_closed(tight_server):
    server = tight_server
    with connect(server) as idle, connect(server) as slow:
        slow.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # and never the blank line
        assert idle.recv(100) == b""  # closed after the idle timeout (0.5 s here)
        assert slow.recv(100) == b""


def test_connections_are_bounded_and_idle_ones_let_go(tight_server):
    server = tight_server
    before = threading.active_count()
    assert server.httpd.request_queue_size >= 64
    sockets = [connect(server) for _ in range(60)]
    try:
        refused = 0
        for sock in sockets[16:]:
            reply = sock.recv(200)
            refused += reply.startswith(b"HTTP/1.0 503")
        assert refused == 60 - 16  # answered at once, without a thread
        assert threading.active_count() <= before + 16
        for sock in sockets[:16]:
            assert sock.recv(100) == b""  # let go after the idle timeout
    finally:
        for sock in sockets:
            sock.close()
    deadline = time.monotonic() + HANG_GUARD
    while threading.active_count() > before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert threading.active_count() <= before


def test_600_idle_connections_do_not_keep_600_threads(project: Path):
    preview = livebuild.Preview(project, (), looping_build)
    preview.rebuild()
    with serve.PreviewServer(preview, "127.0.0.1", 0, watch_files=False,
                             idle_timeout=1) as running:
        before = threading.active_count()
        sockets = [connect(running) for _ in range(600)]
        try:
            assert threading.active_count() <= before + serve.MAX_CONNECTIONS
            deadline = time.monotonic() + HANG_GUARD
            while threading.active_count() > before and time.monotonic() < deadline:
                time.sleep(0.05)
            assert threading.active_count() <= before
        finally:
            for sock in sockets:
                sock.close()


def test_event_streams_outlive_the_idle_timeout_and_are_bounded(tight_server):
    server = tight_server
    request = b"GET /__dripmail__/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    with connect(server) as first, connect(server) as second:
        for stream in (first, second):
            stream.sendall(request)
        time.sleep(1.5)  # three idle timeouts without a byte from the client
        epoch = server.preview.epoch
        server.preview.rebuild()
        received = b""
        while f"data: {epoch + 1}".encode() not in received:
            chunk = first.recv(4096)
            assert chunk, received
            received += chunk
        third = answer(server, request)  # a third page while two are open
        assert third.startswith(b"HTTP/1.0 503")
