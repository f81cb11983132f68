"""Front matter of every common blog engine (issue 13, item 1), and one bad article never
stopping the others (item 2)."""

from __future__ import annotations

import os
from pathlib import Path
from textwrap import dedent

import pytest
from click.testing import CliRunner, Result

from dripmail.cli import cli
from dripmail.errors import ConfigError
from dripmail.pipeline.project import load_articles, read_articles
from dripmail.reading.sources import read_source
from tests.conftest import write

BODY = "# The heading\n\nSome words of the article, enough of them to read.\n"


def build(project: Path, *args: str) -> Result:
    cwd = os.getcwd()
    os.chdir(project)
    try:
        return CliRunner().invoke(cli, ["build", "--jobs", "1", *args])
    finally:
        os.chdir(cwd)


def text_of(folder: Path) -> str:
    """The plain-text part of a one-email sequence."""
    return next(folder.glob("01-*.txt")).read_text(encoding="utf-8")


def errors(result: Result) -> list[str]:
    assert "Traceback" not in result.output
    return [line for line in result.output.splitlines() if line.startswith("Error:")]


def settings_of(project: Path, name: str):
    return load_articles(project, [project / "sequences" / name])[0].settings


# -- the engines' fences -------------------------------------------------------------------

def test_toml_front_matter_of_hugo_and_zola(project: Path) -> None:
    path = write(project / "sequences" / "a.md", dedent("""
        +++
        title = "Migrer vers Hugo"
        date = 2014-03-10
        weight = 40
        [taxonomies]
        tags = ["hugo"]
        [extra]
        github = "someone"
        +++

    """) + BODY)
    src = read_source(path)
    assert src.front == "toml" and src.body.startswith("# The heading")
    assert src.body_line == 11
    settings = settings_of(project, "a.md")
    assert settings.title == "Migrer vers Hugo" and settings.date == "2014-03-10"


def test_json_front_matter_of_hugo(project: Path) -> None:
    write(project / "sequences" / "a.md", '{\n  "title": "From JSON",\n  "draft": false,\n'
          '  "tags": ["x"]\n}\n\n' + BODY)
    src = read_source(project / "sequences" / "a.md")
    assert src.front == "json" and src.body.startswith("# The heading")
    assert settings_of(project, "a.md").title == "From JSON"


def test_pelican_header_only_when_every_line_is_a_known_field(project: Path) -> None:
    pelican = write(project / "sequences" / "a.md", "Title: This Week in Rust 111\n"
                    "Number: 111\nDate: 2015-12-28\nCategory: This Week in Rust\n\n" + BODY)
    src = read_source(pelican)
    assert src.front == "header" and src.body.startswith("# The heading")
    assert src.meta == {"title": "This Week in Rust 111", "date": "2015-12-28"}
    prose = write(project / "sequences" / "b.md", "Note: this is the first sentence.\n"
                  "It goes on here.\n\n" + BODY)
    assert read_source(prose).front == "" and read_source(prose).body.startswith("Note:")


def test_a_plain_text_title_line_is_prose_but_a_document_header_is_read(project: Path) -> None:
    prose = write(project / "sequences" / "a.txt", "Title: why I write\n\nA paragraph.\n")
    assert read_source(prose).front == "" and read_source(prose).meta == {}
    pep = write(project / "sequences" / "pep.txt", """
        PEP: 257
        Title: Docstring Conventions
        Author: David Goodger <goodger@python.org>,
                Guido van Rossum <guido@python.org>
        Status: Draft
        Created: 29-May-2001

        Abstract
        ========

        This PEP documents the semantics of docstrings.
    """)
    src = read_source(pep)
    assert src.front == "document" and src.body.startswith("Abstract")
    assert src.meta["title"] == "Docstring Conventions"
    settings = settings_of(project, "pep.txt")
    assert settings.title == "Docstring Conventions" and not settings.draft  # a PEP's status


# -- keys -------------------------------------------------------------------------------------

def test_metadata_under_other_engines_names(project: Path) -> None:
    write(project / "sequences" / "a.md", dedent("""
        ---
        title: 'Markdown Style Guide'
        summary: 'Here is a sample of some basic Markdown syntax.'
        pubDate: 'Jul 01 2022'
        heroImage: '/blog-placeholder-1.jpg'
        authors:
          - name: Joel Marcey
          - Ada Lovelace
        lang: fr_CA
        ---
    """) + BODY)
    s = settings_of(project, "a.md")
    assert (s.title, s.description, s.date, s.image, s.author, s.language) == (
        "Markdown Style Guide", "Here is a sample of some basic Markdown syntax.",
        "Jul 01 2022", "/blog-placeholder-1.jpg", "Joel Marcey, Ada Lovelace", "fr-CA")


def test_other_engines_keys_are_ignored_and_listed_with_verbose(project: Path) -> None:
    write(project / "sequences" / "a.md", dedent("""
        ---
        layout: post
        title: A post
        tags: [a, b]
        categories: [release]
        headerimg: /x.png
        eleventyNavigation: {key: home}
        whatever_my_theme_wants: 3
        ---
    """) + BODY)
    quiet = build(project)
    assert quiet.exit_code == 0, quiet.output
    assert "layout" not in quiet.output
    loud = build(project, "-v")
    line, = [ln for ln in loud.output.splitlines() if "left out of the front matter" in ln]
    for key in ("layout", "tags", "categories", "headerimg", "eleventyNavigation",
                "whatever_my_theme_wants"):
        assert f"'{key}'" in line
    assert "preheaders" not in loud.output  # headerimg is no misspelt dripmail setting


def test_a_misspelt_dripmail_setting_is_an_error_naming_the_setting(project: Path) -> None:
    write(project / "sequences" / "a.md", "---\nlayout: post\nemials: 3\n---\n" + BODY)
    result = build(project)
    assert result.exit_code == 1
    assert errors(result) == [
        "Error: sequences/a.md:3: unknown setting 'emials'; did you mean 'emails'?"]


def test_the_dripmail_table_holds_settings_whose_names_clash(project: Path) -> None:
    write(project / "sequences" / "a.md", dedent("""
        ---
        title: The page title
        slug: Learn/Getting_started_with_the_web/How_the_Web_works
        url: /:section/:year/:slug/
        dripmail:
          title: The course title
          slug: web-course
          emails: 2
        ---
    """) + BODY)
    s = settings_of(project, "a.md")
    assert (s.title, s.slug, s.emails, s.url) == ("The course title", "web-course", 2, "")
    write(project / "sequences" / "b.md", dedent("""
        +++
        title = "Page"
        [dripmail]
        emials = 2
        +++
    """) + BODY)
    with pytest.raises(ConfigError) as exc:
        load_articles(project, [project / "sequences" / "b.md"])
    assert exc.value.problems == [f"{project / 'sequences' / 'b.md'}:4: unknown setting "
                                  "'dripmail.emials'; did you mean 'emails'?"]


def test_a_site_path_url_is_joined_to_base_url(project: Path) -> None:
    write(project / "dripmail.toml", 'base_url = "https://example.org/"\n')
    write(project / "sequences" / "a.md", "---\npermalink: /2015/12/post/\n---\n" + BODY)
    assert settings_of(project, "a.md").url == "https://example.org/2015/12/post/"


# -- drafts ------------------------------------------------------------------------------------

@pytest.mark.parametrize("front", ["draft: true", "published: false", "status: draft"])
def test_drafts_are_skipped_with_one_line_unless_asked(project: Path, front: str) -> None:
    write(project / "sequences" / "a.md", BODY)
    write(project / "sequences" / "d.md", f"---\n{front}\n---\n" + BODY)
    result = build(project)
    assert result.exit_code == 0, result.output
    skipped = [ln for ln in result.output.splitlines() if "draft" in ln]
    assert skipped == ["sequences/d.md: skipped, a draft (its front matter says so); "
                       "`dripmail build --drafts` builds it"]
    assert not (project / "build" / "d").exists() and (project / "build" / "a").is_dir()
    again = build(project, "--drafts")
    assert again.exit_code == 0 and (project / "build" / "d").is_dir()


def test_pelican_status_draft_is_a_draft(project: Path) -> None:
    write(project / "sequences" / "p.md", "Title: Soon\nStatus: draft\n\n" + BODY)
    found = read_articles(project, [project / "sequences" / "p.md"])
    assert not found.loaded and len(found.skipped) == 1


# -- one bad article never stops the others ------------------------------------------------

def test_one_bad_article_is_reported_and_the_others_are_built(project: Path) -> None:
    write(project / "sequences" / "a.md", BODY)
    write(project / "sequences" / "c.md", BODY)
    assert build(project).exit_code == 0
    old = (project / "build" / "b").exists()
    write(project / "sequences" / "b.md", "---\nemails: lots\n---\n" + BODY)
    write(project / "sequences" / "c.md", BODY.replace("Some words", "Other words"))
    result = build(project)
    assert result.exit_code == 1
    assert errors(result) == ['Error: sequences/b.md:2: setting \'emails\' must be "auto" or '
                              "a number of emails from 1 to 100"]
    assert "Other words" in text_of(project / "build" / "c")
    assert (project / "build" / "b").exists() is old


def test_a_bad_article_keeps_its_previous_output(project: Path) -> None:
    write(project / "sequences" / "a.md", BODY)
    write(project / "sequences" / "b.md", BODY)
    assert build(project).exit_code == 0
    before = next((project / "build" / "b").glob("01-*.html")).read_bytes()
    write(project / "sequences" / "b.md", "# Only a title\n")
    write(project / "sequences" / "a.md", BODY.replace("Some words", "New words"))
    result = build(project)
    assert result.exit_code == 1
    assert errors(result) == ["Error: sequences/b.md:1: the article has a title but no body "
                              "text; add some paragraphs"]
    assert next((project / "build" / "b").glob("01-*.html")).read_bytes() == before
    assert "New words" in text_of(project / "build" / "a")
    assert "b/01-the-heading.html" in (project / "build" / "index.html").read_text("utf-8")


def test_settings_file_problems_still_stop_everything(project: Path) -> None:
    write(project / "sequences" / "a.md", BODY)
    write(project / "dripmail.toml", "emails = 0\n")
    result = build(project)
    assert result.exit_code == 1 and not (project / "build").exists()
    assert errors(result) == ["Error: dripmail.toml:1: setting 'emails' must be \"auto\" or a "
                              "number of emails from 1 to 100"]
