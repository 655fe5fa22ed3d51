"""Data files shipped with complaintdesk (calendars, lexicons, rule packs, playbooks)."""
