"""Shipped rule packs (YAML). Read through ``complaintdesk.yamldata.shipped``; see docs/policy.md for the schema."""
