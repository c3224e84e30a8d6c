"""``streamlit run app.py`` started from inside Python, for the browser benchmark.

Behaves exactly as the command (same CLI entry point, same arguments after ``run app.py``); its process
command line reads ``python -m bench.serve ...``, so clean-up commands that match other checkouts'
dashboards by name (``pkill -f "streamlit run"``) leave a running benchmark alone.
"""

from __future__ import annotations

import sys

from streamlit.web.cli import main


def run(argv: list[str]) -> None:
    """Run ``streamlit run app.py`` with the extra options ``argv``."""
    sys.argv = ["streamlit", "run", "app.py", *argv]
    main(prog_name="streamlit")


if __name__ == "__main__":
    run(sys.argv[1:])
