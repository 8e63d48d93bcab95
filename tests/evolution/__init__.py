"""Tests of the evolution package."""
