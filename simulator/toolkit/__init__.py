"""The provider toolkit: what every provider is built from, so that all of them are built the same way.

- ``routes``: routes as data (:class:`~routes.Operation`) and the one request pipeline they run
  (auth, body, request schema, handler, the provider's envelope);
- ``errors``: the error base class every provider subclasses, rendered in one place;
- ``state``: one tenant's view of store, clock, ids and fake data;
- ``schemas``: a provider's JSON Schemas, compiled once, with format checks;
- ``verbs``: scenario verbs declared next to their handlers, with their effects;
- ``pages``: the hosted pages' skeleton, scenario picker and safe redirect (Jinja2 templates).

Provider-agnostic: the toolkit never names a provider, and the engine knows neither.
"""
