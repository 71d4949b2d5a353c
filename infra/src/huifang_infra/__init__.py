"""Huifang shared infrastructure: settings, database, Kafka plumbing, telemetry, the local stack."""
