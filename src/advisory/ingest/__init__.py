"""Readers for the four public input contracts: ACLED CSV, guidance YAML, places GeoJSON, rules."""
