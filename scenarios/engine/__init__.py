"""The engine every scenario shares: specs, worlds, the Scenario, assessment, alignment, behavioral fits
and serialization. It imports ``organisms`` only (see docs/architecture.md)."""
