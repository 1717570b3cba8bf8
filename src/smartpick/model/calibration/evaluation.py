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
    IM,
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
from smartpick.model.calibration.validation import (
    RANK_TARGET,
    Coverage,
    LosoRow,
    ProgramExample,
    RecordScore,
    Sensitivity,
    ShareCheck,
    assumption_sensitivity,
    leave_one_out,
    loso_rmse,
    program_examples,
    record_scores,
    share_holdout,
    simulated_coverage,
    specialty_medians,
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
    validation: Validation | None

    @property
    def failures(self) -> list[Figure]:
        return [f for f in self.figures if f.gated and not f.ok]


def evaluate(params: ModelParams, data_dir: Path, catalog: Path | None = None,
             validate: bool = True) -> Evaluation:
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
    im_programs = [p for p in programs if p.value("specialty") == IM]
    if not validate:
        return Evaluation(figures, effects, cohorts, rec_fit, rec_held, pubs, contexts, None)
    val = Validation(
        loso=leave_one_out(params, pubs, contexts), share=share_holdout(params, im_programs),
        records=record_scores(rec_fit, rec_held),
        coverage=simulated_coverage(params, pubs[IM], contexts[IM], int(params.meta.get(
            "seed", 0))),
        sensitivity=assumption_sensitivity(params, arrays),
        programs=program_examples(params, im_programs),
        medians=specialty_medians(params, programs))
    figures += validation_figures(val)
    return Evaluation(figures, effects, cohorts, rec_fit, rec_held, pubs, contexts, val)


@dataclass(frozen=True)
class Validation:
    loso: list[LosoRow]
    share: ShareCheck | None
    records: RecordScore
    coverage: Coverage
    sensitivity: Sensitivity
    programs: list[ProgramExample]
    medians: dict[str, float]


VALIDATION_SOURCE = "held-out data (see the validation section)"


def validation_figures(v: Validation) -> list[Figure]:
    rmse, worst = loso_rmse(v.loso)
    out = [
        Figure("loso_rmse/match rate, every usable specialty left out in turn", 0.0, rmse,
               True, None, False, "share", VALIDATION_SOURCE,
               f"worst {worst * 100:.1f} points; target 3 points", 0.03),
        Figure("records_log_loss/held-out records, per application (type-only baseline as "
               "published)", v.records.log_loss_baseline, v.records.log_loss_model, True,
               None, False, "ratio", VALIDATION_SOURCE, f"n={v.records.n_records}"),
        Figure("coverage/80% interval of the IM match rate, intercept refitted on simulated "
               "data (nominal as published)", 0.8, v.coverage.covered, True, None, False,
               "share", VALIDATION_SOURCE, f"{v.coverage.draws} simulated data sets"),
    ]
    if v.share is not None:
        out.append(Figure(
            "img_share_rank_correlation/held-out IM programs, implied intake (baseline as "
            "published)", v.share.rank_baseline, v.share.rank_model, True, None, False,
            "ratio", VALIDATION_SOURCE,
            f"n={v.share.n_programs}; target {RANK_TARGET}; baseline: type and fill alone"))
    return out

