"""Bundled and research datasets: the fictional demo corpus and PTC-style span corpora."""

from __future__ import annotations

__all__: list[str] = []

# ---- section: demo corpus ---------------------------------------------------------------------

# ---- section: span corpora (PTC layout) ------------------------------------------------------
