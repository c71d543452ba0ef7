# Writes lines for ever: only a reader that goes away (`| head`) ends it, with a broken pipe.
import sys

n = 0
while True:
    sys.stdout.write("line %d\n" % n)
    n += 1
