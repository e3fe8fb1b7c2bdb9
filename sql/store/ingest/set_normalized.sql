-- A log class's normalized text, from the statement with the smallest hash seen so far.
UPDATE query_classes SET normalized = :normalized WHERE fingerprint = :fingerprint
