"""Run painref as ``python -m painref``."""

from painref.cli import main

main()
