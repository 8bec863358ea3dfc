"""The assessment: the typed result of the engine (`model`), built from its scores (`build`),
with the sentences that explain it (`narrative`)."""

from .document import assessment_json, write_assessment_json
from .model import Assessment, Driver, Hazard, Location, National

__all__ = [
    "Assessment",
    "Driver",
    "Hazard",
    "Location",
    "National",
    "assessment_json",
    "write_assessment_json",
]
