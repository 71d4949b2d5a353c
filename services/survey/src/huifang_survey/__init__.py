"""Huifang survey service."""
