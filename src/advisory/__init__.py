"""advisory: two-track travel risk advisories (personal security vs regime collapse)."""

__version__ = "0.1.0"


def assess(*args, **kwargs):
    """Run an assessment; see `advisory.engine.assess`."""
    from .engine import assess as _assess

    return _assess(*args, **kwargs)
