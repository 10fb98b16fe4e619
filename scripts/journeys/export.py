"""`journeys export`: the marts as Parquet or CSV files plus a manifest, for
tools that cannot open DuckDB.

One file per mart, `<mart>.parquet` or `<mart>.csv`, rows in a stable order
(`order by all`), and `manifest.json` describing the export: where it came
from (database, build id, build time, as_of), and per file its row count,
columns and types, size and SHA-256. Files are written into a temporary
folder inside the output folder and renamed into place; the manifest is
written last, so a manifest always describes complete files.

Types: times are UTC; Parquet stores them as UTC instants (TIMESTAMP with
isAdjustedToUTC), CSV as ISO-8601 text with a `Z`. DuckDB's 128-bit
integers (HUGEINT, from sum() of counts) are written as BIGINT, which every
Parquet reader knows (a value out of range fails the export, never wraps).
Lists (fct_conversion_paths.channel_list) stay lists in Parquet; CSV has no
list type, so they are written as JSON arrays (`["email","web"]`), which
stay unambiguous whatever the elements hold.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import uuid
from collections.abc import Sequence
from pathlib import Path

from journeys import __version__
from journeys.marts import as_of, build_time, connect_read_only, public_marts, read_publication

FORMATS = ("parquet", "csv")
MANIFEST = "manifest.json"


def _select_list(columns: list[tuple[str, str]], fmt: str) -> tuple[str, list[tuple[str, str]]]:
    """The select list that converts each column for `fmt`, and the
    resulting (name, type) pairs."""
    exprs, out = [], []
    for name, data_type in columns:
        quoted = '"' + name.replace('"', '""') + '"'
        kind = data_type.upper()
        if kind == "HUGEINT":
            exprs.append(f"cast({quoted} as bigint) as {quoted}")
            out.append((name, "BIGINT"))
        elif kind == "TIMESTAMP" and fmt == "parquet":
            exprs.append(f"cast({quoted} as timestamptz) as {quoted}")
            out.append((name, "TIMESTAMP WITH TIME ZONE"))
        elif kind.endswith("[]") and fmt == "csv":
            exprs.append(f"cast(to_json({quoted}) as varchar) as {quoted}")
            out.append((name, "JSON"))
        else:
            exprs.append(quoted)
            out.append((name, kind))
    return ", ".join(exprs), out


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def export(
    source: Path, out_dir: Path, fmt: str = "parquet", models: Sequence[str] | None = None
) -> dict:
    """Write the marts of `source` into `out_dir`; returns the manifest."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    out_dir = out_dir.resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = out_dir / f".export-{uuid.uuid4().hex[:8]}"
    staging.mkdir()
    try:
        with connect_read_only(source) as con:
            available = public_marts(con)
            chosen = list(dict.fromkeys(models)) if models else available
            unknown = [m for m in chosen if m not in available]
            if unknown:
                raise ValueError(
                    f"not a built public mart: {', '.join(unknown)} "
                    f"(available: {', '.join(available)})"
                )
            publication = read_publication(con)
            built_at, built_at_source = build_time(source, con)
            evaluated = as_of(con)
            entries = []
            for model in chosen:
                columns = con.execute(
                    "select column_name, data_type from information_schema.columns"
                    " where table_schema = 'main' and table_name = ? order by ordinal_position",
                    [model],
                ).fetchall()
                select_list, exported = _select_list(columns, fmt)
                target = staging / f"{model}.{fmt}"
                options = (
                    "format parquet, compression zstd"
                    if fmt == "parquet"
                    else "format csv, header true, dateformat '%Y-%m-%d', "
                    "timestampformat '%Y-%m-%dT%H:%M:%S.%fZ'"
                )
                con.execute(
                    f'copy (select {select_list} from main."{model}" order by all) '
                    f"to '{target}' ({options})"
                )
                rows = int(con.execute(f'select count(*) from main."{model}"').fetchone()[0])
                entries.append(
                    {
                        "name": model,
                        "file": target.name,
                        "rows": rows,
                        "bytes": target.stat().st_size,
                        "sha256": _sha256(target),
                        "columns": [{"name": n, "type": t} for n, t in exported],
                    }
                )
        manifest = {
            "generator": f"journeys export {__version__}",
            "generated_at": dt.datetime.now(dt.UTC).replace(tzinfo=None).isoformat() + "Z",
            "format": fmt,
            "source_database": str(source),
            "build_id": publication.build_id if publication else None,
            "built_at": built_at,
            "built_at_source": built_at_source,
            "as_of": evaluated.isoformat() + "Z" if evaluated else None,
            "times": "UTC",
            "models": entries,
        }
        for entry in entries:
            os.replace(staging / entry["file"], out_dir / entry["file"])
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
        os.replace(staging / MANIFEST, out_dir / MANIFEST)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return manifest


def format_manifest(manifest: dict, out_dir: Path) -> str:
    """A short plain-text account of an export."""
    lines = [
        f"journeys export: {len(manifest['models'])} marts as {manifest['format']} in {out_dir} "
        f"(built {manifest['built_at']}, from {manifest['source_database']})"
    ]
    for entry in manifest["models"]:
        lines.append(
            f"  {entry['file']:<34} {entry['rows']:>10,} rows  {entry['bytes']:>12,} bytes"
        )
    lines.append(f"  {MANIFEST}")
    return "\n".join(lines)
