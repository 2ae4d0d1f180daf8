"""Demo tambos: reproducible data made through the services (never used by a real tambo)."""
