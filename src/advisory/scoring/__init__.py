"""Scores and levels: point rules (the regime-collapse track, severity escalations) and the
fitted hazard models of the personal-security track."""
