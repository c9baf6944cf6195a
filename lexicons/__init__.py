"""Bundled lexicons (YAML), installed as package data; load them with framing.load_lexicon(name)."""
