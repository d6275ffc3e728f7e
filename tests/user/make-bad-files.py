#!/usr/bin/env python3
"""Writes the files the tiercel-riscv64 command-line tests run: a minimal good riscv64
program and bad ones made from it (built here, never committed).

usage: make-bad-files.py OUTDIR [RISCV64_BINARY]
With RISCV64_BINARY, truncated-real.elf is its first 1000 bytes (head -c 1000);
without, it is cut from the minimal program instead."""
import os
import struct
import sys

EM_RISCV, EM_X86_64 = 243, 62
BASE = 0x10000


def minimal_elf(machine=EM_RISCV, cls=2, data=1, etype=2, interp=None):
    """ET_EXEC with one R+X PT_LOAD: li a0,42; li a7,93; ecall (exit 42)."""
    code = struct.pack('<III', 0x02a00513, 0x05d00893, 0x00000073)
    phnum = 2 if interp else 1
    hdr_end = 64 + 56 * phnum
    interp_bytes = interp.encode() + b'\0' if interp else b''
    code_off = hdr_end + len(interp_bytes)
    total = code_off + len(code)
    endian = '<' if data == 1 else '>'
    ident = b'\x7fELF' + bytes([cls, data, 1, 0]) + b'\0' * 8
    eh = ident + struct.pack(endian + 'HHIQQQIHHHHHH', etype, machine, 1, BASE + code_off, 64, 0,
                             0x5, 64, 56, phnum, 64, 0, 0)
    phs = b''
    if interp:
        phs += struct.pack(endian + 'IIQQQQQQ', 3, 4, hdr_end, BASE + hdr_end, BASE + hdr_end,
                           len(interp_bytes), len(interp_bytes), 1)
    phs += struct.pack(endian + 'IIQQQQQQ', 1, 5, 0, BASE, BASE, total, total, 0x1000)
    return eh + phs + interp_bytes + code


def write(outdir, name, blob, mode=0o755):
    path = os.path.join(outdir, name)
    with open(path, 'wb') as f:
        f.write(blob)
    os.chmod(path, mode)


def main():
    outdir = sys.argv[1]
    os.makedirs(outdir, exist_ok=True)
    good = minimal_elf()
    write(outdir, 'exit42.elf', good)
    write(outdir, 'not-elf.txt', b'#!/bin/sh\necho this is a text file\n')
    write(outdir, 'empty.elf', b'')
    write(outdir, 'header-only.elf', good[:40])          # inside the ELF header
    write(outdir, 'truncated-phdr.elf', good[:100])      # inside the program headers
    write(outdir, 'truncated-code.elf', good[:64 + 56 + 4])
    write(outdir, 'elf32.elf', minimal_elf(cls=1))
    write(outdir, 'big-endian.elf', minimal_elf(data=2))
    write(outdir, 'x86-64.elf', minimal_elf(machine=EM_X86_64))
    write(outdir, 'relocatable.elf', minimal_elf(etype=1))
    write(outdir, 'dynamic.elf', minimal_elf(interp='/lib/ld-linux-riscv64-lp64d.so.1'))
    write(outdir, 'no-exec-bit.elf', good, mode=0o644)
    real = sys.argv[2] if len(sys.argv) > 2 else None
    if real:
        with open(real, 'rb') as f:
            write(outdir, 'truncated-real.elf', f.read(1000))
    else:
        write(outdir, 'truncated-real.elf', good[:64 + 56 + 4])


if __name__ == '__main__':
    main()
