"""The ``penempatan`` command (see ``api.cli.app``)."""
