"""daemonize.py -- what every scripted test server does once it listens:
exit cleanly on SIGTERM/SIGINT (removing its pid file, without waiting for
connection threads), ignore SIGPIPE, and publish its pid atomically so
stack.sh never reads a half-written file.  Standard library only."""

import logging
import os
import signal


def serve_forever_setup(pidfile, log):
    """Install the signal handlers, then write pidfile (if any)."""
    def stop(signum, frame):
        log.info("signal %d, exiting", signum)
        if pidfile:
            try:
                os.unlink(pidfile)
            except OSError:
                pass
        logging.shutdown()
        os._exit(0)       # connection threads are daemons; do not wait for them

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGPIPE, signal.SIG_IGN)
    if pidfile:
        with open(pidfile + ".tmp", "w") as f:
            f.write("%d\n" % os.getpid())
        os.replace(pidfile + ".tmp", pidfile)
