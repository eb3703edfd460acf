"""What every layer shares: settings, errors, IRIs, namespaces, the RDF format table and caches.

Imports nothing else of ours, so any layer may import it."""
