"""gunicorn's gthread worker, serving a kept-alive connection's next request on the thread
that served the previous one when it comes at once.

Stock gthread hands a connection back to its main thread after every response (a future's
callback, a pipe write, a poller registration), and the main thread hands it to a pool
thread again when the next request comes. A browser sends its next request within
milliseconds (the stylesheet after the page, the page after a form's redirect), so the
serving thread waits for it a little (LINGER) before giving the connection back.

Measured on journeys (bench/load.py's pages and one login, 4 users, A/B alternated): the
gateway's CPU per journey 41.4 -> 37.4 ms, all processes' 76.1 -> 70.2 (medians of 3).
Home views at 32 users, where threads are all busy and so seldom linger: no change beyond
the noise.

A thread lingers only while no connection waits for one (the pool's queue is empty), and
serves at most MOST_IN_A_ROW requests before giving the connection back, so a busy
connection never holds back a new one, nor /healthz, nor a stopping worker for long.
"""

from __future__ import annotations

import selectors

from gunicorn.workers.gthread import ThreadWorker

LINGER = 0.005  # seconds a thread waits for its connection's next request
MOST_IN_A_ROW = 16


class LingeringThreadWorker(ThreadWorker):
    def handle(self, conn):
        result = super().handle(conn)
        served = 1
        while result is True and served < MOST_IN_A_ROW and self._next_request_comes(conn):
            result = super().handle(conn)
            served += 1
        return result

    def _next_request_comes(self, conn) -> bool:
        # _work_queue: the pool's queue of connections waiting for a thread (the standard
        # library's ThreadPoolExecutor; gunicorn makes the pool with get_thread_pool()).
        if not self.alive or conn.is_http2 or not self.tpool._work_queue.empty():
            return False
        if conn.parser.unreader.buf.getvalue():  # the next request was read with this one
            return True
        with selectors.DefaultSelector() as waiting:
            waiting.register(conn.sock, selectors.EVENT_READ)
            return bool(waiting.select(LINGER))
