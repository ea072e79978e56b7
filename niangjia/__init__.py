"""Niangjia (娘家): a work platform for the women's federation."""

from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as installed


def version() -> str:
    """The installed version (pyproject.toml's, through the package metadata)."""
    try:
        return installed("niangjia")
    except PackageNotFoundError:  # running from a checkout that was never installed
        return "0+unknown"
