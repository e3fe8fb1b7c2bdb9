#!/usr/bin/env python3
"""Builds a large log from a real sample: copy k gets pids shifted by k * 100000, session ids suffixed with k and dates
shifted by k days, so that sessions never collide and time keeps moving. stderr logs (prefix starting '%m [%p]') and
jsonlog (one object per line) are told apart by the first byte. Usage: multiply.py SAMPLE OUT MIN_BYTES"""
import datetime
import re
import sys

sample_path, out_path, min_bytes = sys.argv[1], sys.argv[2], int(sys.argv[3])
sample = open(sample_path, "rb").read()
json = sample.startswith(b"{")
if json:
    pattern = re.compile(rb'"timestamp":"(\d{4}-\d\d-\d\d)|"pid":(\d+)|"session_id":"([0-9a-f.]+)"')
else:
    pattern = re.compile(rb"^(\d{4}-\d\d-\d\d)( \d\d:\d\d:\d\d\.\d+ \w+ \[)(\d+)\]", re.M)
written = 0
k = 0
with open(out_path, "wb") as out:
    while written < min_bytes:
        def day(text, k=k):
            return (datetime.date.fromisoformat(text.decode()) + datetime.timedelta(days=k)).isoformat().encode()

        def shift(m, k=k):
            if not json:
                return day(m.group(1)) + m.group(2) + str(int(m.group(3)) + k * 100000).encode() + b"]"
            if m.group(1):
                return b'"timestamp":"' + day(m.group(1))
            if m.group(2):
                return b'"pid":' + str(int(m.group(2)) + k * 100000).encode()
            return b'"session_id":"' + m.group(3) + b"." + str(k).encode() + b'"'
        chunk = pattern.sub(shift, sample)
        out.write(chunk)
        written += len(chunk)
        k += 1
print(f"{out_path}: {written} bytes, {k} copies of {len(sample)} bytes")
