"""The Textual app. Import :class:`netmsg_tui.tui.app.NetmsgApp` lazily: Textual is heavy."""
