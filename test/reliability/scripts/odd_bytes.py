# Prints bytes that are not UTF-8 and terminal escape sequences (colour, clear screen, title,
# cursor moves, a bell) to both streams; a tool must pass them through, not decode or obey them.
import sys

ODD = (b"caf\xc3\xa9 \xff\xfe invalid \xc3( truncated \xe2\x82\n"
       b"\x1b[31mred\x1b[0m \x1b[2J\x1b[H \x1b]0;title\x07 \x1b[5A bell\x07 nul\x00 cr\r\n"
       b"split \xe6\x97")
sys.stdout.buffer.write(ODD)
sys.stdout.buffer.flush()
sys.stdout.buffer.write(b"\xa5 end\n")  # finishes the character split across two writes
sys.stderr.buffer.write(ODD[::-1])
