"""Reading an MP4 the way a player or a platform's uploader would."""

import struct
from pathlib import Path


def top_level_boxes(path: Path) -> list[str]:
    """Names of the file's top-level boxes in order (faststart puts moov before mdat)."""
    names, data, offset = [], path.read_bytes(), 0
    while offset + 8 <= len(data):
        size, name = struct.unpack(">I4s", data[offset : offset + 8])
        if size == 1:
            size = struct.unpack(">Q", data[offset + 8 : offset + 16])[0]
        names.append(name.decode("latin-1"))
        offset += size if size else len(data)
    return names
