"""TAMBO Desktop: the office application of a PAIS tambo."""

from tambo_desktop.__about__ import __version__
from tambo_desktop.db.drivers import import_peewee_without_psycopg

import_peewee_without_psycopg()

__all__ = ["__version__"]
