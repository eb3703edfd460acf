"""The HTTP surface: the Flask app, its request context, HTTP helpers, one blueprint per concern
(views/), what pages show (presenters/), languages, templates and static files."""
