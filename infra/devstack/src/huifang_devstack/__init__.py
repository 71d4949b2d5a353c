"""The local stack: a real Apache Kafka broker and a real PostgreSQL server as local processes.

Tests, the demo and the CLI all go through `Stack`, so what the suite proves is what a user runs.
"""

from huifang_devstack.errors import StackError
from huifang_devstack.settings import StackSettings
from huifang_devstack.stack import ComponentStatus, Stack

__all__ = ["ComponentStatus", "Stack", "StackError", "StackSettings"]
