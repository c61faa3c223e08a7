"""Scenarios: named, scripted outcomes loaded from YAML files."""
