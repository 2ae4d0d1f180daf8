"""Printed documents: the house style and one reportlab renderer per document (no Qt, no services)."""
