"""The ``complaintdesk`` command. Each area registers its commands from ``complaintdesk.commands``;
errors become a message and an exit code here, in one place."""

from __future__ import annotations

import sys

import typer
import typer.exceptions
from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape
from sqlalchemy.exc import OperationalError
from typer._click.exceptions import ClickException, NoArgsIsHelpError

from complaintdesk.commands import (
    analysis,
    assist,
    core,
    entitlements,
    find,
    knowledge,
    mail,
    policy,
    quality,
    quality_eval,
    server,
    sms,
    staff,
    training,
    views,
)
from complaintdesk.domain.errors import ComplaintDeskError, ConfigurationError
from complaintdesk.settings import describe_invalid
from complaintdesk.storage.db import as_busy

app = typer.Typer(
    name="complaintdesk",
    help="complaintdesk — 投诉处理平台（complaint handling for Chinese-speaking service centres）",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _global_options(
    database_url: str | None = typer.Option(
        None, "--db", envvar="COMPLAINTDESK_DATABASE_URL", help="数据库地址（默认：用户数据目录下的 SQLite）"
    ),
) -> None:
    from complaintdesk import knowledge
    from complaintdesk.commands import _context
    from complaintdesk.settings import get_settings

    _context.set_database_url(database_url)
    knowledge.use(get_settings())  # the centre's rule packs, playbook, cue lists … for every command


# Each area adds its commands; the order is the order ``--help`` lists them in.
for _area in (
    core, staff, entitlements, analysis, policy, assist, quality, server, find, quality_eval, training, knowledge, mail, sms,
    views,
):
    _area.register(app)

err_console = Console(stderr=True)


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the CLI and map every known error to its message and exit code."""
    try:
        app(args=argv, standalone_mode=False)
    except ComplaintDeskError as exc:
        return _report(exc)
    except OperationalError as exc:  # a lock wait that ran out outside a unit of work
        busy = as_busy(exc)
        if busy is None:
            raise
        return _report(busy)
    except ValidationError as exc:  # a COMPLAINTDESK_* environment variable the settings refuse
        message, field = describe_invalid(exc)
        return _report(ConfigurationError(message, field=field))
    except typer.exceptions.Abort:
        err_console.print("[red]已取消[/]")
        return 130
    except typer.exceptions.Exit as exc:
        return int(getattr(exc, "exit_code", 0) or 0)
    except NoArgsIsHelpError as exc:
        exc.show()
        return 0
    except ClickException as exc:
        exc.show()
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    return 0


def _report(exc: ComplaintDeskError) -> int:
    where = f" [{exc.field}]" if exc.field else ""
    err_console.print(
        f"[bold red]错误（{exc.code}）{escape(where)}:[/] {escape(exc.message)}", highlight=False, soft_wrap=True
    )
    return exc.exit_code


def run() -> None:
    sys.exit(main())


if __name__ == "__main__":
    run()
