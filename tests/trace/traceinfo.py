#!/usr/bin/env python3
"""Read an OSMEM_TRACE file with nothing but the layout of docs/TRACE.md, so the
tests check the format as documented rather than as the C tools read it.

  traceinfo.py info FILE            prints: records N threads T pid P alignment A record_size S
  traceinfo.py shift FILE OUT K D   copies FILE to OUT with one heap block moved by D bytes:
                                    the K-th malloc whose block is next passed to free; its
                                    result and that free's pointer both move, so the trace
                                    stays a valid history that differs in exactly one result
  traceinfo.py write OUT CALL...    writes a trace of the given calls, each "malloc SIZE" or
                                    "free K" (K: the index of the call whose result it frees);
                                    results are made-up unique addresses
"""
import struct
import sys

HEADER = struct.Struct('<8sIIII')        # magic, version, record_size, pid, alignment
RECORD = struct.Struct('<QQQQIBBH')      # ptr, result, size, arg, tid, op, flags, reserved
OP_FREE, F_MAPPED = 2, 1


def load(path):
    data = bytearray(open(path, 'rb').read())
    magic, version, record_size, pid, alignment = HEADER.unpack_from(data, 0)
    if magic != b'OSMTRACE' or version != 1 or record_size != RECORD.size:
        sys.exit(f'{path}: not a version-1 osmem trace')
    body = len(data) - HEADER.size
    if body % RECORD.size:
        sys.exit(f'{path}: {body % RECORD.size} stray bytes after the last record')
    records = [RECORD.unpack_from(data, HEADER.size + i * RECORD.size) for i in range(body // RECORD.size)]
    return data, (pid, alignment, record_size), records


def next_use(records, i):
    """The first record after i that passes record i's result."""
    return next((j for j in range(i + 1, len(records)) if records[j][0] == records[i][1]), None)


def movable_mallocs(records):
    """Heap mallocs whose block is next used by a free."""
    OP_MALLOC = 1
    return [i for i, r in enumerate(records)
            if r[5] == OP_MALLOC and r[1] and not r[6] & F_MAPPED
            and next_use(records, i) is not None and records[next_use(records, i)][5] == OP_FREE]


def write(path, calls):
    OP_MALLOC = 1
    data = bytearray(HEADER.pack(b'OSMTRACE', 1, RECORD.size, 0, 16))
    for i, call in enumerate(calls):
        name, number = call.split()
        if name == 'malloc':
            data += RECORD.pack(0, 0x10000 * (i + 1), int(number), 0, 1, OP_MALLOC, 0, 0)
        else:
            data += RECORD.pack(0x10000 * (int(number) + 1), 0, 0, 0, 1, OP_FREE, 0, 0)
    open(path, 'wb').write(data)


def main():
    cmd, path = sys.argv[1], sys.argv[2]
    if cmd == 'write':
        return write(path, sys.argv[3:])
    data, (pid, alignment, record_size), records = load(path)
    if cmd == 'info':
        threads = len({r[4] for r in records})
        print(f'records {len(records)} threads {threads} pid {pid} alignment {alignment} record_size {record_size}')
    elif cmd == 'shift':
        out, k, delta = sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
        for i in movable_mallocs(records)[k:k + 1]:
            for j in (i, next_use(records, i)):
                r = list(records[j])
                r[0 if j != i else 1] += delta
                RECORD.pack_into(data, HEADER.size + j * RECORD.size, *r)
        open(out, 'wb').write(data)
    else:
        sys.exit('usage: traceinfo.py info FILE | shift FILE OUT K DELTA | write OUT CALL...')


if __name__ == '__main__':
    main()
