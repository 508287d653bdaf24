"""The clerk's desk: a small web page served by the service (Starlette, Jinja2, plain forms)."""
