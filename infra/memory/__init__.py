"""The unit of work in memory: the same protocols as PostgreSQL's, for fast service tests
(tests/unit/services) and the contract suite that holds the two implementations together."""
