"""The provider toolkit: what every provider is built from, so that all of them are built the same way.

- ``routes``: routes as data (:class:`~routes.Operation`) and the one request pipeline they run
  (auth, body, request schema, handler, the provider's envelope);
- ``errors``: the error base class every provider subclasses, rendered in one place;
- ``state``: one tenant's view of store, clock, ids and fake data;
- ``schemas``: a provider's JSON Schemas, compiled once, with format checks.

The toolkit knows no provider, and the engine knows neither.
"""
