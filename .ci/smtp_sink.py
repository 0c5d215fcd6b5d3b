"""An SMTP server for the production stage that keeps every message it is given, one file each.

    python .ci/smtp_sink.py DIRECTORY PORT

Each message becomes DIRECTORY/<sequence>.eml (written under a temporary name, then renamed, so a
reader never sees half a message), exactly as received, with the envelope in X-Envelope-* lines
on top. It stops on SIGTERM or SIGINT."""

import itertools
import signal
import sys
import threading
from pathlib import Path

from aiosmtpd.controller import Controller


class KeepEveryMessage:
    def __init__(self, directory):
        self.directory = Path(directory)
        self.numbers = itertools.count(1)
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            number = next(self.numbers)
        head = (
            f"X-Envelope-From: {envelope.mail_from}\r\n"
            f"X-Envelope-To: {', '.join(envelope.rcpt_tos)}\r\n"
        ).encode()
        partial = self.directory / f".{number:05d}.partial"
        partial.write_bytes(head + envelope.original_content)
        partial.rename(self.directory / f"{number:05d}.eml")
        return "250 Message accepted for delivery"


def main(directory, port):
    Path(directory).mkdir(parents=True, exist_ok=True)
    controller = Controller(KeepEveryMessage(directory), hostname="127.0.0.1", port=int(port))
    controller.start()
    print(f"SMTP sink on 127.0.0.1:{port}, keeping messages in {directory}", flush=True)
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(*sys.argv[1:])
