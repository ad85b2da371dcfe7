#!/usr/bin/env python3
"""Lists the longest Rust functions (lines from `fn` to its closing brace).

Usage: python3 scripts/long-fns.py [--top N] [--over LINES] [PATH ...]   (default: src, top 15)

Reads the source as text: it skips comments, strings (raw strings too) and char literals so a
brace inside them does not count, then pairs each `fn` with its body's braces. A function nested
in another (a closure-holding helper, a `fn` inside a `view!`) is listed on its own and also
counts within its parent. Exits 1 when --over is given and a function is longer.
"""
import argparse
import pathlib
import re
import sys

FN = re.compile(r"\bfn\s+([A-Za-z_][A-Za-z0-9_]*)")


def blank_out(src: str) -> str:
    """The source with comments, strings and char literals replaced by spaces (newlines kept)."""
    out = []
    i, n = 0, len(src)
    while i < n:
        c = src[i]
        if src.startswith("//", i):
            j = src.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif src.startswith("/*", i):
            depth, j = 1, i + 2
            while j < n and depth:
                if src.startswith("/*", j):
                    depth, j = depth + 1, j + 2
                elif src.startswith("*/", j):
                    depth, j = depth - 1, j + 2
                else:
                    j += 1
            out.append(re.sub(r"[^\n]", " ", src[i:j]))
            i = j
        elif re.match(r'b?r(#*)"', src[i:i + 260]) and (i == 0 or not (src[i - 1].isalnum() or src[i - 1] == "_")):
            m = re.match(r'b?r(#*)"', src[i:])
            end = '"' + m.group(1)
            j = src.find(end, i + m.end())
            j = n if j < 0 else j + len(end)
            out.append(re.sub(r"[^\n]", " ", src[i:j]))
            i = j
        elif c == '"':
            j = i + 1
            while j < n and src[j] != '"':
                j += 2 if src[j] == "\\" else 1
            j += 1
            out.append(re.sub(r"[^\n]", " ", src[i:j]))
            i = j
        elif c == "'":
            # A char literal ('x', '\n', '\u{..}'), not a lifetime ('a).
            m = re.match(r"'(\\.[^']*|[^\\'])'", src[i:i + 12])
            if m:
                out.append(" " * m.end())
                i += m.end()
            else:
                out.append(c)
                i += 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def functions(path: pathlib.Path):
    text = blank_out(path.read_text())
    for m in FN.finditer(text):
        # The body starts at the first `{` after the signature; a `;` first means no body.
        j = m.end()
        depth_paren = 0
        while j < len(text):
            ch = text[j]
            if ch in "([":
                depth_paren += 1
            elif ch in ")]":
                depth_paren -= 1
            elif ch == ";" and depth_paren == 0:
                j = -1
                break
            elif ch == "{" and depth_paren == 0:
                break
            j += 1
        if j < 0 or j >= len(text):
            continue
        depth, k = 0, j
        while k < len(text):
            if text[k] == "{":
                depth += 1
            elif text[k] == "}":
                depth -= 1
                if depth == 0:
                    break
            k += 1
        first = text.count("\n", 0, m.start()) + 1
        last = text.count("\n", 0, k) + 1
        yield last - first + 1, f"{path}:{first}", m.group(1)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="*", default=["src"])
    ap.add_argument("--top", type=int, default=15)
    ap.add_argument("--over", type=int, default=None)
    args = ap.parse_args()
    found = []
    for p in args.paths:
        p = pathlib.Path(p)
        files = sorted(p.rglob("*.rs")) if p.is_dir() else [p]
        for f in files:
            found.extend(functions(f))
    found.sort(key=lambda t: (-t[0], t[1]))
    shown = [f for f in found if args.over is None or f[0] > args.over]
    for lines, where, name in shown[: args.top] if args.over is None else shown:
        print(f"{lines:5d}  {name:32s} {where}")
    if args.over is not None:
        print(f"{len(shown)} functions over {args.over} lines")
        return 1 if shown else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
