-- A template: {table} and {columns} as in copy_out.
COPY {table} ({columns}) FROM STDIN
