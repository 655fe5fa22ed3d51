"""Shipped rule packs (YAML). Loaded with importlib.resources; see docs/policy.md for the schema."""
