def load(ctx):
    return 0
