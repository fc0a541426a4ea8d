"""The fault suite (issue 12): each way the site was made to fail, and what
it does now, including the recovery once the fault ends.

Faults are made here, never on the machine's shared servers: a private
redis-server (tests/support/caches.py) and a TCP proxy in front of
PostgreSQL or Redis (tests/support/proxy.py). The database faults that need
a server run on PostgreSQL (the PostgreSQL leg of .ci/run); the rest run on
both databases.
"""
