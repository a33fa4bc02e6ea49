#!/usr/bin/env python3
"""Time from exec to the ready line of `mailspec-server --ephemeral` (a benchmark, not a test).

Usage: ready_time.py PATH/TO/mailspec-server [--runs 30]

Each run starts the server, waits for its one ready line, stops it with SIGTERM and collects the
CPU time it used (wait4). Prints min / median / max wall time to ready and the median CPU time of a
whole run (start-up, certificate, bind, shutdown), which does not depend on how busy the machine is."""
import argparse
import os
import signal
import subprocess
import time


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("server")
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    wall, cpu = [], []
    for _ in range(args.runs):
        started = time.perf_counter()
        process = subprocess.Popen([args.server, "--ephemeral"], stdout=subprocess.PIPE,
                                   stderr=subprocess.DEVNULL, text=True)
        line = process.stdout.readline()
        wall.append((time.perf_counter() - started) * 1000)
        if not line.startswith("mailspec-server ready"):
            raise SystemExit("unexpected first line: %r" % line)
        process.send_signal(signal.SIGTERM)
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        process.stdout.close()
        if process.returncode != 0:
            raise SystemExit("server exited with %d" % process.returncode)
        cpu.append((usage.ru_utime + usage.ru_stime) * 1000)
    wall.sort()
    cpu.sort()
    print("runs=%d ready_ms min=%.1f median=%.1f max=%.1f cpu_ms_per_run median=%.1f load=%s" %
          (args.runs, wall[0], wall[len(wall) // 2], wall[-1], cpu[len(cpu) // 2],
           " ".join("%.1f" % x for x in os.getloadavg())))


if __name__ == "__main__":
    main()
