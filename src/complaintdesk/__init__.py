"""complaintdesk: complaint handling with a senior complaint handler's expertise built in."""

__version__ = "0.1.0"
