"""Huifang event contracts: the envelope, every integration event, the topic catalogue."""
