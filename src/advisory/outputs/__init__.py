"""What the engine produces, for people and programs: text, reports, trip clearances, desks."""
