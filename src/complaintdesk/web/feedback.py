"""Where the complaint page says how an action went: next to the form that did it.

Each form of the page calls ``feedback.at(<action>, ...)`` where its message belongs; the first slot that
names the action shows it (``role=status`` for a success, ``role=alert`` for a refusal). A form that is
gone after its action (the sign-off form once the complaint moved on, the reopen form once reopened) has
no slot left: ``feedback.rest()``, at the end of the page, shows the message in a fixed toast instead, so
it is on screen either way. The text is escaped: a refusal may quote what the customer or agent typed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup, escape


@dataclass
class Feedback:
    action: str | None = None  # the form that acted (the route's action name)
    ok: str | None = None  # the success text, already in the page's language
    error: str | None = None  # the refusal's text (domain errors: ComplaintDeskError.message)
    place: str = ""  # which of two forms of one action (the reply box at the top posts ``slot=top``)
    shown: bool = field(default=False)

    def _markup(self, extra_class: str = "") -> Markup:
        if self.error:
            kind, role, testid, text = "err", "alert", "error", self.error
        else:
            kind, role, testid, text = "ok", "status", "feedback", self.ok or ""
        return Markup(
            '<p class="flash {kind}{extra} feedback" id="feedback" role="{role}" tabindex="-1" '
            'data-action="{action}" data-testid="{testid}">{text}</p>'
        ).format(
            kind=kind, extra=extra_class, role=role, testid=testid, action=self.action or "", text=escape(text)
        )

    def at(self, *actions: str, place: str = "") -> Markup:
        """The message here when one of ``actions`` did it from this ``place`` (once per page)."""
        if self.shown or self.action not in actions or place != self.place or not (self.ok or self.error):
            return Markup("")
        self.shown = True
        return self._markup()

    def rest(self) -> Markup:
        """The message no slot showed, as a toast that stays in view."""
        if self.shown or not (self.ok or self.error):
            return Markup("")
        self.shown = True
        return self._markup(" toast")
