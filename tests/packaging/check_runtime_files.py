#!/usr/bin/env python3
"""Checks that the .deb declares (Depends or Recommends) the Debian package of
every file the app looks for at run time outside its own install: firmware and
boot loaders named by absolute path in core/, app/ and ui/ (OpenSBI, U-Boot,
later OpenBIOS from qemu-system-data) and Qt's own translations, which
app_translator loads from Qt's translations folder. The owning package comes
from dpkg -S, so these packages must be installed where the test runs
(scripts/debian-packages.txt).

Usage:
  check_runtime_files.py SOURCE_DIR DEB     check a built package
  check_runtime_files.py --self-test SOURCE_DIR
      shows that leaving any one of those packages out of the declaration fails
"""
import glob
import os
import re
import subprocess
import sys

PATH_LITERAL = re.compile(r'"(/usr/(?:lib|share|libexec)/[^"\s]+)"')
# ui/app_translator.cpp: qt->load(locale, QStringLiteral("qtbase"), ..., QLibraryInfo::path(TranslationsPath))
QT_CATALOG = re.compile(r'load\([^;]*?QStringLiteral\("(qt\w*)"\)[^;]*?TranslationsPath', re.S)


def source_files(top):
    for folder in ("core", "app", "ui"):
        yield from glob.glob(os.path.join(top, folder, "**", "*.[ch]*"), recursive=True)


def shipped_languages(top):
    # translations/tessera_<lang>.ts; English needs no Qt catalogue.
    names = glob.glob(os.path.join(top, "translations", "tessera_*.ts"))
    langs = [re.sub(r"^tessera_|\.ts$", "", os.path.basename(n)) for n in names]
    return sorted(l for l in langs if not l.startswith("en"))


def qt_translations_dir():
    for tool in ("qtpaths6", "/usr/lib/qt6/bin/qtpaths"):
        try:
            out = subprocess.run([tool, "--query", "QT_INSTALL_TRANSLATIONS"], capture_output=True, text=True)
        except FileNotFoundError:
            continue
        if out.returncode == 0 and out.stdout.strip():
            return out.stdout.strip()
    sys.exit("cannot ask Qt where its translations are (qtpaths6 is missing)")


def runtime_files(top):
    """{path: source file that looks for it}"""
    found = {}
    for name in source_files(top):
        with open(name, encoding="utf-8", errors="replace") as f:
            text = f.read()
        code = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//"))
        for path in PATH_LITERAL.findall(code):
            found.setdefault(path, os.path.relpath(name, top))
        for catalog in QT_CATALOG.findall(code):
            for lang in shipped_languages(top):
                path = os.path.join(qt_translations_dir(), f"{catalog}_{lang}.qm")
                found.setdefault(path, os.path.relpath(name, top))
    return found


# Files from packages that only later Debian releases have, so dpkg -S on the
# Debian 12 build host cannot name them: the package is written down here.
LATER_RELEASE_PACKAGES = {
    "/usr/share/qemu-efi-riscv64": "qemu-efi-riscv64",  # EDK2 for riscv64 virt, Debian 13 and later
}


def owning_package(path):
    out = subprocess.run(["dpkg", "-S", path], capture_output=True, text=True)
    if out.returncode != 0:
        return LATER_RELEASE_PACKAGES.get(path)
    return out.stdout.split(":", 1)[0].split(",")[0].strip()


def declared_packages(deb):
    names = set()
    for field in ("Depends", "Recommends"):
        value = subprocess.run(["dpkg-deb", "-f", deb, field], capture_output=True, text=True).stdout
        for alternative in re.split(r"[,|]", value):
            name = re.sub(r"\(.*?\)|:\w+", "", alternative).strip()
            if name:
                names.add(name)
    return names


def problems(needed, declared):
    """needed: {path: (package, source)}"""
    said = []
    for path, (package, source) in sorted(needed.items()):
        if package is None:
            said.append(f"{path} (looked for in {source}): no installed package provides it; install the package "
                        "(add it to scripts/debian-packages.txt) so this test can tell which one the .deb needs")
        elif package not in declared:
            said.append(f"{path} (looked for in {source}) comes from the package {package}, which the .deb "
                        "neither Depends on nor Recommends (installer/CMakeLists.txt)")
    return said


def needed_packages(top):
    files = runtime_files(top)
    if not files:
        sys.exit("no run-time file found in the sources: the search pattern is out of date")
    return {path: (owning_package(path), source) for path, source in files.items()}


def main(argv):
    if len(argv) == 2 and argv[0] == "--self-test":
        needed = needed_packages(argv[1])
        packages = {p for p, _ in needed.values() if p}
        for path, (package, _) in sorted(needed.items()):
            print(f"{path}: {package}")
        failures = 0
        for left_out in sorted(packages):
            said = problems(needed, packages - {left_out})
            if not any(f"from the package {left_out}," in line for line in said):
                print(f"FAIL: leaving out {left_out} was not noticed")
                failures += 1
        if problems(needed, packages):
            print("FAIL: a complete declaration was refused")
            failures += 1
        print(f"{len(packages)} package(s); leaving out each one is noticed" if not failures else "")
        sys.exit(1 if failures else 0)
    if len(argv) != 2:
        sys.exit(__doc__)
    top, deb = argv
    needed = needed_packages(top)
    declared = declared_packages(deb)
    for path, (package, _) in sorted(needed.items()):
        print(f"run-time file {path}: package {package}")
    said = problems(needed, declared)
    for line in said:
        print(line)
    sys.exit(1 if said else 0)


if __name__ == "__main__":
    main(sys.argv[1:])
