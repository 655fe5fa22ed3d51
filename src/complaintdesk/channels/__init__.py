"""Protocol code of the customer channels (SMTP out and in, MIME parsing): no database, no use-cases."""
