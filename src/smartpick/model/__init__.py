"""Interview and match probabilities, calibrated against published outcomes.

Public API (the planner's entry points)::

    from smartpick.model import ApplicantFeatures, load_model

    model = load_model()                       # shipped parameters, cached
    arrays = model.arrays(programs)            # catalog Programs -> ProgramArrays
    p, lo, hi = model.interview.predict_proba(features, arrays, signals=..., preferred_misses=...)
    r, r_lo, r_hi = model.match.predict_proba(features, arrays)   # P(match | interview)
    p_any, lo, hi = model.match.p_any(features, arrays)           # P(match somewhere on the list)
    log_miss = model.match.log_miss_by_draw(features, arrays)     # (B, H): lists across specialties
    outcomes = draw_scenarios(features, arrays, n_scenarios=2000, seed=1)  # (S, J) bool

- ``features`` is an :class:`ApplicantFeatures` (build one from a profile with
  :func:`features_from_profile`).
- ``signals`` is one of ``"none" | "silver" | "gold"`` per program (or codes 0/1/2);
  ``preferred_misses`` is the number of preferred rules the applicant misses at each program
  (from the eligibility engine). Both default to none.
- ``predict_proba`` returns arrays of length J: the probability and an 80% interval spanning
  the parameter draws and the priors of unknown program facts.
- ``log_miss_by_draw`` gives, per parameter draw and applicant-shock node, the log chance of
  matching nowhere on a list; lists in several specialties add up (same draws, same shock),
  so the spread of ``1 - exp(total) @ shock_nodes()[1]`` over draws is a list's interval.
- ``draw_scenarios`` returns correlated outcomes: per scenario one parameter draw, one shared
  applicant shock and one value of every unknown program fact; ``outcome="prob"`` gives the
  success probabilities given those instead of yes/no draws. The mean over scenarios of a
  column approximates ``P(interview) * P(match | interview)`` for that program.

Fitting: ``InterviewModel(params).fit(records, arrays)`` refits the interview layer on applicant
records and ``MatchModel(params).fit(published, held_out)`` the match layer on Charting Outcomes
cohorts (both return the model, with ``coef_`` / ``gamma_`` set). The whole seeded refit behind
``smartpick calibrate`` is :func:`smartpick.model.calibration.calibrate.calibrate` (offline
fitting, report and plots live in :mod:`smartpick.model.calibration`); planning only reads the
shipped ``params.json``.
"""

from smartpick.model.features import ApplicantFeatures, features_from_profile
from smartpick.model.interview import InterviewModel
from smartpick.model.match import MatchModel
from smartpick.model.params import ModelParams, load_params
from smartpick.model.program_arrays import ProgramArrays, build_program_arrays
from smartpick.model.scenarios import draw_scenarios
from smartpick.model.shipped import Model, load_model

__all__ = [
    "ApplicantFeatures",
    "InterviewModel",
    "MatchModel",
    "Model",
    "ModelParams",
    "ProgramArrays",
    "build_program_arrays",
    "draw_scenarios",
    "features_from_profile",
    "load_model",
    "load_params",
]
