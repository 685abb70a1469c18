"""``python -m api.cli``: the same command as ``penempatan``."""

from api.cli.app import main

main()
