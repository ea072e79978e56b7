"""公开选配 — models (filled in by its issue)."""
