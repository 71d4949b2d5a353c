"""Huifang reporting service."""
