"""Huifang callback service."""
