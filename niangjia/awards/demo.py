"""Demo award round (filled in below)."""


def load(ctx) -> None:
    return None
