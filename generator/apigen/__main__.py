"""`python -m apigen` runs the command line."""

from .cli import main

main()
