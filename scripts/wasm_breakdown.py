"""Where the bytes of a wasm file go: code size per crate (from the function names in the
`name` section, so use cargo's own output, before wasm-bindgen and wasm-opt strip the names),
plus the data segments. Sizes are shallow (each function counted where it is defined; a
generic function instantiated for another crate's types counts for the generic's crate), like
twiggy's `top`, summed per crate.

Usage: python3 scripts/wasm_breakdown.py FILE.wasm [TOP_FUNCTIONS]
"""

import re
import sys
from collections import defaultdict


def leb(data, pos):
    result = shift = 0
    while True:
        b = data[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        shift += 7
        if b < 0x80:
            return result, pos


def sections(data):
    pos = 8
    while pos < len(data):
        sid = data[pos]
        size, pos = leb(data, pos + 1)
        yield sid, data[pos:pos + size]
        pos += size


def read_name(data, pos):
    n, pos = leb(data, pos)
    return data[pos:pos + n].decode("utf-8", "replace"), pos + n


def parse(data):
    imported = 0
    bodies = []
    names = {}
    sizes = defaultdict(int)
    for sid, body in sections(data):
        if sid == 2:  # imports: function imports come first in the function index space
            count, pos = leb(body, 0)
            for _ in range(count):
                _, pos = read_name(body, pos)
                _, pos = read_name(body, pos)
                kind = body[pos]
                pos += 1
                if kind == 0:
                    imported += 1
                    _, pos = leb(body, pos)
                elif kind == 1:
                    pos += 1
                    flags, pos = leb(body, pos)
                    _, pos = leb(body, pos)
                    if flags & 1:
                        _, pos = leb(body, pos)
                elif kind == 2:
                    flags, pos = leb(body, pos)
                    _, pos = leb(body, pos)
                    if flags & 1:
                        _, pos = leb(body, pos)
                elif kind == 3:
                    pos += 2
                else:
                    _, pos = leb(body, pos + 1)
        elif sid == 10:
            count, pos = leb(body, 0)
            for _ in range(count):
                size, start = leb(body, pos)
                bodies.append(start + size - pos)
                pos = start + size
        elif sid == 0:
            name, pos = read_name(body, 0)
            if name == "name":
                while pos < len(body):
                    kind = body[pos]
                    size, pos = leb(body, pos + 1)
                    if kind == 1:
                        count, p = leb(body, pos)
                        for _ in range(count):
                            idx, p = leb(body, p)
                            fname, p = read_name(body, p)
                            names[idx] = fname
                    pos += size
            else:
                sizes[f"custom section {name}"] += len(body)
        elif sid == 11:
            sizes["(data segments)"] += len(body)
        elif sid != 10:
            sizes[f"(section {sid})"] += len(body)
    return imported, bodies, names, sizes


LEGACY = re.compile(r"^_ZN(.*)E$")


def demangle_path(symbol):
    """The path segments of a Rust symbol (legacy or v0 mangling), best effort."""
    m = LEGACY.match(symbol)
    if m:
        s, segs, pos = m.group(1), [], 0
        while pos < len(s) and s[pos].isdigit():
            j = pos
            while s[j].isdigit():
                j += 1
            n = int(s[pos:j])
            segs.append(s[j:j + n])
            pos = j + n
        return segs
    if symbol.startswith("_R"):
        return re.findall(r"C(?:s[0-9a-zA-Z]*_)?\d+([a-zA-Z_][a-zA-Z0-9_]*)", symbol)[:1]
    return [symbol]


def crate_of(symbol):
    if "::" in symbol and not symbol.startswith("_"):  # already demangled
        first = symbol.lstrip("<&*( ").split("::")[0]
        return first.split(" ")[-1].split("<")[-1] or symbol
    segs = demangle_path(symbol)
    if not segs:
        return "(unnamed)"
    first = segs[0]
    if first.startswith("_$LT$"):  # <Type as Trait>::method: the crate of the type
        inner = first[5:].replace("$u20$", " ").replace("..", "::").lstrip("$RF$").lstrip("mut ")
        return inner.split("::")[0].lstrip("_$LP$RF").split("$")[0] or "(impl)"
    return first


def main():
    path = sys.argv[1]
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    data = open(path, "rb").read()
    imported, bodies, names, sizes = parse(data)
    per_crate = defaultdict(int)
    functions = []
    for i, size in enumerate(bodies):
        name = names.get(imported + i, f"func[{imported + i}]")
        per_crate[crate_of(name)] += size
        functions.append((size, name))
    code = sum(bodies)
    print(f"{path}: {len(data)} B, code {code} B in {len(bodies)} functions")
    rows = sorted(per_crate.items(), key=lambda kv: -kv[1]) + sorted(sizes.items(), key=lambda kv: -kv[1])
    for crate, size in rows:
        if size >= 1024:
            print(f"  {size:>9} B {100 * size / len(data):5.1f}%  {crate}")
    if top:
        print(f"  largest functions:")
        for size, name in sorted(functions, reverse=True)[:top]:
            print(f"  {size:>9} B  {name[:160]}")


if __name__ == "__main__":
    main()
