"""app.serve: with several workers the listening socket has TCP_NODELAY (no 40 ms Nagle stalls)."""

import socket

import app.serve as serve


def test_workers_share_a_listening_socket_with_tcp_nodelay(monkeypatch):
    started = {}

    class FakeMultiprocess:
        def __init__(self, config, sockets):
            started["workers"], started["sockets"] = config.workers, sockets

        def run(self):
            pass

    monkeypatch.setattr(serve, "Multiprocess", FakeMultiprocess)
    serve.serve(host="127.0.0.1", port=0, workers=2)
    (sock,) = started["sockets"]
    try:
        assert started["workers"] == 2
        assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0
    finally:
        sock.close()
