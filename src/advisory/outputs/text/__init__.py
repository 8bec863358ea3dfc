"""Outputs built from an assessment: text table, JSON, explain traces."""
