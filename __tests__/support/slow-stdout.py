#!/usr/bin/env python3
"""Runs a command whose stdout is a pipe that refuses writes for a while.

The pipe holds one page (4 KiB) and is non-blocking on the command's side,
as a pipe a runner shares with other processes can be. Nothing reads it until
it is full and has stayed full for a moment, so a write that does not fit
fails with EAGAIN instead of waiting. Then everything the pipe carries is
copied to this process's stdout, and this process exits as the command did.
If the pipe never fills within 10 s, it says so on stderr (the command's
output was too short to test anything) and drains it anyway.

Usage: slow-stdout.py command [args...]
"""
import fcntl
import os
import struct
import sys
import termios
import time

F_SETPIPE_SZ = 1031  # Linux fcntl: resize a pipe
PIPE_BYTES = 4096
FULL_FOR_SECONDS = 0.1
GIVE_UP_SECONDS = 10

read_end, write_end = os.pipe()
fcntl.fcntl(write_end, F_SETPIPE_SZ, PIPE_BYTES)
flags = fcntl.fcntl(write_end, fcntl.F_GETFL)
fcntl.fcntl(write_end, fcntl.F_SETFL, flags | os.O_NONBLOCK)

pid = os.fork()
if pid == 0:
    os.close(read_end)
    os.dup2(write_end, 1)
    os.close(write_end)
    os.execvp(sys.argv[1], sys.argv[1:])

os.close(write_end)


def queued():
    """Bytes waiting in the pipe."""
    raw = fcntl.ioctl(read_end, termios.FIONREAD, struct.pack("i", 0))
    return struct.unpack("i", raw)[0]


deadline = time.monotonic() + GIVE_UP_SECONDS
while queued() < PIPE_BYTES and time.monotonic() < deadline:
    time.sleep(0.005)
if queued() < PIPE_BYTES:
    sys.stderr.write("slow-stdout.py: the pipe never filled\n")
else:
    time.sleep(FULL_FOR_SECONDS)

with os.fdopen(read_end, "rb") as pipe:
    for chunk in iter(lambda: pipe.read1(65536), b""):
        sys.stdout.buffer.write(chunk)
sys.stdout.flush()
_, status = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(status))
