"""Specialty names: the vocabulary's canonical spellings (see :mod:`smartpick.vocab`)."""

from smartpick.vocab import CANONICAL, canonical, known_names, normalise, register

__all__ = ["CANONICAL", "canonical", "known_names", "normalise", "register"]
