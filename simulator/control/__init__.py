"""The simulator's own control plane under ``/_sim/`` (never a provider path)."""
