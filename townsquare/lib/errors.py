class ActionError(Exception):
    """A write was refused for a reason the user can act on. The message is shown as-is.

    `code` is a stable, machine-readable reason (API clients rely on it).
    """

    def __init__(self, message: str, code: str = "invalid", status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status
