"""Shared fixtures of the model tests: the shipped parameters and Internal Medicine arrays."""

from __future__ import annotations

import pytest

from smartpick.model.calibration.catalog_rows import CATALOG_FILE, load_catalog_programs
from smartpick.model.params import ModelParams, load_params
from smartpick.model.program_arrays import ProgramArrays, build_program_arrays
from smartpick.settings import load_settings


@pytest.fixture(scope="session")
def params() -> ModelParams:
    return load_params()


@pytest.fixture(scope="session")
def im_programs() -> list:
    programs = load_catalog_programs(load_settings().data_dir / CATALOG_FILE)
    return [p for p in programs if p.value("specialty") == "Internal Medicine"]


@pytest.fixture(scope="session")
def im_arrays(params: ModelParams, im_programs: list) -> ProgramArrays:
    return build_program_arrays(im_programs, params)
