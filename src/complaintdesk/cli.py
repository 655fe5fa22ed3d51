"""The ``complaintdesk`` command. Each area registers its commands from ``complaintdesk.commands``;
errors become a message and an exit code here, in one place."""

from __future__ import annotations

import sys

import click
import typer
from rich.console import Console

from complaintdesk.domain.errors import ComplaintDeskError

app = typer.Typer(
    name="complaintdesk",
    help="complaintdesk — 投诉处理平台 (complaint handling for Chinese-speaking service centres)",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

_REGISTRARS = (
    "complaintdesk.commands.core",
    "complaintdesk.commands.analysis",
    "complaintdesk.commands.policy",
    "complaintdesk.commands.assist",
    "complaintdesk.commands.quality",
    "complaintdesk.commands.server",
)


def _register_all() -> None:
    import importlib

    for module_name in _REGISTRARS:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:  # that area has not landed yet
                continue
            raise
        module.register(app)


_register_all()

err_console = Console(stderr=True)


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the CLI and map every known error to its message and exit code."""
    try:
        app(args=argv, standalone_mode=False)
    except ComplaintDeskError as exc:
        where = f" [{exc.field}]" if exc.field else ""
        err_console.print(f"[bold red]错误 ({exc.code}){where}:[/] {exc.message}", highlight=False)
        return exc.exit_code
    except click.exceptions.Abort:
        err_console.print("[red]已取消[/]")
        return 130
    except click.exceptions.Exit as exc:
        return int(exc.exit_code or 0)
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    return 0


def run() -> None:
    sys.exit(main())


if __name__ == "__main__":
    run()
