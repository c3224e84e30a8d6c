"""Reading and writing incident files: our own CSV/XLSX/GeoJSON/GeoPackage, and ACLED, UCDP GED and
Airwars-style tables. Readers never trust a cell: every row is parsed and checked, and every problem is
reported with its row number, field and reason."""
