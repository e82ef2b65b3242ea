"""aikg: a knowledge graph of AI labs, models and claims, with provenance."""
