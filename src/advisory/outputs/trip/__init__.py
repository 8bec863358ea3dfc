"""Trip checks: clear or refuse a journey for a staff profile, with the measures it needs."""

from .decide import check_trip
from .itinerary import Itinerary, Leg, Travellers, load_itinerary

__all__ = ["Itinerary", "Leg", "Travellers", "check_trip", "load_itinerary"]
