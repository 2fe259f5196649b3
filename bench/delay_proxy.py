#!/usr/bin/env python3
"""A TCP proxy that puts a database a network hop away, for scripts/bench.sh postgres.

Usage: delay_proxy.py PORT UNIX_SOCKET DELAY_MS
Listens on 127.0.0.1:PORT and relays each connection to the Unix socket UNIX_SOCKET (a
PostgreSQL server's), holding every chunk DELAY_MS milliseconds in each direction: a round trip
costs twice DELAY_MS more, as a database in the same data centre does. Bytes keep their order and
pipelined requests stay pipelined (each chunk is due at its arrival time plus the delay; a late one
does not hold back those after it more than it is late).

Threads and a monotonic clock with sleep, not an event loop: an event loop's timers round to the
millisecond, which is the size of the delay measured. Prints "delay proxy listening on
127.0.0.1:PORT" when ready.
"""
import queue
import socket
import sys
import threading
import time


def pump(source, target, delay):
    """Copies source to target, each chunk delivered `delay` seconds after it was read."""
    due = queue.Queue()

    def read():
        try:
            while True:
                data = source.recv(65536)
                due.put((time.monotonic() + delay, data))
                if not data:
                    return
        except OSError:
            due.put((0.0, b""))

    def write():
        try:
            while True:
                at, data = due.get()
                wait = at - time.monotonic()
                if wait > 0:
                    time.sleep(wait)
                if not data:
                    break
                target.sendall(data)
        except OSError:
            pass
        for s in (source, target):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    threading.Thread(target=read, daemon=True).start()
    threading.Thread(target=write, daemon=True).start()


def main():
    port, path, delay = int(sys.argv[1]), sys.argv[2], float(sys.argv[3]) / 1000.0
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", port))
    listener.listen(512)
    print("delay proxy listening on 127.0.0.1:%d" % port, flush=True)
    while True:
        client, _ = listener.accept()
        client.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            server.connect(path)
        except OSError:
            client.close()
            continue
        pump(client, server, delay)
        pump(server, client, delay)


if __name__ == "__main__":
    main()
