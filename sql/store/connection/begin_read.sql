-- A read transaction (Store::open's checks read one state of the file).
BEGIN
