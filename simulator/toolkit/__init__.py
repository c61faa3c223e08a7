"""The provider toolkit: what every provider builds on, provider-agnostic (never names a provider)."""
