"""The web dashboard and JSON API (`ceasefire serve`): a thin shell over the library."""

from .app import create_app

__all__ = ["create_app"]
