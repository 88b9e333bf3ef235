"""``python -m boolfate`` runs the command-line interface."""

from boolfate.cli import main

main()
