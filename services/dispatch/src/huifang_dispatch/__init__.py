"""Huifang dispatch service."""
