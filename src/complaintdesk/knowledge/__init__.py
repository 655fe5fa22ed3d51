"""A centre's own knowledge (rule packs, playbooks, cue lists, QA rubric and 禁语 bank, SLA policy,
escalation weights) in a directory that overrides or extends the packaged defaults: see docs/knowledge.md.
The catalogue (which imports every engine's loader) is imported only when knowledge is checked or served."""

from complaintdesk.knowledge.runtime import check, directory_of, refresh, report, request_reload, serve, use

__all__ = ["check", "directory_of", "refresh", "report", "request_reload", "serve", "use"]
