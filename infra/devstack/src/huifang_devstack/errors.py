"""The one error the stack raises: its message tells the user what to install or set."""


class StackError(RuntimeError):
    """Starting, checking or stopping a stack component failed in a way the user must act on."""
