"""Read-only access to a build: the Store interface, the embedded Oxigraph store and a remote
SPARQL store, the query guard, the build folder's manifest, and the build being served."""
