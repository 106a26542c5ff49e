"""Rubrics as data: schema and library loader."""

from trainer.rubrics.loader import DEFAULT_RUBRIC_ID, list_rubrics, load_rubric, load_rubric_file
from trainer.rubrics.schema import Criterion, Rubric

__all__ = ["DEFAULT_RUBRIC_ID", "Criterion", "Rubric", "list_rubrics", "load_rubric", "load_rubric_file"]
