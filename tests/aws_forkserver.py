#!/usr/bin/env python3
"""The real AWS CLI (PyPI `awscli`), started faster for the moto suite.

Every `aws` call of a generated script spends most of its CPU time importing the CLI (about
0.4 s). The server imports it once; each call forks the warm process, which then runs
`awscli.clidriver.main()` exactly as the `aws` entry point does, with the caller's arguments,
environment, working directory and standard input/output/error (passed as file descriptors).

  aws_forkserver.py serve SOCKET     (the test starts it and stops it by its PID)
  aws_forkserver.py call SOCKET ARG... (what the `aws` wrapper on PATH runs)
"""
import array, json, os, signal, socket, struct, sys

SET_BY_IMPORT = {}


def serve(path):
    global SET_BY_IMPORT
    before = dict(os.environ)
    import awscli.clidriver  # noqa: F401  (the import is the point)
    import awscli.customizations.commands, botocore.session, botocore.loaders  # noqa: F401,E401
    # awscli sets AWS_DATA_PATH when imported: each call's environment keeps it.
    SET_BY_IMPORT = {k: v for k, v in os.environ.items() if before.get(k) != v}
    import gc
    gc.freeze()  # the imported modules stay out of the children's garbage collections
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped automatically
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path)
    server.listen(64)
    print("ready", flush=True)
    while True:
        conn, _ = server.accept()
        sys.stdout.flush()
        sys.stderr.flush()
        if os.fork() == 0:
            server.close()
            run_call(conn)
        conn.close()


def recv_request(conn):
    fds = array.array("i")
    chunks = []
    header = b""
    while len(header) < 4:
        msg, anc, _, _ = conn.recvmsg(4 - len(header), socket.CMSG_SPACE(3 * fds.itemsize))
        for level, kind, data in anc:
            if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
                fds.frombytes(data[: len(data) - (len(data) % fds.itemsize)])
        if not msg:
            raise EOFError
        header += msg
    size = struct.unpack("!I", header)[0]
    while size > 0:
        chunk = conn.recv(min(size, 65536))
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        size -= len(chunk)
    return json.loads(b"".join(chunks)), list(fds)


def run_call(conn):
    code = 255
    try:
        request, fds = recv_request(conn)
        for target, fd in zip((0, 1, 2), fds):
            os.dup2(fd, target)
            os.close(fd)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        os.environ.update(SET_BY_IMPORT)
        sys.argv = ["aws", *request["argv"]]
        import awscli.clidriver
        try:
            code = awscli.clidriver.main()
        except SystemExit as e:
            code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
        sys.stdout.flush()
        sys.stderr.flush()
        if os.environ.get("AWS_FORKSERVER_CPU_LOG"):  # CPU seconds of each call, for the report
            import resource
            r = resource.getrusage(resource.RUSAGE_SELF)
            with open(os.environ["AWS_FORKSERVER_CPU_LOG"], "a") as f:
                f.write(f"{r.ru_utime + r.ru_stime:.3f}\n")
    except BaseException as e:  # report, never hang the caller
        os.write(2, f"aws_forkserver: {e!r}\n".encode())
    finally:
        try:
            conn.sendall(struct.pack("!i", code if isinstance(code, int) else 1))
        finally:
            os._exit(0)


def call(path, argv):
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    conn.connect(path)
    body = json.dumps({"argv": argv, "env": dict(os.environ), "cwd": os.getcwd()}).encode()
    conn.sendmsg([struct.pack("!I", len(body))], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", [0, 1, 2]))])
    conn.sendall(body)
    reply = b""
    while len(reply) < 4:
        chunk = conn.recv(4 - len(reply))
        if not chunk:
            sys.stderr.write("aws_forkserver: the server closed the call\n")
            return 255
        reply += chunk
    return struct.unpack("!i", reply)[0]


if __name__ == "__main__":
    if sys.argv[1] == "serve":
        serve(sys.argv[2])
    elif sys.argv[1] == "call":
        sys.exit(call(sys.argv[2], sys.argv[3:]))
    else:
        sys.exit("usage: aws_forkserver.py serve SOCKET | call SOCKET ARG...")
