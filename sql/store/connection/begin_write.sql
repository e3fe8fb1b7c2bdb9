-- A writing transaction (Store::Transaction): IMMEDIATE takes the write lock now, so writers wait for each
-- other at the start rather than fail at their first write.
BEGIN IMMEDIATE
