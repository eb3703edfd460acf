"""One blueprint per concern. A view reads the request, asks a presenter or the query service,
and answers through `web.http`."""
