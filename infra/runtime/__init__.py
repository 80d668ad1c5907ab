"""The embedded runtime: a real Kafka-protocol broker and a real PostgreSQL, as child processes."""
