"""Niangjia (娘家): a work platform for the women's federation."""


def version() -> str:
    """The installed version (pyproject.toml's, through the package metadata)."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed

    try:
        return installed("niangjia")
    except PackageNotFoundError:  # running from a checkout that was never installed
        return "0+unknown"
