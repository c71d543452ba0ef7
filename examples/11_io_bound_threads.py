"""Lab 11: threads doing real I/O overlap, like the sleepers of lab 01.

A tiny server on 127.0.0.1 (loopback only, nothing leaves the machine) answers
each request after 0.1 s. Four client threads each send four requests and wait
for the replies. recv() releases the GIL while it waits, so all four clients
wait at the same time.

What the timeline should show: four "client-N" threads whose "blocked: I/O
read" bars (recv) overlap in time, like lab 01's sleep bars, with tiny running
slices between them; the server's handler threads block the same way. The run
takes about as long as ONE client's requests (~0.4 s), not four times that.
"""
import socket
import threading
import time

CLIENTS = 4
REQUESTS = 4
DELAY_S = 0.1


def recv_exactly(conn, n):
    data = b""
    while len(data) < n:
        chunk = conn.recv(n - len(data))
        if not chunk:
            break
        data += chunk
    return data


def handle(conn):
    with conn:
        while recv_exactly(conn, 4) == b"ping":
            time.sleep(DELAY_S)  # a slow server
            conn.sendall(b"pong")


def serve(listener):
    handlers = []
    for i in range(CLIENTS):
        conn, _ = listener.accept()
        h = threading.Thread(target=handle, args=(conn,), name=f"handler-{i}")
        h.start()
        handlers.append(h)
    for h in handlers:
        h.join()


def client(port, replies, index):
    with socket.create_connection(("127.0.0.1", port)) as conn:
        for _ in range(REQUESTS):
            conn.sendall(b"ping")
            if recv_exactly(conn, 4) == b"pong":
                replies[index] += 1


def main():
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(CLIENTS)
    port = listener.getsockname()[1]
    server = threading.Thread(target=serve, args=(listener,), name="server")
    server.start()
    start = time.perf_counter()
    replies = [0] * CLIENTS
    clients = [threading.Thread(target=client, args=(port, replies, i), name=f"client-{i}") for i in range(CLIENTS)]
    for c in clients:
        c.start()
    for c in clients:
        c.join()
    elapsed = time.perf_counter() - start
    server.join()
    listener.close()
    print(f"replies: {replies}")
    overlapped = elapsed < REQUESTS * DELAY_S * 2
    print("clients overlapped" if overlapped else "clients did NOT overlap")


if __name__ == "__main__":
    main()
