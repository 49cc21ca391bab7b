"""loadscout: discover how people use a web app in a real browser, then replay it as load."""

__version__ = "0.1.0"
