"""The program catalog: fields with provenance, ingest of sources, storage and search."""
