"""Use cases: validation, permissions and transactions. The GUI and the CLI both call these."""
