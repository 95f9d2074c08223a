#!/usr/bin/env python3
"""Fills translations/*.ts after lupdate: zh_CN from scripts/translations_zh_CN.py,
English plural forms from the source text. Fails (exit 1) if a zh_CN string is missing,
so a new tr() without a translation is noticed."""
import os
import re
import sys
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from translations_zh_CN import ZH_CN  # noqa: E402

ROOT = os.path.dirname(HERE)


def english_plural(text, n):
    # "%n CPU(s)" -> "%n CPU" / "%n CPUs"; "%n day(s)" etc.
    return re.sub(r"\((s|es)\)", "" if n == 1 else r"\1", text)


def fill(path, language):
    tree = ET.parse(path)
    missing = []
    for message in tree.getroot().iter("message"):
        source = message.find("source").text or ""
        translation = message.find("translation")
        numerus = message.get("numerus") == "yes"
        for form in list(translation):
            translation.remove(form)
        translation.text = None
        translation.attrib.pop("type", None)
        if language == "zh_CN":
            if source not in ZH_CN:
                missing.append(source)
                translation.set("type", "unfinished")
                continue
            if numerus:
                ET.SubElement(translation, "numerusform").text = ZH_CN[source]
            else:
                translation.text = ZH_CN[source]
        else:
            if numerus:
                ET.SubElement(translation, "numerusform").text = english_plural(source, 1)
                ET.SubElement(translation, "numerusform").text = english_plural(source, 2)
            else:
                translation.text = source
    ET.indent(tree, space="    ")
    with open(path, "wb") as out:
        out.write(b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n')
        tree.write(out, encoding="utf-8", xml_declaration=False)
        out.write(b"\n")
    return missing


if __name__ == "__main__":
    fill(os.path.join(ROOT, "translations", "tessera_en.ts"), "en")
    missing = fill(os.path.join(ROOT, "translations", "tessera_zh_CN.ts"), "zh_CN")
    for source in missing:
        print("missing zh_CN translation:", repr(source), file=sys.stderr)
    sys.exit(1 if missing else 0)
