"""`python -m advisory.desk update --config ...`: the desk commands without the main CLI."""

from ..cli.desk import main

main()
