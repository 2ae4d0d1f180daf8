"""The central database of PAIS on PostgreSQL (issue 20, part 2): the tambos' packages imported,
verified and merged, the national indicators counted by the tambo's own rule.

A layer beside the window (``gui``): it uses the services (the package format, the indicators'
rule, the audit chain's hash) and the storage layer; only the command line imports it. See
docs/CENTRAL.md.
"""
