"""Webhook delivery: an outbox per tenant, provider-supplied signing and retry schedules."""
