"""The dashboard started as ``make run`` starts it (:mod:`incidents.ui.launch`: warm start), for the browser benchmark.

Same command-line options as ``streamlit run app.py``; its process command line reads ``python -m bench.serve
...``, so clean-up commands that match other checkouts' dashboards by name (``pkill -f "streamlit run"``,
``pkill -f incidents.ui.launch``) leave a running benchmark alone.
"""

from __future__ import annotations

import sys

from incidents.ui.launch import main

if __name__ == "__main__":
    main(sys.argv[1:])
