"""Web workspace for agents and dashboard for supervisors: server-rendered pages (Jinja2, htmx, ECharts).

The API application includes ``complaintdesk.web.routes.router`` and serves ``static/`` at /static.
See docs/web.md.
"""
