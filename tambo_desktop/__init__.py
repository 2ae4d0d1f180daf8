"""TAMBO Desktop: the office application of a PAIS tambo."""

from tambo_desktop.__about__ import __version__

__all__ = ["__version__"]
