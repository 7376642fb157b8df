"""Chinese words for what the operating system or SQLite says when a file cannot be read or written, so a
message a user reads never ends in "No such file or directory" or "database disk image is malformed"."""

from __future__ import annotations

import errno
import sqlite3

_ERRNO = {
    errno.ENOENT: "文件或文件夹不存在",
    errno.EACCES: "没有访问权限",
    errno.EPERM: "没有访问权限",
    errno.EEXIST: "同名的文件已存在",
    errno.ENOTDIR: "路径中有一段不是文件夹",
    errno.EISDIR: "这是一个文件夹，不是文件",
    errno.ENOSPC: "磁盘空间不足",
    errno.EROFS: "该位置只读（如写保护的U盘）",
    errno.EBUSY: "文件正被其他程序使用",
    errno.EIO: "读写出错（U盘或磁盘可能已拔出或损坏）",
    errno.ENAMETOOLONG: "文件名太长",
    errno.EINVAL: "文件名或路径无效",
}
_SQLITE = (
    ("malformed", "数据库文件已损坏（内部结构无法读取）"),
    ("not a database", "不是数据库文件，或文件已损坏"),
    ("unable to open database file", "无法打开或创建该位置的数据库文件"),
    ("database is locked", "数据库正被其他程序占用"),
    ("disk i/o error", "读写出错（磁盘或U盘可能已拔出或损坏）"),
    ("readonly database", "数据库文件只读"),
    ("database or disk is full", "磁盘空间不足"),
)


def describe(exc: BaseException) -> str:
    """What went wrong, in Chinese (the system's own words are kept in brackets when nothing fits)."""
    if isinstance(exc, OSError) and exc.errno in _ERRNO:
        return _ERRNO[exc.errno]
    text = str(exc)
    if isinstance(exc, sqlite3.Error | OSError):
        lowered = text.lower()
        for words, chinese in _SQLITE:
            if words in lowered:
                return chinese
        return f"系统错误（{text}）"
    return text
