def load(ctx) -> None:
    return None
