"""PostgreSQL: tables, engine, repositories."""
