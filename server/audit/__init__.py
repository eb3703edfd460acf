"""Checks of a running server from the outside, as the portals that harvest it would make them."""
