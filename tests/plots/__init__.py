"""Tests of the plots package."""
