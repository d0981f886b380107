from netmsg_tui.cli import main

raise SystemExit(main())
