"""Demo data set: realistic Chinese complaints built from the seed cases (loaded by `complaintdesk demo`)."""
