"""微信公众号接入 — models (filled in by its issue)."""
