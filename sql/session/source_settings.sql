-- The source session's guard rails (DESIGN.md, "Safety with a user's database"):
-- $1 statement_timeout, $2 lock_timeout, $3 default_transaction_read_only.
SELECT set_config('statement_timeout', $1, false),
       set_config('lock_timeout', $2, false),
       set_config('default_transaction_read_only', $3, false)
