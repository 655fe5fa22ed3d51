"""Policy engine: what a customer is entitled to, by law and by company rule, with the source.

Pure: facts in, ``PolicyResult`` out; rules come from YAML packs (``complaintdesk/policy/data``) that
a centre extends with its own directory. See docs/policy.md.
"""

from complaintdesk.policy.company import authority_for
from complaintdesk.policy.engine import check
from complaintdesk.policy.facts import Facts, ProductKind, parse_facts
from complaintdesk.policy.packs import PackRule, PolicyPacks, list_rules, load_packs
from complaintdesk.policy.result import (
    Authority,
    Deadline,
    DemandVerdict,
    PolicyResult,
    Remedy,
    RuleRef,
    Verdict,
    Violation,
)

__all__ = [
    "Authority",
    "Deadline",
    "DemandVerdict",
    "Facts",
    "PackRule",
    "PolicyPacks",
    "PolicyResult",
    "ProductKind",
    "Remedy",
    "RuleRef",
    "Verdict",
    "Violation",
    "authority_for",
    "check",
    "list_rules",
    "load_packs",
    "parse_facts",
]
