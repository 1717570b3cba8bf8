"""Turn the raw sources into the normalised, versioned files under ``data/catalog/``.

The pipeline is deterministic: the same raw files always give byte-identical outputs.
``smartpick db ingest --raw PATH`` runs it; ``smartpick db build`` loads its outputs.
"""
