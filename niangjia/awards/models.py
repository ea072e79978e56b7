"""评选表彰 — models (filled in by its issue)."""
