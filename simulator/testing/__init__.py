"""Testing helpers: a threaded server and a pytest plugin."""
