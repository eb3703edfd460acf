"""HTTP mechanics shared by every view: negotiation, conditional and cached responses, replay of
whole responses, compression, errors and the access log."""
