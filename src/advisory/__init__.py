"""advisory: two-track travel risk advisories (personal security vs regime collapse)."""

from .version import __version__

__all__ = ["__version__", "assess"]


def assess(*args, **kwargs):
    """Run an assessment; see `advisory.engine.assess`."""
    from .engine import assess as _assess

    return _assess(*args, **kwargs)
