"""Editable playbooks and reply templates of the handling assistant (package data)."""
