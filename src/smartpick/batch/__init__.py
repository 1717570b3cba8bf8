"""Batch work beyond one plan: a cohort's plans and market studies, locally or on Dask.

- :mod:`smartpick.batch.engine`: where tasks run (this process, or a Dask cluster with the
  catalog and model loaded once per worker);
- :mod:`smartpick.batch.inputs`: a cohort's profiles from a folder, a CSV or a JSONL file;
- :mod:`smartpick.batch.cohort`: one plan per applicant, written as it finishes, resumable;
- :mod:`smartpick.batch.report`: the cohort report (Markdown, CSV, PNG).

Market studies run their replicates on the same engines
(:func:`smartpick.market.report.simulate`).
"""
