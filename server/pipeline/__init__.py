"""The build: load, check (SHACL), infer (OWL RL), publish, and the run that swaps a build in.

Only `strategiaverkko check`, `build` and the import commands load this layer; `serve` and its
web workers never do (tests/test_architecture.py), so they never load pyshacl, owlrl or reasonable."""
