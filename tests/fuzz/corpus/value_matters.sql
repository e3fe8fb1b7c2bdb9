SELECT x::float(10), y::int[3], z[1] FROM t; SELECT 'a'
'b'