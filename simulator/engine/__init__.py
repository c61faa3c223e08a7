"""The provider-agnostic core: clock, ids, fake data, store, scenarios, webhooks, journal.

Nothing in this package may import ``simulator.providers``: providers plug into the engine,
never the other way round (``tests/test_architecture.py`` checks it).
"""
