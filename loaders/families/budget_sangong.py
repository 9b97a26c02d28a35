"""预算 三公 items: kept for callers of the old module; the vocabulary is the spec's
(:func:`loaders.spec.vocabulary.sangong_item`) and the table is read by
:mod:`loaders.spec.sangong_table` for every family."""

from loaders.spec.vocabulary import other_item, sangong_item

__all__ = ["other_item", "sangong_item"]
