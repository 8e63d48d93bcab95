"""What runs evolution and draws: the command line every scenario shares, the across-seeds helpers and
the README gallery. It sits above the engine, ``evolution`` and ``plots``; scenario modules use it."""
