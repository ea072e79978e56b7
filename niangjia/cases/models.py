"""维权个案 — models (filled in by its issue)."""
