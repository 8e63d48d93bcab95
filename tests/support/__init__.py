"""Helpers shared by tests: planted organisms, the treasure scenario and scenario doubles."""
