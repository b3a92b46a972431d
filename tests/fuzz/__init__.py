"""Hostile-input fuzz tests (issue 10): every form of the UI and every API write endpoint."""
