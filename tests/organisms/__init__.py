"""Tests of the organisms package."""
