"""Domain model: complaints, customers, workflow, SLA clocks, audit chain. Imports nothing of the project."""
