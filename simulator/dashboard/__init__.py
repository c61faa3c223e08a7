"""The QA dashboard at ``/_sim/ui/``: one static page that reads the control API, writes nothing."""
