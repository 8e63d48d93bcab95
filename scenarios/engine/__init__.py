"""The engine every scenario shares: specs, worlds, the Scenario, measurement and the command line."""
