"""netmsg-tui: message your customers on a business network from the terminal."""

__version__ = "0.1.0"
