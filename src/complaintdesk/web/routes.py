"""The pages' router: the API app includes ``router`` and mounts ``static/`` at /static."""

from __future__ import annotations

from fastapi import APIRouter

from complaintdesk.web import (
    pages_attachments,
    pages_audit,
    pages_auth,
    pages_calendar,
    pages_complaint,
    pages_customer,
    pages_dashboard,
    pages_data,
    pages_inbox,
    pages_intake,
    pages_knowledge,
    pages_playbook,
    pages_qa,
    pages_queue,
    pages_rules,
    pages_search,
    pages_status,
    pages_users,
    pages_webhooks,
)
from complaintdesk.yamldata import shipped

STATIC_DIR = shipped("complaintdesk.web", "static")

router = APIRouter(tags=["web"])
router.include_router(pages_auth.router)
router.include_router(pages_queue.router)
router.include_router(pages_intake.router)
router.include_router(pages_attachments.router)  # before the complaint page's /{action} forms
router.include_router(pages_complaint.router)
router.include_router(pages_customer.router)
router.include_router(pages_dashboard.router)
router.include_router(pages_qa.router)
router.include_router(pages_search.router)
router.include_router(pages_calendar.router)
router.include_router(pages_audit.router)
router.include_router(pages_users.router)
router.include_router(pages_inbox.router)
router.include_router(pages_webhooks.router)
router.include_router(pages_knowledge.router)
router.include_router(pages_rules.router)
router.include_router(pages_playbook.router)
router.include_router(pages_data.router)
router.include_router(pages_status.router)  # the customer's page: no sign-in, the token is the key
