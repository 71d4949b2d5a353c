"""Huifang intake service."""
