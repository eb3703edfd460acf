"""The build: load, check (SHACL), infer (OWL RL), publish, and the run that swaps a build in.

Only `strategiaverkko check` and `build` import this layer; the web workers never do, so they
never load pyshacl, owlrl or reasonable."""
