"""The installed package's version (pyproject.toml takes it from package.json)."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("hookline")
except PackageNotFoundError:  # imported from a source tree that was never installed
    __version__ = "0.0.0+unknown"
