"""Offline fitting of the model: ``smartpick calibrate`` and its report.

Nothing here runs when a plan is made: planning reads the shipped ``params.json`` through
:mod:`smartpick.model`. This package rebuilds that file from the shipped statistics and the
catalog (:mod:`.calibrate`), evaluates any set of parameters against published figures and
held-out data (:mod:`.evaluation`, :mod:`.validation`) and writes ``docs/calibration.md`` with
its plots (:mod:`.report`, :mod:`.plots`).
"""
