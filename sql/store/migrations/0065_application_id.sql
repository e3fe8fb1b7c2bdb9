-- Marks the file as a pgadvisor store: SQLite's application id (the header field that tells programs' databases
-- apart), 0x70674164, ASCII 'pgAd'. Store::open refuses a database with another application id, or with tables
-- but no pgadvisor schema, rather than creating pgadvisor's tables in another program's file.
PRAGMA application_id = 1885815140;
