"""Where the bytes of a wasm file go: code size per crate (from the function names in the
`name` section, so use cargo's own output, before wasm-bindgen and wasm-opt strip the names),
plus the data segments. Sizes are shallow (each function counted where it is defined; a
generic function instantiated for another crate's types counts for the generic's crate), like
twiggy's `top`, summed per crate.

Usage: python3 scripts/wasm_breakdown.py FILE.wasm [TOP_FUNCTIONS [TOP_CRATES]]
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


def first_crate_v0(symbol):
    """The first crate root (`C[s<disambiguator>_]<len><name>`) in a v0-mangled symbol."""
    for m in re.finditer(r"C(?:s[0-9a-zA-Z]*_)?(\d+)", symbol):
        n, start = int(m.group(1)), m.end()
        name = symbol[start:start + n].lstrip("_")
        if re.fullmatch(r"[a-zA-Z_][a-zA-Z0-9_]*", name or "-"):
            return name
    return None


def crate_of(symbol):
    if symbol.startswith("_R"):
        return first_crate_v0(symbol) or "(unknown)"
    m = LEGACY.match(symbol)
    if not m:
        return symbol.split("::")[0] if "::" in symbol else "(other)"
    s = m.group(1)
    j = 0
    while j < len(s) and s[j].isdigit():
        j += 1
    first = s[j:j + int(s[:j] or 0)]
    if first.startswith("_$LT$"):  # <Type as Trait>::method or <impl ...>: the type's crate
        inner = re.sub(r"^(_\$LT\$|\$RF\$|\$LP\$|mut\$u20\$|impl\$u20\$|dyn\$u20\$)+", "", first)
        inner = re.sub(r"^(_\$LT\$|\$RF\$|\$LP\$|mut\$u20\$)+", "", inner)
        name = re.match(r"[a-zA-Z_][a-zA-Z0-9_]*", inner)
        return name.group(0) if name and inner[len(name.group(0)):].startswith("..") else "(generic impl)"
    return first or "(other)"


def module_of(symbol):
    """For the app's own functions: the module (`model::scenario`, `ui::charts`, ...)."""
    if symbol.startswith("_R"):
        # v0 mangling (the release page's own std makes every symbol v0): the two identifiers
        # after the crate root `<len>bridge_planner`.
        at = re.search(r"\d+bridge_planner", symbol)
        rest, segs = symbol[at.end():] if at else "", []
        while len(segs) < 2 and (m := re.match(r"(\d+)_?", rest)):
            n = int(m.group(1))
            segs.append(rest[m.end():m.end() + n])
            rest = rest[m.end() + n:]
        return "::".join(segs) if len(segs) == 2 else "(other)"
    m = LEGACY.match(symbol)
    segs, s, pos = [], m.group(1) if m else "", 0
    while pos < len(s) and s[pos].isdigit() and len(segs) < 3:
        j = pos
        while s[j].isdigit():
            j += 1
        segs.append(s[j:j + int(s[pos:j])])
        pos = j + int(s[pos:j])
    return "::".join(segs[1:3]) if len(segs) >= 2 else "(other)"


def main():
    path = sys.argv[1]
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    crates = int(sys.argv[3]) if len(sys.argv) > 3 else 1000
    data = open(path, "rb").read()
    imported, bodies, names, sizes = parse(data)
    per_crate = defaultdict(int)
    per_module = defaultdict(int)
    functions = []
    for i, size in enumerate(bodies):
        name = names.get(imported + i, f"func[{imported + i}]")
        crate = crate_of(name)
        per_crate[crate] += size
        if crate == "bridge_planner":
            per_module[module_of(name)] += size
        functions.append((size, name))
    code = sum(bodies)
    print(f"{path}: {len(data)} B, code {code} B in {len(bodies)} functions")
    rows = sorted(per_crate.items(), key=lambda kv: -kv[1])[:crates] + sorted(sizes.items(), key=lambda kv: -kv[1])
    for crate, size in rows:
        if size >= 1024:
            print(f"  {size:>9} B {100 * size / len(data):5.1f}%  {crate}")
    print("  the app's own code (bridge_planner) by module:")
    for module, size in sorted(per_module.items(), key=lambda kv: -kv[1]):
        if size >= 2048:
            print(f"  {size:>9} B  {module}")
    if top:
        print(f"  largest functions:")
        for size, name in sorted(functions, reverse=True)[:top]:
            print(f"  {size:>9} B  {name[:160]}")


if __name__ == "__main__":
    main()
