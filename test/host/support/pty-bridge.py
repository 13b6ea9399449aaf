#!/usr/bin/env python3
"""A pseudo-terminal for testing bpfgate's serial transport without a board.

Creates a pty pair, puts the slave side in raw mode, prints the slave's path
on the first line of stdout, then relays bytes: whatever a program writes to
the slave comes out on our stdout, and bytes on our stdin go to the slave's
reader. Exits when stdin closes.
"""
import os
import select
import sys
import tty

master, slave = os.openpty()
tty.setraw(slave)
sys.stdout.write(os.ttyname(slave) + "\n")
sys.stdout.flush()
out = sys.stdout.fileno()
inp = sys.stdin.fileno()
while True:
    ready, _, _ = select.select([master, inp], [], [])
    if master in ready:
        try:
            data = os.read(master, 4096)
        except OSError:
            data = b""  # no reader on the slave side right now
        if data:
            os.write(out, data)
    if inp in ready:
        data = os.read(inp, 4096)
        if not data:
            break
        os.write(master, data)
