"""A small server-rendered web shop: what a newcomer tries first, and the target of our own tests.

It has everything a crawler must cope with (pagination, GET and POST forms with CSRF tokens, login,
a fetch()-driven page, an endless calendar, a destructive action) and counts every request per
route template so tests can assert what was and was not hit.
"""
