"""CLI adapters: each module parses arguments, calls one service or engine, and prints the result.

Every module exposes ``register(app: typer.Typer) -> None``; ``complaintdesk.cli`` imports them.
"""
