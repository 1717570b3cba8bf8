"""All figures of the calibration for a set of parameters, without refitting.

``smartpick calibrate --check`` evaluates the shipped parameters this way; ``smartpick
calibrate`` evaluates the parameters it has just fitted and writes the report from the result.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from smartpick.model.calibration.catalog_rows import CATALOG_FILE, load_catalog_programs
from smartpick.model.calibration.cohort import PublishedSpecialty, load_published
from smartpick.model.calibration.effects import (
    Effect,
    applicant_type_figures,
    effect_sizes,
    failed_attempt_figure,
)
from smartpick.model.calibration.figures import (
    CohortPrediction,
    Figure,
    cohort_figures,
    im_arrays,
    overall_figure,
    predict_cohort,
    specialty_contexts,
)
from smartpick.model.calibration.fit_match import ApplyContext
from smartpick.model.calibration.records import load_records
from smartpick.model.calibration.reliability import (
    RecordPrediction,
    predict_records,
    record_figures,
)
from smartpick.model.params import ModelParams


@dataclass(frozen=True)
class Evaluation:
    figures: list[Figure]
    effects: list[Effect]
    cohorts: list[CohortPrediction]
    records_fit: list[RecordPrediction]
    records_held: list[RecordPrediction]
    published: dict[str, PublishedSpecialty]
    contexts: dict[str, ApplyContext]

    @property
    def failures(self) -> list[Figure]:
        return [f for f in self.figures if f.gated and not f.ok]


def evaluate(params: ModelParams, data_dir: Path, catalog: Path | None = None) -> Evaluation:
    pubs = load_published(data_dir / "stats")
    programs = load_catalog_programs(catalog or data_dir / CATALOG_FILE)
    arrays = im_arrays(params, programs)
    all_records = load_records(data_dir / "stats")
    records = {r.record: r for r in all_records}
    fit_ids, held_ids = params.meta.get("records_fit", []), params.meta.get("records_held_out", [])
    rec_fit = predict_records(params, [records[i] for i in fit_ids if i in records], arrays)
    rec_held = predict_records(params, [records[i] for i in held_ids if i in records], arrays)
    effects = effect_sizes(params, arrays)
    contexts = specialty_contexts(params, programs, pubs)
    figures = [
        *cohort_figures(params, pubs, contexts), overall_figure(params, pubs, contexts),
        *record_figures(rec_fit, rec_held),
        *applicant_type_figures(params, arrays, all_records), failed_attempt_figure(effects),
    ]
    cohorts = [predict_cohort(params, p, contexts[n]) for n, p in sorted(pubs.items())
               if p.usable]
    return Evaluation(figures, effects, cohorts, rec_fit, rec_held, pubs, contexts)
