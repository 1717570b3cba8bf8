"""US states and territories: the vocabulary's codes and names (see :mod:`smartpick.vocab`)."""

from smartpick.vocab import NAME_TO_CODE, STATE_NAMES, state_code

__all__ = ["NAME_TO_CODE", "STATE_NAMES", "state_code"]
