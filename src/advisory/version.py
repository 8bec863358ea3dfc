"""The engine's version, in one place: the package metadata (pyproject.toml) reads it from
here, and the assessment, the workbook and `--version` print it."""

__version__ = "0.1.0"
