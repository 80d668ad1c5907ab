"""Demo data for Minqing: a fictional township roster and an event simulator.

* :func:`infra.demo.township.demo_roster` returns the CONTRACT roster shape.
* :mod:`infra.demo.simulate` generates realistic input-topic events (no Kafka).
"""

from infra.demo.township import CATEGORIES, demo_roster

__all__ = ["CATEGORIES", "demo_roster"]
