"""HTTP pieces the REST API (``api``) and the web pages (``web``) share: who is calling (tokens,
session cookies, CSRF) and the download responses. Both import this; neither imports the other."""
