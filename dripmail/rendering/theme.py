"""The Jinja environment: a project's templates/ overrides the built-in theme file by file, in
the email's language (Jinja's i18n extension over dripmail's gettext catalogs, see
:mod:`dripmail.i18n`)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import jinja2
from markupsafe import Markup

from dripmail import i18n, languages, reference
from dripmail.errors import TemplateError
from dripmail.providers import dialect

# What a template marks for translation: Jinja's own names and `N_` (marked, translated later).
GETTEXT_FUNCTIONS = ("_", "gettext", "ngettext", "N_")


def builtin_dir() -> Path:
    """The built-in theme: dripmail/templates in a wheel, the top-level templates/ in a checkout."""
    here = Path(__file__).resolve().parents[1]
    packaged = here / "templates"
    return packaged if packaged.is_dir() else here.parent / "templates"


def _tag(name: str, fallback: str = "") -> Markup:
    """Template helper: a neutral merge tag, resolved per provider after inlining."""
    return Markup(dialect.token(name, fallback))


def environment(project_templates: Path | None, language: str = "en",
                project_dir: Path | None = None) -> jinja2.Environment:
    """One Environment per templates folder and language: StrictUndefined, autoescaped HTML,
    the language's catalog (a project's `locales/` over the shipped one)."""
    return _environment(project_templates.resolve() if project_templates else None,
                        i18n.catalog(language, project_dir))


def for_project(project_dir: Path, language: str = "en") -> jinja2.Environment:
    """The environment of a project: its templates/ (if any) over the built-in theme."""
    templates = project_dir / "templates"
    return environment(templates if templates.is_dir() else None, language, project_dir)


def reset() -> None:
    """Forget the environments (and their compiled templates): templates are read afresh."""
    _environment.cache_clear()
    _messages.cache_clear()


@lru_cache(maxsize=16)  # keyed by absolute folder: templates are never checked for changes
def _environment(project_templates: Path | None, catalog: i18n.Catalog) -> jinja2.Environment:
    dirs = [str(d) for d in (project_templates, builtin_dir()) if d and d.is_dir()]
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(dirs),
        undefined=jinja2.StrictUndefined,
        autoescape=jinja2.select_autoescape(["html", "htm", "xml"]),
        keep_trailing_newline=True,
        # No stat() of every template on each render; the preview calls reset() before each
        # rebuild, so edits are still picked up.
        auto_reload=False,
        extensions=["jinja2.ext.i18n"],
        bytecode_cache=_bytecode_cache(),
    )
    env.install_gettext_translations(catalog.translations, newstyle=True)  # type: ignore
    tag = catalog.tag
    env.globals.update(tag=_tag, N_=i18n.N_, greeting=_greeter(catalog))
    env.filters["number"] = lambda value: i18n.number(value, tag)
    env.filters["date"] = lambda value: i18n.date(value, tag)
    env.extend(dripmail_catalog=catalog)  # on the environment: gone with it (see reset())
    return env


def catalog_of(env: jinja2.Environment) -> i18n.Catalog:
    """The catalog an environment translates with (the shipped English for a foreign one)."""
    return getattr(env, "dripmail_catalog", None) or i18n.catalog("en")


@lru_cache(maxsize=1)
def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Jinja's own cache of compiled templates, as Python keeps `.pyc` files: in a folder of
    the user's that Jinja checks is theirs alone (mode 0700), keyed by template file and
    checked against its source. It spares each build process compiling the theme (about
    30 ms). None with DRIPMAIL_REFERENCE set, or where there is no safe folder."""
    if reference.reference():
        return None
    try:
        return jinja2.FileSystemBytecodeCache()
    except (RuntimeError, OSError):
        return None


def _greeter(catalog: i18n.Catalog):
    """The `greeting(with_name, without_name)` helper of one language's templates: the two
    translated greetings ("Hi %(name)s," / "Hi there,") as text with the first-name tag."""

    @jinja2.pass_eval_context
    def greeting(ctx: jinja2.nodes.EvalContext, with_name: str, without_name: str) -> str:
        g = i18n.greeting(catalog.gettext(with_name), catalog.gettext(without_name))
        name = dialect.token("first_name", g.fallback, before=g.glue)
        if not ctx.autoescape:
            return f"{g.before}{name}{g.after}"
        return Markup.escape(g.before) + Markup(name) + Markup.escape(g.after)

    return greeting


def untranslated(env: jinja2.Environment) -> str | None:
    """One warning line when some of the theme's strings have no translation in the
    environment's language (and stay in English), or None."""
    catalog = getattr(env, "dripmail_catalog", None)
    if catalog is None or languages.primary(catalog.tag) in ("en", ""):  # the theme's own words
        return None
    messages = list(dict.fromkeys([*_messages(env), *i18n.PYTHON_STRINGS]))
    missing = catalog.missing(messages)
    if not missing:
        return None
    where = i18n.PROJECT_CATALOG.format(code=i18n.catalog_codes(catalog.tag)[-1])
    if len(missing) == len(messages):
        return (f"{i18n.name(catalog.tag)}: dripmail has no translation of its theme in this "
                f"language, so its {len(missing)} strings stay in English; translate them in "
                f"{where} (README, Languages)")
    shown = ", ".join(f"“{m}”" for m in missing[:3]) + (
        f" and {len(missing) - 3} more" if len(missing) > 3 else "")
    verb = "s have no translation and stay" if len(missing) > 1 else \
        " has no translation and stays"
    return (f"{i18n.name(catalog.tag)}: {len(missing)} theme string{verb} in English: "
            f"{shown}; translate them in {where} (README, Languages)")


@lru_cache(maxsize=16)
def _messages(env: jinja2.Environment) -> tuple[str, ...]:
    """The msgids of every template the environment can load (singular forms)."""
    found: list[str] = []
    for name in env.list_templates(extensions=["html", "txt"]):
        source = env.loader.get_source(env, name)[0]  # type: ignore[union-attr]
        try:
            for _line, _func, message in env.extract_translations(  # type: ignore[attr-defined]
                    source, gettext_functions=GETTEXT_FUNCTIONS):
                first = message[0] if isinstance(message, tuple) else message
                if first:
                    found.append(first)
        except jinja2.TemplateSyntaxError:
            continue  # reported when it is rendered
    return tuple(dict.fromkeys(found))


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
