"""Features: what the rules and the hazard models may look at, for every location at one date
(exposures to recent incidents, guidance in force, location facts, confidence)."""
