"""意见征集、意见箱与活动 — models (filled in by its issue)."""
