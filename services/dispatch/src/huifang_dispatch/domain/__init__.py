"""Dispatch's rules as plain functions over values: no database, no broker, no clock reads."""
