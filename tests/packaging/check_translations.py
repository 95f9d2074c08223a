#!/usr/bin/env python3
"""Fails when a .ts file has an untranslated or empty message (zh_CN must be complete)."""
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

problems = []
for ts in sorted(Path(sys.argv[1]).glob("tessera_*.ts")):
    root = ET.parse(ts).getroot()
    count = 0
    for message in root.iter("message"):
        count += 1
        source = message.findtext("source")
        translation = message.find("translation")
        forms = [f.text for f in translation.findall("numerusform")]
        texts = forms if message.get("numerus") == "yes" else [translation.text]
        if translation.get("type") in ("unfinished", "obsolete", "vanished") or not all(t and t.strip() for t in texts):
            problems.append(f"{ts.name}: untranslated: {source!r}")
        if ts.name == "tessera_zh_CN.ts":
            # Placeholders must survive translation, or the UI shows "%1".
            for placeholder in ("%1", "%2", "%3", "%n"):
                if placeholder in source and not all(placeholder in t for t in texts if t):
                    problems.append(f"{ts.name}: {placeholder} lost in {source!r}")
    print(f"{ts.name}: {count} messages")
for p in problems:
    print(p)
sys.exit(1 if problems else 0)
