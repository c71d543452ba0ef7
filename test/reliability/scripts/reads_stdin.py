# Reads stdin to the end (an immediate EOF when it is closed) and reports what it got.
import sys

data = sys.stdin.buffer.read()
sys.stdout.write("read %d bytes, %d lines\n" % (len(data), data.count(b"\n")))
sys.stdout.flush()
sys.stdout.buffer.write(data[::-1])
