"""Errors users see. The hierarchy, drawn once:

LoadscoutError            anything loadscout reports to a user as one clear line
├── BadInput              the user's input is wrong (CLI exit 2, API 4xx)
│   ├── FlowsFileError    a flows file cannot be read, parsed or validated
│   └── TargetError       the target URL is malformed, unreachable or not an HTML page
└── RunFailed             the run itself could not complete (CLI exit 3)
    ├── IllegalTransition a run status change the state machine forbids
    └── TransientFailure  the environment failed (a worker process died): worth another attempt
"""


class LoadscoutError(Exception):
    """Base class; ``str(err)`` is a complete, user-facing sentence."""


class BadInput(LoadscoutError):
    pass


class FlowsFileError(BadInput):
    pass


class TargetError(BadInput):
    pass


class RunFailed(LoadscoutError):
    pass


class IllegalTransition(RunFailed):
    pass


class TransientFailure(RunFailed):
    """The orchestrator retries the phase that raised it, up to its bounded attempts."""
