"""Record kinds, block kinds and flags of trace format v1 (docs/trace-format.md).

One place for the numbers, so the Python side says each concept once."""

# Definitions
STR = 0x01
CODE = 0x02
SITE = 0x03
LOC = 0x04
CODE_DIS = 0x05
STACK = 0x06

# Threads and processes
THREAD_START = 0x10
THREAD_SPAWN = 0x11
THREAD_END = 0x12
THREAD_JOINED = 0x13
EXCEPTION = 0x14
THREAD_NAME = 0x15
PROCESS_SPAWN = 0x16

# Execution and blocking
RUN = 0x20
BLOCK_ENTER = 0x30
BLOCK_EXIT = 0x31

# Synchronisation and shared state
LOCK_ACQUIRED = 0x40
LOCK_RELEASE = 0x41
SYNC_RELEASE = 0x42
SYNC_ACQUIRE = 0x43
LOCK_NEW = 0x44
ACCESS = 0x50

# Diagnostics
MARK = 0x60
DROPPED = 0x61
GAP = 0x62

NO_THREAD = 0xFFFF

# THREAD_START flags
THREAD_DAEMON = 1
THREAD_MAIN = 2
THREAD_DUMMY = 4

# Block kinds
SLEEP = 1
LOCK_ACQUIRE = 2
JOIN = 3
QUEUE_GET = 4
QUEUE_PUT = 5
EVENT_WAIT = 6
CONDITION_WAIT = 7
IO_READ = 8
IO_WRITE = 9
SELECT = 10
SEMAPHORE = 11
BARRIER = 12
PROCESS_WAIT = 13
INPUT = 14
FUTURE_RESULT = 15
OTHER = 16

# BLOCK_EXIT outcome (`a`)
EXIT_TIMEOUT = 0
EXIT_OK = 1
EXIT_RAISED = 2

# LOC kinds
LOC_GLOBAL = 1
LOC_CELL = 2
LOC_ATTR = 3
LOC_ITEM = 4
LOC_SHARED = 5

# ACCESS `b`: location id + STACK id x 2^32 (0: no in-scope caller)
STACK_SHIFT = 32
STACK_DEPTH = 3

# ACCESS flags
ACCESS_WRITE = 1
ACCESS_RMW = 2
ACCESS_FLOATING = 4  # a write recorded at its read, done by the thread's next record (races.floating_pairs)

# GAP flags
GAP_BEGIN = 0
GAP_END = 1

# Chunk kinds
CHUNK_PROCESS = 1
CHUNK_EVENTS = 2
CHUNK_END = 3
