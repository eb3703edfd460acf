"""What pages show, computed from a build's store: plain functions with no request in them."""
