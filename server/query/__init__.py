"""Running SPARQL for researchers: sandboxed query processes, the query service (no Flask),
the canned queries and the warm-up that computes them when a build is opened."""
