"""Files in and out: CSV/XLSX reading and writing and the import/export pipelines."""
