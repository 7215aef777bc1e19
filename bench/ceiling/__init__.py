"""The framework ceiling: the least Django can do for a request under the same gunicorn settings.

One view, no middleware, no database, no templates: it returns a JSON body computed once at
start-up (the bytes of the benchmarked API list response, read from CEILING_BODY_FILE), so
the figure is what Django and gunicorn alone cost per request on this machine.
"""
