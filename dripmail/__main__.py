from dripmail.cli import cli

cli()
