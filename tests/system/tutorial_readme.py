"""The runnable commands of the README's "The classic QEMU tutorial, with
Tessera", for the tests that run them (so the README cannot drift).

A runnable block in README.md is a fenced code block whose info string names
its step after the language, e.g.

    ```sh tutorial-4-hello-ppc
    powerpc-linux-gnu-gcc -static -o helloworld helloworld.c
    echo helloworld | cpio -o --format=newc > rootfs
    tessera-cli qemu qemu-system-ppc -kernel ./vmlinux -initrd ./rootfs -append "root=/dev/ram rdinit=/helloworld"
    ```

README.zh_CN.md carries the same blocks with the same commands (comments may
be translated). A test takes a block's commands and changes only what must
differ on a test machine: `tessera-cli` becomes the built one, files the user
would have (a kernel, an installer disc, a disk elsewhere) become fixtures,
host ports become free ones, and, for the tutorial's x86_64 lines, the
program and kernel become the guest architecture's."""
import os
import re
import shlex
import socket

SOURCE_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
README = os.path.join(SOURCE_DIR, "README.md")
README_ZH = os.path.join(SOURCE_DIR, "README.zh_CN.md")

_FENCE = re.compile(r"^```(\w[\w.+-]*)[ \t]+(tutorial-[\w.-]+)[ \t]*\n(.*?)^```[ \t]*$", re.M | re.S)


def blocks(readme=README):
    """{step name: block text} of every marked block; a name used twice is an error."""
    with open(readme, encoding="utf-8") as f:
        text = f.read()
    found = {}
    for match in _FENCE.finditer(text):
        name = match.group(2)
        assert name not in found, "%s: block %s appears twice" % (readme, name)
        found[name] = match.group(3)
    return found


def block(step, readme=README):
    """The text of one block (a C source, say), exactly as the README has it."""
    found = blocks(readme)
    assert step in found, "%s has no block `%s` (it has: %s)" % (readme, step, ", ".join(sorted(found)))
    return found[step]


def commands(step, readme=README):
    """The block's commands, one string each: comment lines dropped, lines
    continued with a backslash joined (a trailing `# comment` stays: bash and
    words() drop it)."""
    result, pending = [], ""
    for line in block(step, readme).splitlines():
        if not pending and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if line.rstrip().endswith("\\"):
            pending += line.rstrip()[:-1].strip() + " "
            continue
        result.append((pending + line.strip()).strip())
        pending = ""
    assert not pending, "%s: block %s ends in a backslash" % (readme, step)
    return result


def words(command):
    """A command's words as the shell splits them, without a trailing comment."""
    return shlex.split(command, comments=True)


def tessera_command(step, readme=README):
    """The one `tessera-cli …` command of a block, as words."""
    found = [words(c) for c in commands(step, readme)]
    found = [w for w in found if w and w[0] == "tessera-cli"]
    assert len(found) == 1, "block %s should have one tessera-cli command, has %d" % (step, len(found))
    return found[0]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


_PORT_FORMS = (
    re.compile(r"^(?P<pre>(?:tcp|udp):)(?P<port>\d+)(?P<post>:.*)$"),           # -redir tcp:2222::22
    re.compile(r"(?P<pre>hostfwd=(?:tcp|udp):[^:,]*:)(?P<port>\d+)(?P<post>-)"),  # hostfwd=tcp::2222-:22
    re.compile(r"^(?P<pre>tcp:[^:]*:)(?P<port>\d+)(?P<post>)$"),                  # -gdb tcp::1234
    re.compile(r"(?P<pre>(?:^|\s)(?:localhost|127\.0\.0\.1)?:)(?P<port>\d+)(?P<post>)$"),  # target remote :1234
)


def substitute(argv, program=None, options=None, files=None, ports=None):
    """A copy of `argv` with what must change in a test changed:
      program  the path of tessera-cli (argv[0] when it is `tessera-cli`)
      options  {option: value}: the value after each such option, e.g.
               {"-kernel": fixture} (QEMU spelling) or {"--kernel": fixture}
      files    {word: replacement} for whole words, e.g. a positional disk
               path or `qemu-system-x86_64` → `qemu-system-ppc`
      ports    {README host port: test port} in -redir, hostfwd=, -gdb tcp::N,
               `target remote :N` and `ssh -p N`; `-s` (QEMU's -gdb tcp::1234)
               becomes `-gdb tcp::PORT` when 1234 is mapped
    Everything else stays as the README has it."""
    options, files, ports = options or {}, files or {}, ports or {}
    out, replace_next = [], None
    for i, word in enumerate(argv):
        if replace_next:
            out.append(options[replace_next])
            replace_next = None
            continue
        if i == 0 and program and word == "tessera-cli":
            out.append(program)
        elif word in files:
            out.append(files[word])
        elif word == "-s" and 1234 in ports and _is_qemu_line(argv):
            out += ["-gdb", "tcp::%d" % ports[1234]]
        elif i > 0 and argv[i - 1] == "-p" and word.isdigit() and int(word) in ports:
            out.append(str(ports[int(word)]))  # ssh -p 2222
        else:
            out.append(_map_ports(word, ports))
        if word in options:
            replace_next = word
    return out


def _is_qemu_line(argv):
    return any(w.startswith("qemu-system-") for w in argv)


def _map_ports(word, ports):
    if not ports:
        return word
    parts = word.split(",")
    for n, part in enumerate(parts):
        for form in _PORT_FORMS:
            match = form.search(part)
            if match and int(match.group("port")) in ports:
                parts[n] = (part[:match.start()] + match.group("pre") + str(ports[int(match.group("port"))]) +
                            match.group("post") + part[match.end():])
                break
    return ",".join(parts)


def shell_line(argv):
    """Words back to one shell command line (for logs and for `bash -c`)."""
    return " ".join(shlex.quote(w) for w in argv)
