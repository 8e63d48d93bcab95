"""The committed studies: each ``python -m studies.<name>`` reruns one and writes its tables and
figures under ``docs/``."""
