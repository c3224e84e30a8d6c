"""Add report: paste or upload a news report, review the proposed incidents beside the text, save them as drafts."""

from incidents.ui.review import render_add_report
from incidents.ui.setup import run_page

run_page("add_report", render_add_report)
