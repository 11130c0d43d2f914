"""Frozen helpers of released migration steps: what a step computed when it was
released (seed data, the encrypted-value format, the keyed fingerprints, the audit
chain's hash), copied here so that a later change to the application's own code
can never change what an old step does to a database it upgrades.

A module here is never edited after the step that uses it is released; a new step
that needs a different computation gets a new module. Nothing here imports from
`station` (tests/test_migrations_frozen.py checks it).
"""
