"""Cadre lists as spreadsheets: read (.xlsx / UTF-8 .csv), validate, import, export, template.

Plain domain code (DESIGN.md section 3): no request objects. The columns are the public
contract of DESIGN.md section 4, so that an export can be edited and imported back.

`import_file(actor, filename, data, *, dry_run=False, source="web", create_only=False)` is
the one way in, for the import page, `flask cadres import` and nominating from a file; it
returns an `ImportOutcome` (status 200 / 400 / 422 / 409, problems, summary) that the caller
renders. It runs the stages, one module each: `columns` (the contract and the result types)
→ `reading` (`read_table`) → `validation` (`validate`, which calls `matching.match_by_year`
for the same person by year) → `importing` (`import_rows` and the audit entry); `writing` makes
the export and the template.

The import is all or nothing: reading and validation collect every problem (row, column,
Vietnamese message) before anything is written; `import_file` only flushes, the caller
commits when `outcome.to_commit` (or rolls back: a dry run, a refused file).
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
from app.people.cadre_file.importing import (
    ImportOutcome,
    import_file,
    import_rows,
    load,
)
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
    "ImportOutcome",
    "import_file",
    "import_rows",
    "load",
    "read_table",
    "Reference",
    "validate",
    "cadre_values",
    "template_xlsx",
    "write_xlsx",
]
