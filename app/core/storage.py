"""Writing an uploaded file to disk: whole or not at all.

The bytes go to a hidden temporary name in the same folder, then `os.replace` gives the file
its real name in one step, so nobody ever reads a half-written file under a stored name. When
the write fails (the disk full, ENOSPC; a quota, EDQUOT; any OSError), the temporary file is
removed and `StorageFull` (a Refusal, 507 Insufficient Storage) says so in the user's
language; the view shows it at the file field, with nothing recorded in the database.
"""

from __future__ import annotations

import contextlib
import errno
import os
from pathlib import Path

from flask_babel import gettext as _

from app.core.refusal import Refusal

_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC), errno.EFBIG}


class StorageFull(Refusal):
    """The file could not be written (disk full or another write error); nothing was kept."""

    status = 507


def write_whole(folder: Path, name: str, data: bytes) -> Path:
    """Write `data` as folder/name through a temporary file and a rename; on an OSError remove
    what was written and raise StorageFull. Returns the file's path."""
    temp = folder / f".{name}.part"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with open(temp, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, folder / name)
    except OSError as exc:
        with contextlib.suppress(OSError):
            temp.unlink(missing_ok=True)
        raise StorageFull(_full_message(exc), field="file") from exc
    return folder / name


def _full_message(exc: OSError) -> str:
    if exc.errno in _FULL:
        return _("Máy chủ đã hết chỗ lưu tệp nên chưa lưu được tệp này; không có gì được ghi. "
                 "Vui lòng báo cho quản trị viên giải phóng dung lượng rồi tải lên lại.")
    return _("Máy chủ không ghi được tệp này lúc này; không có gì được ghi. Vui lòng thử lại "
             "sau ít phút hoặc báo cho quản trị viên.")
