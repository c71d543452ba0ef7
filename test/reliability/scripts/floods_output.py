# Writes megabytes to stdout and stderr at the same time from two threads, so a reader that
# drains one pipe only after the other would deadlock. The bytes are deterministic.
import sys
import threading

MB = int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].isdigit() else 5


def flood(stream, tag):
    line = 0
    written = 0
    while written < MB * 1024 * 1024:
        # Lines of varying length, up to 8 KB: few Python lines per megabyte, so tracing stays cheap.
        chunk = ("%s %07d %s\n" % (tag, line, "x" * (line * 7919 % 8192))).encode()
        stream.write(chunk)
        written += len(chunk)
        line += 1
    stream.flush()


threads = [threading.Thread(target=flood, args=(s.buffer, t)) for s, t in ((sys.stdout, "out"), (sys.stderr, "err"))]
for t in threads:
    t.start()
for t in threads:
    t.join()
