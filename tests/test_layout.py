"""The package's layout: no import cycle among its modules, and stages import only downwards.

The import graph is read from the source with `ast`, counting every import a module can run:
at module level, inside functions, and `importlib.import_module` calls. A call with a literal
name is one edge; an f-string such as f"dripmail.providers.{name}" reaches the modules under
its prefix that the same module names in a string constant (the registry pattern: the names
listed next to the lookup), or every module under the prefix when it names none; a call with
any other argument reaches every dripmail module the calling module names in a string
constant. Not counted: `if TYPE_CHECKING:` blocks (never run), and the implicit import of a
module's parent packages.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "dripmail"

# The stages, lowest first: a module may import its own stage and the ones before it, never a
# later one. Where the lead's plan put `settings` low, the code argues otherwise: validating
# settings asks the stages below it (provider names, check rule ids, email addresses), and
# only the commands (pipeline and up) read settings. The `dripmail check` runner renders
# sources through the pipeline, so it lives in pipeline/ (check.py), not in checks/.
LAYERS: list[tuple[str, ...]] = [
    ("__init__", "errors", "limits", "slug", "safetext", "lazy", "reference", "cssmatch",
     "languages", "i18n"),  # shared (languages: each shipped language's words and rules;
    # i18n: the theme's catalogs, dates and numbers by locale)
    ("models",),  # the frozen values passed between stages
    ("reading",),  # files -> sources -> pages -> articles (blocks)
    ("planning",),  # articles -> parts (split, subjects, preheaders, days)
    ("providers",),  # merge-tag dialects, import packages (as data), uploads
    ("rendering",),  # parts -> emails (theme, inlined HTML, plain text)
    ("writing",),  # emails -> files (the only code that writes build output)
    ("checks",),  # the quality gate over built emails
    ("settings",),  # dripmail.toml + front matter + command line, validated
    ("pipeline",),  # build(): the stages in order; executor, worker, cache; `check` runner
    ("newsletter",),  # an issue, published through the pipeline
    ("delivery",),  # upload and test sends
    ("preview",),  # the live preview server
    ("init",),  # `dripmail init`
    ("cli", "__main__"),  # the commands
]

# Edges known to be wrong and removed by another branch of the same issue. Each must still
# exist (the test says when one can go), and is left out of the checks meanwhile.
KNOWN: dict[tuple[str, str], str] = {}


def modules() -> dict[str, Path]:
    """Dotted name -> file of every module of the package."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _nodes(tree: ast.AST) -> Iterator[ast.AST]:
    """Every node that can run (the bodies of `if TYPE_CHECKING:` are skipped)."""
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, ast.If) and _is_type_checking(node):
            stack.extend(node.orelse)
            continue
        stack.extend(ast.iter_child_nodes(node))


def _resolve(name: str, known: dict[str, Path]) -> str | None:
    """The module `name` imports: itself, or its longest known prefix."""
    while name:
        if name in known:
            return name
        name = name.rpartition(".")[0]
    return None


def _package_of(module: str, path: Path) -> str:
    return module if path.name == "__init__.py" else module.rpartition(".")[0]


def _from_import(node: ast.ImportFrom, module: str, path: Path, known: dict) -> Iterator[str]:
    base = node.module or ""
    if node.level:
        anchor = _package_of(module, path)
        for _ in range(node.level - 1):
            anchor = anchor.rpartition(".")[0]
        base = f"{anchor}.{base}".rstrip(".")
    for alias in node.names:
        target = f"{base}.{alias.name}"
        yield target if target in known else base


def _is_import_module(node: ast.Call) -> bool:
    func = node.func
    return (isinstance(func, ast.Attribute) and func.attr == "import_module") or (
        isinstance(func, ast.Name) and func.id == "import_module")


def _dynamic(node: ast.Call, constants: set[str], known: dict) -> Iterator[str]:
    """The modules an `importlib.import_module(...)` call can reach (see the docstring)."""
    if not node.args:
        return
    arg = node.args[0]
    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
        yield arg.value
    elif isinstance(arg, ast.JoinedStr) and arg.values and isinstance(arg.values[0], ast.Constant):
        prefix = str(arg.values[0].value)
        under = [m for m in known if m.startswith(prefix)]
        named = [m for m in under if m[len(prefix):] in constants]
        yield from named or under
    else:
        yield from (c for c in constants if c in known)


def imports(module: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The package's modules that `module` imports (module level, in functions, importlib)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    constants = {n.value for n in ast.walk(tree)
                 if isinstance(n, ast.Constant) and isinstance(n.value, str)}
    targets: list[str] = []
    for node in _nodes(tree):
        if isinstance(node, ast.Import):
            targets += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            targets += _from_import(node, module, path, known)
        elif isinstance(node, ast.Call) and _is_import_module(node):
            targets += _dynamic(node, constants, known)
    found = {_resolve(t, known) for t in targets if t == "dripmail" or t.startswith("dripmail.")}
    return {t for t in found if t is not None and t != module}


def graph() -> dict[str, set[str]]:
    """Module -> the modules it imports, the known wrong edges left out."""
    known = modules()
    edges = {m: imports(m, p, known) for m, p in known.items()}
    for (a, b) in KNOWN:
        edges[a].discard(b)
    return edges


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """One import cycle (its modules, the first repeated at the end), or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    for start in sorted(edges):
        if state.get(start):
            continue
        path, iters = [start], [iter(sorted(edges[start]))]
        state[start] = 1
        while path:
            nxt = next(iters[-1], None)
            if nxt is None:
                state[path.pop()] = 2
                iters.pop()
            elif state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            elif not state.get(nxt):
                state[nxt] = 1
                path.append(nxt)
                iters.append(iter(sorted(edges.get(nxt, ()))))
    return None


def layer(module: str) -> int:
    """The stage of a module: its top-level name inside the package."""
    top = module.split(".")[1] if "." in module else "__init__"
    for n, names in enumerate(LAYERS):
        if top in names:
            return n
    raise AssertionError(f"{module} is in no layer: add its stage to LAYERS in this test")


def test_every_module_is_in_a_layer() -> None:
    for module in modules():
        layer(module)


def test_the_known_wrong_edges_still_exist() -> None:
    known = modules()
    for (a, b), why in KNOWN.items():
        assert b in imports(a, known[a], known), (
            f"{a} no longer imports {b} ({why}): remove the entry from KNOWN in this test")


def test_no_import_cycle() -> None:
    cycle = find_cycle(graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_stages_import_only_downwards() -> None:
    upward = sorted(f"{a} -> {b}" for a, targets in graph().items() for b in targets
                    if layer(b) > layer(a))
    assert upward == [], "imports of a later stage:\n" + "\n".join(upward)


def test_the_executor_imports_nothing_of_dripmail() -> None:
    assert graph()["dripmail.pipeline.executor"] == set()


def test_the_provider_registry_imports_only_provider_modules() -> None:
    names = {f"dripmail.providers.{n}" for n in ("mailchimp", "kit", "mailerlite", "brevo",
                                                 "ses", "postmark", "sendgrid", "mailgun")}
    assert graph()["dripmail.providers"] == names


def test_the_graph_sees_function_level_and_importlib_imports() -> None:
    """The scanner itself: a cycle hidden in a function or an importlib call is found."""
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}
    assert find_cycle(edges) == ["a", "b", "c", "a"]
    edges = graph()
    assert "dripmail.pipeline.worker" in edges["dripmail.pipeline.build"]
    assert "dripmail.reading.from_markdown" in edges["dripmail.reading"]  # in a function
    assert "dripmail.pipeline.build" in edges["dripmail.preview.livebuild"]  # importlib
