"""Import: upload a table (own, ACLED, UCDP, Airwars-style), correct the column mapping, preview, import."""

from incidents.ui.import_view import render_import_page
from incidents.ui.setup import run_page

run_page("import", render_import_page)
