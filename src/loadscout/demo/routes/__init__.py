"""One router per area of the shop."""
