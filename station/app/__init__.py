"""The application layer: one Qt-free use-case object per thing the station does.

Each use case is built like `station.bench.Bench` (the packing flow): database,
settings, printer, runner and clock injected, devices and upstreams as
Protocols. The window (`station/ui`) and the `station` command
(`station/commands`) are adapters that call these; `station/store` holds the
queries and transactions they use, and no policy of its own.
"""
