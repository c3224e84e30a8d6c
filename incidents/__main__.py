from incidents.cli import main

raise SystemExit(main())
