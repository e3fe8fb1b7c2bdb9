#!/usr/bin/env python3
"""Builds a large log from a real sample: copy k gets pids shifted by k * 100000 and dates shifted by k days, so
that sessions never collide and time keeps moving. Usage: multiply.py SAMPLE OUT MIN_BYTES"""
import datetime
import re
import sys

sample_path, out_path, min_bytes = sys.argv[1], sys.argv[2], int(sys.argv[3])
sample = open(sample_path, "rb").read()
pid = re.compile(rb"^(\d{4}-\d\d-\d\d)( \d\d:\d\d:\d\d\.\d+ \w+ \[)(\d+)\]", re.M)
written = 0
k = 0
with open(out_path, "wb") as out:
    while written < min_bytes:
        def shift(m, k=k):
            day = datetime.date.fromisoformat(m.group(1).decode()) + datetime.timedelta(days=k)
            return day.isoformat().encode() + m.group(2) + str(int(m.group(3)) + k * 100000).encode() + b"]"
        chunk = pid.sub(shift, sample)
        out.write(chunk)
        written += len(chunk)
        k += 1
print(f"{out_path}: {written} bytes, {k} copies of {len(sample)} bytes")
