#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""check-structure.py <source-root>: the house rules the compiler cannot see (docs/architecture.md).

1. Includes name a header by its file name only ("redisconnection.h", never "../redis/x.h"), so
   that the include directories of the targets a file links decide what it can see: a relay file
   cannot include a console header because the console's folder is not on its include path.
2. A layer folder includes only headers of its own folder and of the layers below it, and Qt
   modules its target links (redis: Core, Network; relay: the same, its WebSocket layer is its own;
   admin: + HttpServer, above relay and below app/ only, so no other layer includes it;
   console: + WebSockets for its simulator's clients, nothing visual).
3. No source file over MAX_FILE_LINES lines, no function over MAX_FUNCTION_LINES lines.

Prints every violation as path:line: message and exits 1 if there is one.
"""
import os
import re
import sys

MAX_FILE_LINES = 600
MAX_FUNCTION_LINES = 80

# Layer -> the layer folders whose headers it may include (its own included).
LAYERS = {
    "redis": ["redis"],
    "relay": ["relay", "redis"],
    "admin": ["admin", "relay", "redis"],
    "console": ["console", "relay", "redis"],
    "ui": ["ui", "console", "relay", "redis"],
}
# Qt modules a layer must not use (the build fails too; this names the rule).
FORBIDDEN_QT = {
    "redis": ["QtWebSockets", "QtWidgets", "QtCharts", "QtGui"],
    "relay": ["QtWebSockets", "QtWidgets", "QtCharts", "QtGui", "QtHttpServer"],
    "admin": ["QtWebSockets", "QtWidgets", "QtCharts", "QtGui"],
    "console": ["QtWidgets", "QtCharts", "QtHttpServer"],
}
QT_CLASS_MODULE = {
    "QWebSocket": "QtWebSockets",
    "QWebSocketServer": "QtWebSockets",
    "QWidget": "QtWidgets",
    "QMainWindow": "QtWidgets",
    "QApplication": "QtWidgets",
    "QChart": "QtCharts",
    "QGuiApplication": "QtGui",
    "QHttpServer": "QtHttpServer",
    "QHttpServerRequest": "QtHttpServer",
    "QHttpServerResponse": "QtHttpServer",
}
SOURCE_DIRS = ["redis", "relay", "admin", "console", "ui", "app", "tests", "bench", "fuzz", "scripts", "translations"]
EXTENSIONS = (".cpp", ".h", ".py", ".js", ".sh")
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')


def headers_by_layer(root):
    owner = {}
    for layer in LAYERS:
        folder = os.path.join(root, layer)
        for name in os.listdir(folder):
            if name.endswith(".h"):
                owner[name] = layer
    return owner


def sources(root):
    for top in SOURCE_DIRS:
        for dirpath, dirnames, filenames in os.walk(os.path.join(root, top)):
            dirnames[:] = [d for d in dirnames if d not in ("node_modules", "results", "corpus")]
            for name in sorted(filenames):
                if name.endswith(EXTENSIONS):
                    yield os.path.join(dirpath, name)


def function_lengths(lines):
    """Yields (first line, length) of each function body: a '{' opened where only namespaces and
    classes are open, and not itself opening a namespace, class, enum or initializer."""
    stack = []  # "scope" (namespace, class) or "body"
    start = None
    in_block_comment = False
    previous = ""
    for number, raw in enumerate(lines, 1):
        line = raw
        if in_block_comment:
            if "*/" not in line:
                continue
            line = line.split("*/", 1)[1]
            in_block_comment = False
        line = re.sub(r'"(?:\\.|[^"\\])*"', '""', line)
        line = re.sub(r"'(?:\\.|[^'\\])*'", "''", line)
        line = line.split("//", 1)[0]
        if "/*" in line and "*/" not in line:
            in_block_comment = True
            line = line.split("/*", 1)[0]
        for i, ch in enumerate(line):
            if ch == "{":
                if "body" in stack:
                    stack.append("body")
                    continue
                head = (previous + " " + line[:i]).strip()
                if re.search(r"\b(namespace|class|struct|union|enum)\b[^()]*$", head) or head.endswith("="):
                    stack.append("scope")
                else:
                    stack.append("body")
                    start = number
            elif ch == "}" and stack:
                kind = stack.pop()
                if kind == "body" and "body" not in stack and start is not None:
                    yield start, number - start + 1
                    start = None
        if line.strip():
            previous = line.strip()


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.getcwd()
    owner = headers_by_layer(root)
    problems = []
    allowlist_path = os.path.join(root, "scripts", "structure-allowlist.txt")
    allowed_long = set()
    if os.path.exists(allowlist_path):
        with open(allowlist_path, encoding="utf-8") as f:
            allowed_long = {l.strip() for l in f if l.strip() and not l.startswith("#")}
    still_long = set()
    for path in sources(root):
        rel = os.path.relpath(path, root)
        layer = rel.split(os.sep)[0]
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines()
        if len(lines) > MAX_FILE_LINES:
            problems.append(f"{rel}:1: {len(lines)} lines (at most {MAX_FILE_LINES}): split it by concern")
        for number, line in enumerate(lines, 1):
            m = INCLUDE.match(line) if path.endswith((".cpp", ".h")) else None
            if not m:
                continue
            kind, name = m.groups()
            if kind == '"' and "/" in name:
                problems.append(f"{rel}:{number}: include \"{name}\" names a path: include by file name")
                continue
            if layer in LAYERS and kind == '"' and name in owner and owner[name] not in LAYERS[layer]:
                problems.append(f"{rel}:{number}: the {layer} layer includes {name} of the "
                                f"{owner[name]} layer above it")
            if layer in FORBIDDEN_QT and kind == "<":
                module = name.split("/")[0] if "/" in name else QT_CLASS_MODULE.get(name)
                if module in FORBIDDEN_QT[layer]:
                    problems.append(f"{rel}:{number}: the {layer} layer includes <{name}> ({module})")
        if layer in LAYERS and path.endswith(".cpp"):
            for first, length in function_lengths(lines):
                if length > MAX_FUNCTION_LINES and rel in allowed_long:
                    still_long.add(rel)
                    print(f"{rel}:{first}: a {length}-line function (allow-listed, still to split)")
                elif length > MAX_FUNCTION_LINES:
                    problems.append(f"{rel}:{first}: a {length}-line function or block (at most "
                                    f"{MAX_FUNCTION_LINES})")
    for rel in sorted(allowed_long - still_long):
        problems.append(f"{rel}: no longer has a long function: remove it from scripts/structure-allowlist.txt")
    for p in problems:
        print(p)
    print(f"check-structure: {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
