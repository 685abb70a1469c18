"""Storage: the tables (``models``), the engine and transactions (``db``), migrations."""
