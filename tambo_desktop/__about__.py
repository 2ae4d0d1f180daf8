"""Name, application id and version: the one place the version lives."""

APP_NAME = "TAMBO Desktop"
APP_ID = "tambo-desktop"
ORGANIZATION = "PAIS"
__version__ = "0.1.0"
