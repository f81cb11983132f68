"""The Jinja environment: a project's templates/ overrides the built-in theme file by file."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import jinja2
from markupsafe import Markup

from dripmail.errors import TemplateError
from dripmail.providers import dialect


def builtin_dir() -> Path:
    """The built-in theme: dripmail/templates in a wheel, the top-level templates/ in a checkout."""
    here = Path(__file__).resolve().parents[1]
    packaged = here / "templates"
    return packaged if packaged.is_dir() else here.parent / "templates"


def _tag(name: str, fallback: str = "") -> Markup:
    """Template helper: a neutral merge tag, resolved per provider after inlining."""
    return Markup(dialect.token(name, fallback))


def environment(project_templates: Path | None) -> jinja2.Environment:
    """One Environment per templates folder: StrictUndefined, autoescaped HTML."""
    return _environment(project_templates.resolve() if project_templates else None)


def for_project(project_dir: Path) -> jinja2.Environment:
    """The environment of a project: its templates/ (if any) over the built-in theme."""
    templates = project_dir / "templates"
    return environment(templates if templates.is_dir() else None)


def reset() -> None:
    """Forget the environments (and their compiled templates): templates are read afresh."""
    _environment.cache_clear()


@lru_cache(maxsize=8)  # keyed by absolute folder: templates are never checked for changes
def _environment(project_templates: Path | None) -> jinja2.Environment:
    dirs = [str(d) for d in (project_templates, builtin_dir()) if d and d.is_dir()]
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(dirs),
        undefined=jinja2.StrictUndefined,
        autoescape=jinja2.select_autoescape(["html", "htm", "xml"]),
        keep_trailing_newline=True,
        # No stat() of every template on each render; the preview calls reset() before each
        # rebuild, so edits are still picked up.
        auto_reload=False,
    )
    env.globals["tag"] = _tag
    return env


def render(env: jinja2.Environment, name: str, context: dict) -> str:
    """Render template `name`, turning Jinja errors into one-line TemplateErrors."""
    try:
        return env.get_template(name).render(context)
    except jinja2.TemplateSyntaxError as exc:
        where = _shown(exc.filename) if exc.filename else (exc.name or name)
        raise TemplateError(f"{where}:{exc.lineno}: template syntax error: {exc.message}; fix "
                            "the template") from exc
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(f"template '{exc.name}' not found in templates/ or the built-in "
                            "theme") from exc
    except jinja2.UndefinedError as exc:
        raise TemplateError(f"{_template_line(exc, env, name)}: {exc.message}; the template "
                            "uses a variable dripmail does not provide (see the README's "
                            "template variables)") from exc


def _shown(filename: str) -> str:
    """A template's path as the user knows it: relative to the current folder when inside it."""
    try:
        return Path(filename).relative_to(Path.cwd()).as_posix()
    except ValueError:
        return filename


def _template_line(exc: BaseException, env: jinja2.Environment, name: str) -> str:
    """`file:line` of the innermost template frame in a Jinja traceback."""
    tb, where = exc.__traceback__, name
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".html", ".txt", ".htm", ".css")):
            where = f"{_shown(filename)}:{tb.tb_lineno}"
        tb = tb.tb_next
    return where
