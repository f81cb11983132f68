"""Extract, update and compile dripmail's gettext catalogs (Babel's pybabel, run from here).

    python scripts/i18n.py            # extract -> update every catalog -> compile them all
    python scripts/i18n.py init xx    # start a catalog for language xx, then translate it
    python scripts/i18n.py --check    # exit 1 when a catalog is not current (CI)

Extraction reads babel.cfg: the theme's templates (Jinja's i18n extension) and the strings
Python writes into emails (dripmail/i18n.py). The template is dripmail/locales/dripmail.pot;
each language's catalog is dripmail/locales/<lang>/LC_MESSAGES/dripmail.po, compiled to
dripmail.mo beside it (shipped in the package). The same steps by hand:

    pybabel extract -F babel.cfg -k N_ -c Translators: -o dripmail/locales/dripmail.pot .
    pybabel update -i dripmail/locales/dripmail.pot -d dripmail/locales -D dripmail -N
    pybabel compile -d dripmail/locales -D dripmail --statistics
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
from pathlib import Path

from babel.messages.frontend import CommandLineInterface

ROOT = Path(__file__).resolve().parents[1]
LOCALES = ROOT / "dripmail" / "locales"
POT = LOCALES / "dripmail.pot"
DOMAIN = "dripmail"
_DATED = re.compile(r'^"(POT-Creation-Date|PO-Revision-Date): .*\\n"$', re.M)


def pybabel(*args: str) -> None:
    """Run one pybabel command (from the project's root, as babel.cfg's paths expect)."""
    here = Path.cwd()
    os.chdir(ROOT)
    try:
        CommandLineInterface().run(["pybabel", "-q", *args])
    finally:
        os.chdir(here)


def extract() -> bool:
    """Extract the messages into the template; True when they changed (dates aside)."""
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / "dripmail.pot"
        pybabel("extract", "-F", str(ROOT / "babel.cfg"), "-k", "N_", "-c", "Translators:",
                "--project", "dripmail", "--copyright-holder", "dripmail contributors",
                "--sort-by-file", "-o", str(fresh), ".")
        text = fresh.read_text(encoding="utf-8")
    old = POT.read_text(encoding="utf-8") if POT.is_file() else ""
    if _DATED.sub("", old) == _DATED.sub("", text):
        return False
    POT.write_text(text, encoding="utf-8")
    return True


def update() -> None:
    """Bring every language's catalog up to the template (no fuzzy guesses)."""
    if not any(LOCALES.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        return
    pybabel("update", "-i", str(POT), "-d", str(LOCALES), "-D", DOMAIN, "-N",
            "--ignore-obsolete")


def compile_all() -> None:
    pybabel("compile", "-d", str(LOCALES), "-D", DOMAIN)


def init(language: str) -> None:
    pybabel("init", "-i", str(POT), "-d", str(LOCALES), "-D", DOMAIN, "-l", language)
    print(f"Now translate {LOCALES / language / 'LC_MESSAGES' / 'dripmail.po'}, then run "
          "python scripts/i18n.py")


def check() -> int:
    """1 when the template, a catalog or a compiled catalog is not current."""
    sys.path.insert(0, str(ROOT))
    from tests.test_i18n import problems  # the same checks as the test suite

    found = problems()
    for line in found:
        print(line)
    return 1 if found else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", nargs="?", choices=("all", "init"), default="all")
    parser.add_argument("language", nargs="?", help="for init: the language code, e.g. ja")
    parser.add_argument("--check", action="store_true", help="only check, change nothing")
    args = parser.parse_args(argv)
    if args.check:
        return check()
    if args.command == "init":
        if not args.language:
            parser.error("init needs a language code, e.g. `init ja`")
        extract()
        init(args.language)
        return 0
    if extract():
        print(f"updated {POT.relative_to(ROOT)}")
    update()
    compile_all()
    return 0


if __name__ == "__main__":
    sys.exit(main())
