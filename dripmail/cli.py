"""Command line: thin click commands that parse, call one core function and report."""

from __future__ import annotations

import click

from dripmail import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="dripmail")
def cli() -> None:
    """Turn an article into a dated email sequence (an email course) and newsletter emails."""
