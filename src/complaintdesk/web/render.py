"""Jinja2 environment (autoescape on for every template) and the page response helper."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import ChainableUndefined, Environment, FileSystemLoader, select_autoescape

from complaintdesk.settings import get_settings, local_zone
from complaintdesk.web.i18n import DEFAULT_LANGUAGE, normalise_language, translate
from complaintdesk.yamldata import shipped

LANG_COOKIE = "cd_lang"


def local_time(value: str | datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    if not value:
        return ""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    if moment.tzinfo is None:
        return moment.strftime(fmt)
    return moment.astimezone(local_zone()).strftime(fmt)


def duration(seconds: float | int | None, lang: str = DEFAULT_LANGUAGE) -> str:
    """Compact 2天3小时 / 45分 (or 2d 3h / 45m): the SLA countdown text."""
    if seconds is None:
        return ""
    total = int(abs(seconds)) // 60
    days, rest = divmod(total, 24 * 60)
    hours, minutes = divmod(rest, 60)
    units = ("天", "小时", "分") if lang == DEFAULT_LANGUAGE else ("d ", "h ", "m")
    parts = []
    if days:
        parts.append(f"{days}{units[0]}")
    if hours:
        parts.append(f"{hours}{units[1]}")
    if minutes or not parts:
        parts.append(f"{minutes}{units[2]}")
    return "".join(parts[:2]).strip()


def pretty(value: object) -> str:
    """Audit payload values for people: ISO instants in local time, lists joined, the rest as text."""
    if isinstance(value, str) and len(value) >= 19 and value[4] == "-" and value[10] == "T":
        try:
            return local_time(value)
        except ValueError:
            return value
    if isinstance(value, list):
        return "、".join(pretty(v) for v in value)
    if isinstance(value, bool):
        return "✓" if value else "✗"
    return str(value)


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(shipped("complaintdesk.web", "templates")),
        # Every template, whatever its extension, escapes by default: customer text is hostile.
        autoescape=select_autoescape(default=True, default_for_string=True),
        # Engines add optional keys over time: a missing one renders empty rather than failing the page.
        undefined=ChainableUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["localtime"] = local_time
    env.filters["pretty"] = pretty
    return env


def request_language(request: Request) -> str:
    """The user's choice (``?lang=``, then the cookie), else the centre's ``COMPLAINTDESK_LANGUAGE``."""
    chosen = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE)
    return normalise_language(chosen, get_settings().language)


def render(
    request: Request,
    template: str,
    context: dict[str, Any],
    *,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    lang = request_language(request)

    def t(key: str, **values: Any) -> str:
        text = translate(key, lang)
        return text.format(**values) if values else text

    base = {
        "request": request,
        "lang": lang,
        "t": t,
        "dur": lambda seconds: duration(seconds, lang),
        "user": None,
        "csrf": "",
        "csrf_field": "csrf_token",
        "flash": None,
        "error": None,
        "nav": "",
    }
    base.update(context)
    html = environment().get_template(template).render(**base)
    response = HTMLResponse(html, status_code=status_code, headers=headers)
    if "lang" in request.query_params:
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, samesite="lax", path="/")
    return response
