"""The queries of the SQL adapters, written once: each module a group of operations on a
connection, run through the engine's :class:`~.dialect.Dialect`. The engines' packages keep only
what truly differs: connections, schema, full-text search, the change feed's signalling."""
