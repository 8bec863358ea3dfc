"""`python -m advisory ...`: the same CLI as the `advisory` command."""

from .cli import main

main()
