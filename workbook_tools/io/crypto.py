"""Password-protected workbooks (ECMA-376 agile encryption, AES-256, via msoffcrypto-tool).

Passwords come from a file or an environment variable, never from the command line, and
are never printed. ``encrypt_in_place(path, password)`` turns a written .xlsx into the
encrypted form Excel, WPS and LibreOffice open with the password; ``opened(path, password)``
yields a path the reader can use (a decrypted copy in a private temporary folder, removed
afterwards) or the file itself when it is not encrypted.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import tempfile
from pathlib import Path
from typing import Iterator

import msoffcrypto
from msoffcrypto.format.ooxml import OOXMLFile
import olefile

from workbook_tools.errors import WorkbookToolsError
from workbook_tools.io.problems import unreadable

PASSWORD_ADVICE = "请用 --password-file 文件（文件中只写密码）或 --password-env 环境变量名 提供打开密码"


class PasswordError(WorkbookToolsError):
    """A password that cannot be read, or that does not open the file (one Chinese line)."""


def read_password(file: str | Path | None = None, env: str | None = None) -> str | None:
    """The password from ``file`` (first line, surrounding spaces and the newline removed) or
    from the environment variable ``env``; None when neither is given."""
    if file is not None and env is not None:
        raise PasswordError("--password-file 和 --password-env 只能选一个")
    if file is not None:
        try:
            text = Path(file).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise PasswordError(f"无法读取密码文件 {file}：{getattr(exc, 'strerror', None) or exc}") from None
        password = text.splitlines()[0].strip() if text.strip() else ""
        if not password:
            raise PasswordError(f"密码文件 {file} 是空的；请在文件第一行写入密码")
        return password
    if env is not None:
        password = os.environ.get(env, "")
        if not password:
            raise PasswordError(f"环境变量 {env} 没有设置或为空；请先设置密码再运行")
        return password
    return None


def is_encrypted(path: str | Path) -> bool:
    """True for an OLE file holding an encrypted OOXML package."""
    try:
        if not olefile.isOleFile(str(path)):
            return False
        with olefile.OleFileIO(str(path)) as ole:
            return ole.exists("EncryptionInfo") and ole.exists("EncryptedPackage")
    except OSError:
        return False


def encrypt_bytes(data: bytes, password: str) -> bytes:
    out = io.BytesIO()
    OOXMLFile(io.BytesIO(data)).encrypt(password, out)
    return out.getvalue()


def encrypt_in_place(path: str | Path, password: str) -> None:
    """Replace the plain .xlsx at ``path`` by its encrypted form (written beside it, renamed)."""
    path = Path(path)
    data = encrypt_bytes(path.read_bytes(), password)
    tmp = path.with_name(path.name + ".enc~")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def decrypt_bytes(path: str | Path, password: str) -> bytes:
    with open(path, "rb") as fh:
        office = msoffcrypto.OfficeFile(fh)
        try:
            office.load_key(password=password, verify_password=True)
            out = io.BytesIO()
            office.decrypt(out)
        except Exception:
            raise PasswordError(f"无法打开加密文件 {path}：密码不正确") from None
    return out.getvalue()


@contextlib.contextmanager
def opened(path: str | Path, password: str | None) -> Iterator[Path]:
    """A readable path for ``path``: itself, or (encrypted and a password given) a decrypted
    copy with the same name in a private temporary folder, deleted on exit. An encrypted
    file without a password: the reader's one-line message naming --password-file."""
    path = Path(path)
    encrypted = is_encrypted(path)
    if encrypted and not password:
        raise unreadable(path, "encrypted")
    if not encrypted:
        yield path
        return
    data = decrypt_bytes(path, password)
    folder = tempfile.mkdtemp(prefix="wbt-")
    try:
        plain = Path(folder) / path.name
        fd = os.open(plain, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        yield plain
    finally:
        shutil.rmtree(folder, ignore_errors=True)
