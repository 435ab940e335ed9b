"""Cadre lists as spreadsheets: read (.xlsx / UTF-8 .csv), validate, import, export, template.

Plain domain code (DESIGN.md section 3): no request objects. The columns are the public
contract of DESIGN.md section 4, so that an export can be edited and imported back.

The import is all or nothing: `read_table` and `validate` collect every problem (row, column,
Vietnamese message) before anything is written; `import_rows` only flushes, the caller commits
(or rolls back for a dry run).
"""

from app.people.cadre_file.columns import (
    BIRTH,
    COLUMN_WIDTHS,
    COLUMNS,
    COMMUNE,
    DATA_SHEET,
    ETHNICITY,
    GENDER,
    HEADER_SEARCH_ROWS,
    HELP_SHEET,
    MAX_ROWS,
    NAME,
    NOT_SPREADSHEET,
    OPTIONAL_FIELDS,
    PHONE,
    POSITION,
    REQUIRED,
    ROW,
    VILLAGE,
    ImportProblem,
    Problem,
    Summary,
    ValidRow,
)
from app.people.cadre_file.importing import existing_by_key, import_rows, load, record_import
from app.people.cadre_file.reading import read_table
from app.people.cadre_file.validation import Reference, validate
from app.people.cadre_file.writing import cadre_values, template_xlsx, write_xlsx

__all__ = [
    "COLUMNS",
    "NAME",
    "GENDER",
    "BIRTH",
    "ETHNICITY",
    "POSITION",
    "VILLAGE",
    "COMMUNE",
    "PHONE",
    "REQUIRED",
    "ROW",
    "DATA_SHEET",
    "HELP_SHEET",
    "MAX_ROWS",
    "HEADER_SEARCH_ROWS",
    "NOT_SPREADSHEET",
    "COLUMN_WIDTHS",
    "OPTIONAL_FIELDS",
    "Problem",
    "ImportProblem",
    "ValidRow",
    "Summary",
    "existing_by_key",
    "import_rows",
    "load",
    "record_import",
    "read_table",
    "Reference",
    "validate",
    "cadre_values",
    "template_xlsx",
    "write_xlsx",
]
