"""Database layer: opening by URL, models, migrations and reference data."""
