"""The preview server: pure helpers, then HTTP-level tests against a real server on 127.0.0.1.

Most tests inject a small stand-in build function (articles -> one email per paragraph) so the
server is tested independently of the build pipeline; one test uses the real
`dripmail.pipeline.build`.
"""

from __future__ import annotations

import http.client
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from dripmail.cli import cli
from dripmail.errors import ContentError
from dripmail.models import BuildResult, Email, EmailSequence, Settings
from dripmail.preview import handler, livebuild, pages, timeline, watching
from dripmail.preview import server as serve

# -- a stand-in build function -------------------------------------------------------------


def fake_build(project_dir, sources=(), out_dir=None, overrides=None):
    """One sequence per article in sequences/, one email per paragraph; `BROKEN` fails."""
    provider = (overrides or {}).get("provider") or "generic"
    articles = sources or sorted((Path(project_dir) / "sequences").glob("*.txt"))
    out_dir.mkdir(parents=True)
    sequences = []
    for article in articles:
        text = Path(article).read_text(encoding="utf-8")
        for number, line in enumerate(text.splitlines(), 1):
            if "BROKEN" in line:
                raise ContentError("cannot read this; remove BROKEN", path=article, line=number)
        slug = Path(article).stem
        folder = out_dir / slug
        folder.mkdir()
        paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
        emails, entries = [], []
        for i, para in enumerate(paragraphs, 1):
            stem = f"{i:02d}-part-{i}"
            html = (
                f"<!doctype html><html><head><style>@media (prefers-color-scheme: dark) "
                f"{{ body {{ background: #111 !important; }} }}</style></head>"
                f"<body><p>Hi {{{{ first_name }}}} ({provider})</p><p>{para}</p></body></html>"
            )
            (folder / f"{stem}.html").write_text(html, encoding="utf-8")
            (folder / f"{stem}.txt").write_text(para + "\n", encoding="utf-8")
            words = len(para.split())
            emails.append(Email(i, len(paragraphs), 2 * (i - 1), f"part-{i}", para[:20],
                                f"Subject {i}: {para[:40]}", f"Preheader {i}: {para}", html,
                                para, words))
            entries.append({"position": i, "day": 2 * (i - 1), "subject": emails[-1].subject,
                            "preheader": emails[-1].preheader, "html": f"{stem}.html",
                            "text": f"{stem}.txt", "words": words,
                            "html_bytes": len(html.encode())})
        manifest = {"sequence": {"slug": slug, "title": slug.title(), "source": str(article),
                                 "lang": "en", "provider": provider, "emails": len(entries)},
                    "emails": entries}
        (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
        settings = Settings(sender_name="Dr. Sender", provider=provider)
        sequences.append(EmailSequence(slug, slug.title(), Path(article), settings, tuple(emails)))
    (out_dir / "index.html").write_text("<html><body><h1>Index</h1></body></html>", "utf-8")
    return BuildResult(tuple(sequences), out_dir)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project folder with one two-paragraph article."""
    (tmp_path / "sequences").mkdir()
    (tmp_path / "sequences" / "welcome.txt").write_text(
        "First paragraph about partners.\n\nSecond paragraph about patience.\n", encoding="utf-8"
    )
    return tmp_path


def running_preview(project: Path, *, watch_files: bool) -> Iterator[serve.PreviewServer]:
    preview = livebuild.Preview(project, (), fake_build, providers=("generic", "mailchimp"))
    preview.rebuild()
    with serve.PreviewServer(preview, "127.0.0.1", 0, watch_files=watch_files) as running:
        assert not watch_files or running.watching.wait(timeout=30)
        yield running


@pytest.fixture
def server(project: Path) -> Iterator[serve.PreviewServer]:
    """A running preview of `project`, built once, not watching files."""
    yield from running_preview(project, watch_files=False)


@pytest.fixture
def watched(project: Path) -> Iterator[serve.PreviewServer]:
    """A running preview of `project` that rebuilds when its files change."""
    yield from running_preview(project, watch_files=True)


def request(server: serve.PreviewServer, path: str, method: str = "GET", body: bytes | None = None
            ) -> tuple[int, dict[str, str], bytes]:
    """Send `path` exactly as written (no client-side normalisation)."""
    host, port = server.httpd.server_address[:2]
    conn = http.client.HTTPConnection(host, port, timeout=30)
    try:
        headers = {"Content-Type": "application/json"} if body is not None else {}
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def state(server: serve.PreviewServer) -> dict:
    status, _, body = request(server, "/__dripmail__/state.json")
    assert status == 200
    return json.loads(body)


def wait_for_rebuild(preview: livebuild.Preview, seen: int) -> int:
    """Wait (generously) until the preview has rebuilt after epoch `seen`."""
    epoch = preview.wait(seen, timeout=30)
    assert epoch != seen, "the preview never rebuilt"
    return epoch


# -- pure helpers ----------------------------------------------------------------------------


def test_inject_reload_script_goes_before_the_last_body_end():
    page = b"<html><body><p>x</p><!-- </body> in a comment --></BODY></html>"
    out = pages.inject_reload_script(page, 7)
    assert out.startswith(b"<html><body><p>x</p><!-- </body> in a comment -->")
    assert out.endswith(b"</script></BODY></html>")
    assert b'new EventSource("/__dripmail__/events")' in out and b'"7"' in out
    assert page in out.replace(out[out.find(b"<script"): out.find(b"</script>") + 9], b"")


def test_inject_reload_script_without_body_appends_and_shows_errors_escaped():
    out = pages.inject_reload_script(b"<p>fragment</p>", 1, error="a.md:3: bad <tag>")
    assert out.startswith(b"<p>fragment</p><div data-dripmail-preview")
    assert b"a.md:3: bad &lt;tag&gt;" in out and b"<tag>" not in out


def test_force_dark_styles_turns_the_dark_query_on_and_the_light_one_off():
    page = (b"<html><head><style>@media (prefers-color-scheme: dark){a{color:#fff}}"
            b"@media screen and (PREFERS-COLOR-SCHEME:light){a{color:#000}}</style></head>"
            b"<body></body></html>")
    out = pages.force_dark_styles(page)
    assert b"@media (min-width: 0px){a{color:#fff}}" in out
    assert b"@media screen and (max-width: 0px){a{color:#000}}" in out
    assert out.index(b":root{color-scheme:dark}") < out.index(b"</head>")


@pytest.mark.parametrize("bad", ["../secret", "a/../../secret", "/etc/passwd", "..",
                                 "a\\..\\b", "%2e%2e/secret", "a\x00b", "C:/Windows"])
def test_safe_path_refuses_escapes(tmp_path: Path, bad: str):
    with pytest.raises(pages.Forbidden):
        pages.safe_path(tmp_path, bad)


def test_safe_path_refuses_symlinks_out_of_the_root(tmp_path: Path):
    root = tmp_path / "root"
    root.mkdir()
    (tmp_path / "secret.txt").write_text("s")
    (root / "link.txt").symlink_to(tmp_path / "secret.txt")
    (root / "ok.txt").write_text("ok")
    assert pages.safe_path(root, "ok.txt") == (root / "ok.txt").resolve()
    with pytest.raises(pages.Forbidden):
        pages.safe_path(root, "link.txt")


def test_timeline_figures():
    assert timeline.reading_time(238) == "1 min 00 s"
    assert timeline.reading_time(100) == "25 s"
    assert [timeline.size_level(n) for n in (76799, 76800, 104447, 104448)] == [
        "ok", "warn", "warn", "fail"]
    assert timeline.truncate("a" * 35, 35) == "a" * 35
    cut = timeline.truncate("Why your partner is not ready yet, and what helps", 35)
    assert len(cut) == 35 and cut.endswith("…")
    assert timeline.truncate("  spaced\n out  ", 35) == "spaced out"


def test_is_watched_articles_settings_and_templates(tmp_path: Path):
    theme = tmp_path / "theme"
    seqs = tmp_path / "sequences"
    assert watching.is_watched(seqs / "a.md", tmp_path, (), theme)
    assert watching.is_watched(tmp_path / "dripmail.toml", tmp_path, (), theme)
    assert watching.is_watched(tmp_path / "templates" / "email.html", tmp_path, (), theme)
    assert watching.is_watched(theme / "base.html", tmp_path, (), theme)
    assert not watching.is_watched(seqs / ".a.md.swp", tmp_path, (), theme)
    assert not watching.is_watched(seqs / "notes.docx", tmp_path, (), theme)
    assert not watching.is_watched(tmp_path / "build" / "index.html", tmp_path, (), theme)
    assert not watching.is_watched(tmp_path / "README.md", tmp_path, (), theme)
    one = tmp_path / "elsewhere" / "post.md"
    assert watching.is_watched(one, tmp_path, (one,), theme)
    assert not watching.is_watched(seqs / "a.md", tmp_path, (one,), theme)


def test_watch_roots_are_existing_folders_without_nesting(tmp_path: Path):
    (tmp_path / "sequences").mkdir()
    outside = tmp_path.parent / f"{tmp_path.name}-other"
    outside.mkdir()
    (outside / "post.md").write_text("x")
    roots = watching.watch_roots(tmp_path, (tmp_path / "sequences", outside / "post.md"), None)
    assert roots == [tmp_path.resolve(), outside.resolve()]


def test_is_loopback():
    assert pages.is_loopback("127.0.0.1") and pages.is_loopback("::1")
    assert pages.is_loopback("localhost")
    assert not pages.is_loopback("0.0.0.0") and not pages.is_loopback("192.168.1.5")


# -- HTTP ----------------------------------------------------------------------------------


def test_routes(server: serve.PreviewServer):
    status, headers, body = request(server, "/")
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert b"dripmail preview" in body and b"data-dripmail-preview" not in body
    assert headers["Cache-Control"] == "no-store"
    for asset, kind in (("app.js", "javascript"), ("app.css", "text/css")):
        status, headers, _ = request(server, f"/__dripmail__/{asset}")
        assert status == 200 and kind in headers["Content-Type"]
    status, _, body = request(server, "/build/")
    assert status == 200 and b"<h1>Index</h1>" in body and b"EventSource" in body
    status, _, body = request(server, "/build/welcome/02-part-2.txt")
    assert (status, body) == (200, b"Second paragraph about patience.\n")
    assert request(server, "/build/welcome/99-nope.html")[0] == 404
    assert request(server, "/nowhere")[0] == 404
    assert request(server, "/__dripmail__/nothing.js")[0] == 404


def test_state_json_describes_the_timeline(server: serve.PreviewServer):
    data = state(server)
    assert data["error"] is None and data["epoch"] == 1
    assert data["providers"] == ["generic", "mailchimp"] and data["provider"] is None
    assert data["index"] == "/build/"
    (seq,) = data["sequences"]
    assert (seq["slug"], seq["folder"], seq["sender"]) == ("welcome", "welcome", "Dr. Sender")
    first, second = seq["emails"]
    assert (first["day"], second["day"]) == (0, 2)
    assert first["html"] == "/build/welcome/01-part-1.html"
    assert first["text"] == "/build/welcome/01-part-1.txt"
    assert first["words"] == 4 and first["reading"] == "1 s"
    assert first["size_level"] == "ok" and first["html_bytes"] > 100
    assert first["inbox"]["phone"]["subject"] == "Subject 1: First paragraph about p…"
    assert first["inbox"]["desktop"]["subject"] == "Subject 1: First paragraph about partners."


@pytest.mark.parametrize("path", [
    "/build/../../../etc/passwd",
    "/build/%2e%2e/%2e%2e/etc/passwd",
    "/build/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
    "/build/%252e%252e/%252e%252e/etc/passwd",
    "/build/..%2f..%2fetc/passwd",
    "/build/..%5c..%5cetc%5cpasswd",
    "/build//etc/passwd",
    "/build/%2Fetc%2Fpasswd",
    "/__dripmail__/../serve.py",
    "/__dripmail__/%2e%2e/serve.py",
    "//etc/passwd",
    "http://127.0.0.1/build/../../etc/passwd",
    "/build/%00",
    "/build/%ff%fe",
])
def test_traversal_is_refused(server: serve.PreviewServer, path: str):
    status, _, body = request(server, path)
    assert status in (403, 404)
    assert b"root:" not in body and b"import" not in body


def test_reload_script_only_in_served_pages_never_on_disk(server: serve.PreviewServer):
    out_dir = server.preview.out_dir
    status, _, served = request(server, "/build/welcome/01-part-1.html")
    assert status == 200 and b"data-dripmail-preview" in served
    on_disk = (out_dir / "welcome" / "01-part-1.html").read_bytes()
    assert b"data-dripmail-preview" not in on_disk and b"EventSource" not in on_disk
    _, _, raw = request(server, "/build/welcome/01-part-1.html?raw=1")
    assert raw == on_disk
    _, _, dark = request(server, "/build/welcome/01-part-1.html?raw=1&dark=1")
    assert b"(min-width: 0px)" in dark and b"prefers-color-scheme" not in dark
    assert b"prefers-color-scheme" in (out_dir / "welcome" / "01-part-1.html").read_bytes()


def test_the_build_goes_to_a_temporary_folder_not_build(project: Path, server):
    out_dir = server.preview.out_dir
    assert not (project / "build").exists()
    assert not out_dir.is_relative_to(project)
    server.stop()  # the fixture stops it again: stopping twice is harmless
    assert not out_dir.exists() and not server.preview.root.exists()


def test_events_stream_sends_the_epoch_then_each_new_one(server: serve.PreviewServer):
    host, port = server.httpd.server_address[:2]
    conn = http.client.HTTPConnection(host, port, timeout=30)
    conn.request("GET", "/__dripmail__/events")
    response = conn.getresponse()
    assert response.getheader("Content-Type") == "text/event-stream"
    assert response.readline() == b"retry: 1000\n"
    assert response.readline() == b"data: 1\n"
    server.preview.rebuild()
    assert response.readline() == b"\n"
    assert response.readline() == b"data: 2\n"
    conn.close()


def test_error_page_on_a_broken_article_and_recovery(project: Path, watched):
    server = watched
    article = project / "sequences" / "welcome.txt"
    good = article.read_text(encoding="utf-8")
    seen = server.preview.epoch
    article.write_text(good + "\nThis line is BROKEN.\n", encoding="utf-8")
    wait_for_rebuild(server.preview, seen)
    data = state(server)
    assert data["error"]["file"] == str(article)
    assert data["error"]["line"] == 5
    assert "remove BROKEN" in data["error"]["message"]
    assert data["sequences"][0]["emails"][0]["subject"].startswith("Subject 1")  # last good build
    # the server keeps serving, and served pages carry the error banner
    status, _, page = request(server, "/build/welcome/01-part-1.html")
    assert status == 200 and b"remove BROKEN" in page
    assert request(server, "/")[0] == 200

    seen = server.preview.epoch
    article.write_text(good.replace("First", "Fixed"), encoding="utf-8")
    wait_for_rebuild(server.preview, seen)
    data = state(server)
    assert data["error"] is None
    assert data["sequences"][0]["emails"][0]["preheader"].startswith("Preheader 1: Fixed")
    assert b"remove BROKEN" not in request(server, "/build/welcome/01-part-1.html")[2]


def test_rebuild_on_change_of_settings_and_templates(project: Path, watched):
    server = watched
    for path in (project / "dripmail.toml", project / "templates" / "email.html"):
        path.parent.mkdir(exist_ok=True)
        seen = server.preview.epoch
        path.write_text("# changed\n", encoding="utf-8")
        wait_for_rebuild(server.preview, seen)


def test_unexpected_exceptions_are_shown_with_their_traceback(project: Path):
    def crashing_build(*args, **kwargs):
        raise RuntimeError("boom")

    messages: list[str] = []
    preview = livebuild.Preview(project, (), crashing_build, log=messages.append)
    try:
        assert preview.rebuild() is False
        data = preview.state()
        assert data["error"]["kind"] == "RuntimeError" and data["error"]["message"] == "boom"
        assert "Traceback" in data["error"]["traceback"]
        assert data["sequences"] == [] and messages[0] == "Build failed: boom"
    finally:
        preview.close()


def test_provider_switch_rebuilds_for_that_provider(server: serve.PreviewServer):
    url = "/__dripmail__/provider"
    status, _, body = request(server, url, "POST", b'{"provider": "mailchimp"}')
    assert status == 200 and json.loads(body)["provider"] == "mailchimp"
    assert state(server)["sequences"][0]["provider"] == "mailchimp"
    assert b"(mailchimp)" in request(server, "/build/welcome/01-part-1.html?raw=1")[2]
    status, _, _ = request(server, "/__dripmail__/provider", "POST", b'{"provider": "nope"}')
    assert status == 400
    status, _, body = request(server, "/__dripmail__/provider", "POST", b'{"provider": null}')
    assert status == 200 and json.loads(body)["sequences"][0]["provider"] == "generic"
    assert request(server, "/__dripmail__/elsewhere", "POST", b"{}")[0] == 404


def test_checker_findings_are_attached_per_email(project: Path):
    def checker(out_dir: Path, result) -> dict:
        assert (out_dir / "welcome" / "02-part-2.html").is_file() and result.sequences
        return {"welcome/02-part-2.html": [{"severity": "warning", "rule": "subject-length",
                                            "message": "too long", "fix": "shorten it"}]}

    preview = livebuild.Preview(project, (), fake_build, checker=checker)
    try:
        preview.rebuild()
        first, second = preview.state()["sequences"][0]["emails"]
        assert first["findings"] == [] and second["findings"][0]["rule"] == "subject-length"
        assert preview.state()["checks"] is True
    finally:
        preview.close()


# -- command line ----------------------------------------------------------------------------


def test_cli_preview_warns_on_a_public_host_and_reports_a_busy_port(project, monkeypatch):
    monkeypatch.chdir(project)
    seen = {}

    def fake_serve(project_dir, sources, **kwargs):
        seen.update(kwargs, project_dir=project_dir)

    monkeypatch.setattr(serve, "serve", fake_serve)
    result = CliRunner().invoke(cli, ["preview", "--host", "0.0.0.0", "--no-open", "--port", "0"])
    assert result.exit_code == 0, result.output
    assert "Warning: listening on 0.0.0.0" in result.output
    assert seen["host"] == "0.0.0.0" and seen["open_browser"] is False and seen["port"] == 0
    result = CliRunner().invoke(cli, ["preview", "--no-open"])
    assert "Warning" not in result.output and seen["host"] == "127.0.0.1" and seen["port"] == 8000


def test_serve_refuses_a_busy_port_with_a_clear_error(project: Path):
    from dripmail.errors import DripmailError

    preview = livebuild.Preview(project, (), fake_build)
    with serve.PreviewServer(preview, "127.0.0.1", 0) as busy:
        port = busy.httpd.server_address[1]
        with pytest.raises(DripmailError, match=f"cannot listen on 127.0.0.1:{port}.*--port"):
            serve.serve(project, host="127.0.0.1", port=port, open_browser=False,
                        build_fn=fake_build, log=lambda m: None)


def test_serve_stops_cleanly_on_ctrl_c(project: Path, monkeypatch):
    messages: list[str] = []

    def interrupt(_seconds):
        raise KeyboardInterrupt

    monkeypatch.setattr(serve.time, "sleep", interrupt)
    serve.serve(project, port=0, open_browser=False, build_fn=fake_build, log=messages.append)
    assert messages[0].startswith("Built 2 emails")
    assert messages[1].startswith(f"Previewing {project.resolve()} at http://127.0.0.1:")
    assert messages[-1] == "Stopping the preview."


def test_error_info_splits_file_and_line_from_the_message():
    from dripmail.errors import ConfigError, TemplateError

    info = livebuild.error_info(TemplateError("templates/email.html:3: template syntax error: x"))
    assert (info["file"], info["line"], info["message"]) == (
        "templates/email.html", 3, "template syntax error: x")
    info = livebuild.error_info(ContentError("empty article", path=Path("a.md")))
    assert (info["file"], info["line"], info["message"]) == ("a.md", None, "empty article")
    info = livebuild.error_info(ContentError("bad line", path=Path("a.md"), line=7))
    assert (info["file"], info["line"], info["message"]) == ("a.md", 7, "bad line")
    info = livebuild.error_info(ConfigError(["x.toml:1: one", "x.toml:2: two"]))
    assert info["file"] is None and "one" in info["message"] and "two" in info["message"]
    assert "traceback" not in info


def test_pages_loaded_in_frames_get_no_reload_script(server: serve.PreviewServer):
    host, port = server.httpd.server_address[:2]
    conn = http.client.HTTPConnection(host, port, timeout=30)
    conn.request("GET", "/build/welcome/01-part-1.html", headers={"Sec-Fetch-Dest": "iframe"})
    body = conn.getresponse().read()
    conn.close()
    assert body == (server.preview.out_dir / "welcome" / "01-part-1.html").read_bytes()


def test_real_build_template_error_shows_file_and_line_then_recovers(tmp_path: Path):
    """With the real pipeline: a broken project template, then its removal."""
    from dripmail.init import init_project

    init_project(tmp_path / "demo")
    project = tmp_path / "demo"
    preview = livebuild.Preview(project)
    preview.rebuild()
    with serve.PreviewServer(preview, "127.0.0.1", 0) as running:
        assert running.watching.wait(timeout=30)
        emails = state(running)["sequences"][0]["emails"]
        assert emails and all(e["html"].startswith("/build/") for e in emails)
        assert request(running, emails[0]["html"])[0] == 200
        template = project / "templates" / "email.html"
        seen = preview.epoch
        template.write_text('{% extends "base.html" %}\n\n{% if %}\n', encoding="utf-8")
        wait_for_rebuild(preview, seen)
        error = state(running)["error"]
        assert error["file"] == str(template) and error["line"] == 3
        assert "template syntax error" in error["message"]
        seen = preview.epoch
        template.unlink()
        wait_for_rebuild(preview, seen)
        assert state(running)["error"] is None
    assert not (project / "build").exists()


def test_quality_gate_findings_in_the_preview(tmp_path: Path):
    from dripmail.init import init_project

    init_project(tmp_path / "demo")
    preview = livebuild.Preview(tmp_path / "demo", checker=livebuild.default_checker())
    try:
        assert preview.rebuild()
        emails = preview.state()["sequences"][0]["emails"]
        found = [f for e in emails for f in e["findings"]]
        assert preview.state()["checks"] is True
        for finding in found:
            assert finding["severity"] in ("error", "warning") and finding["rule"]
            assert finding["message"]
    finally:
        preview.close()
    from dripmail.checks import check_sequences
    from dripmail.pipeline.project import render_project

    _docs, want = check_sequences(render_project(tmp_path / "demo").sequences)
    assert found and sorted((f["rule"], f["severity"], f["message"]) for f in found) == sorted(
        (f.rule, f.severity, f.message) for f in want)  # what `dripmail check` reports


def test_host_header_must_be_loopback_on_a_loopback_bind():
    for ok in (None, "127.0.0.1:8000", "localhost:8000", "localhost", "[::1]:8000"):
        assert pages.host_allowed(ok, "127.0.0.1"), ok
    for bad in ("evil.example:8000", "evil.example", "192.168.1.5:8000", "[2001:db8::1]:80"):
        assert not pages.host_allowed(bad, "127.0.0.1"), bad
    assert pages.host_allowed("evil.example", "0.0.0.0")


def test_requests_for_another_host_name_and_cross_site_posts_are_refused(server):
    host, port = server.httpd.server_address[:2]
    conn = http.client.HTTPConnection(host, port, timeout=30)
    conn.request("GET", "/__dripmail__/state.json", headers={"Host": f"rebound.example:{port}"})
    assert conn.getresponse().status == 403
    conn.close()
    conn = http.client.HTTPConnection(host, port, timeout=30)
    conn.request("POST", "/__dripmail__/provider", body=b'{"provider": "generic"}',
                 headers={"Content-Type": "text/plain"})
    assert conn.getresponse().status == 415
    conn.close()
    assert state(server)["epoch"] == 1  # nothing was rebuilt


def test_ctrl_c_during_the_first_build_also_stops_cleanly(project: Path):
    def interrupted_build(*args, **kwargs):
        raise KeyboardInterrupt

    messages: list[str] = []
    serve.serve(project, port=0, open_browser=False, build_fn=interrupted_build,
                log=messages.append)
    assert messages == ["Stopping the preview."]


def test_every_preview_app_file_is_package_data():
    import fnmatch
    import tomllib

    root = Path(serve.__file__).resolve().parents[2]
    config = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["dripmail.preview"]
    files = [p.name for p in handler.STATIC_DIR.iterdir() if p.suffix != ".py"
             and p.name != "__pycache__"]
    assert {"app.html", "app.js", "app.css"} <= set(files)
    for name in files:
        assert any(fnmatch.fnmatch(name, pattern) for pattern in patterns), name
