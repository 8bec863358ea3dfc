"""Trip checks: clear or refuse a journey for a staff profile, with the measures it needs."""

from .itinerary import Itinerary, Leg, Travellers, load_itinerary
from .trip import check_trip

__all__ = ["Itinerary", "Leg", "Travellers", "check_trip", "load_itinerary"]
