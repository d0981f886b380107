from netmsg_tui.launch import main

if __name__ == "__main__":  # not when a spawned worker process imports it (serve --workers)
    raise SystemExit(main())
