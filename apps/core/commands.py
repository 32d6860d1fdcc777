# SPDX-License-Identifier: EUPL-1.2
"""One contract for every management command: how it speaks, fails and exits.

- It speaks the product's language (``settings.LANGUAGE_CODE``, Swedish by default): Django's
  ``call_command`` and ``BaseCommand`` leave translations off, so :class:`Command` activates it, for the
  argument parsing as well as for :meth:`handle`.
- Bad input (an unknown option or format, a missing or malformed argument, an id that does not exist, a
  missing file) is a clear message on stderr and exit status 2: raise :func:`bad_input` (a
  ``CommandError`` with ``returncode=2``). Argument errors found by argparse say the same in the same
  language, instead of argparse's English usage text.
- Never a traceback (unless ``--traceback`` is given): an unexpected error is one line on stderr and exit
  status 1. Nothing is written on stdout unless the command succeeds: build the output, then write it.

Called with ``call_command`` the same failures raise ``CommandError`` (with its ``returncode``), as Django does.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from typing import Any, NoReturn

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser, handle_default_options
from django.db import connections
from django.utils import translation
from django.utils.translation import gettext as _

from domain.periods import MAX_YEAR, MIN_YEAR

USAGE_ERROR = 2  # exit status for bad input, as argparse and the import contract use
INTERNAL_ERROR = 1


def bad_input(message: str) -> CommandError:
    """The error to raise for input the command cannot honour: ``raise bad_input(_("..."))``."""
    return CommandError(message, returncode=USAGE_ERROR)


def year(value: str) -> int:
    """An argument type: a calendar year within the years the product computes with."""
    try:
        number = int(value.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(_("“%(value)s” is not a year.") % {"value": value}) from None
    if not MIN_YEAR <= number <= MAX_YEAR:
        raise argparse.ArgumentTypeError(
            _("the year must lie between %(min)d and %(max)d, not %(year)d.")
            % {"min": MIN_YEAR, "max": MAX_YEAR, "year": number}
        )
    return number


class _ArgumentRefused(argparse.ArgumentError):
    """An argument error whose message is already a whole translated sentence."""

    def __str__(self) -> str:
        return self.message


def _name(action: argparse.Action | None) -> str:
    if action is None:
        return ""
    if action.option_strings:
        return max(action.option_strings, key=len)
    return str(action.metavar or action.dest)


class ContractParser(CommandParser):
    """Django's parser whose every complaint is a translated :class:`CommandError` with exit status 2."""

    def parse_args(self, args: Any = None, namespace: Any = None) -> argparse.Namespace:  # type: ignore[override]
        try:
            return super().parse_args(args, namespace)
        except argparse.ArgumentError as exc:
            raise bad_input(self._explain(exc)) from None

    def error(self, message: str) -> NoReturn:
        # Reached for Django's own checks (``missing_args_message``) and argparse paths that bypass
        # ``exit_on_error``: the message is then Django's or argparse's; say it in the product's words.
        raise bad_input(
            self.missing_args_message
            or _("The arguments are not valid. Run the command with --help to see how it is used.")
        )

    def _get_value(self, action: argparse.Action, arg_string: str) -> Any:
        try:
            return super()._get_value(action, arg_string)
        except argparse.ArgumentError as exc:
            cause = exc.__context__
            if isinstance(cause, argparse.ArgumentTypeError):
                # Raised by one of our own argument types: its message is already a translated sentence.
                message = _("%(option)s: %(problem)s")
            elif action.type is int:
                message = _("%(option)s must be a whole number, not “%(value)s”.")
            else:
                message = _("“%(value)s” is not a valid value for %(option)s.")
            raise _ArgumentRefused(
                action, message % {"option": _name(action), "value": arg_string, "problem": str(cause)}
            ) from None

    def _check_value(self, action: argparse.Action, value: Any) -> None:
        if action.choices is not None and value not in action.choices:
            choices = ", ".join(str(choice) for choice in action.choices)
            raise _ArgumentRefused(
                action,
                _("“%(value)s” is not a valid value for %(option)s; choose one of: %(choices)s.")
                % {"value": value, "option": _name(action), "choices": choices},
            )

    def _explain(self, exc: argparse.ArgumentError) -> str:
        if isinstance(exc, _ArgumentRefused):
            return exc.message
        text = exc.message or ""
        required = "the following arguments are required: "
        unrecognised = "unrecognized arguments: "
        if text.startswith(required):
            return _("Missing argument: %(names)s. Run the command with --help to see how it is used.") % {
                "names": text[len(required) :]
            }
        if text.startswith(unrecognised):
            return _("Unknown argument: %(names)s. Run the command with --help to see how it is used.") % {
                "names": text[len(unrecognised) :]
            }
        if exc.argument_name and text.startswith("expected "):
            return _("%(option)s needs a value.") % {"option": exc.argument_name}
        if exc.argument_name:
            return _("The argument %(option)s is not valid. Run the command with --help to see how it is used.") % {
                "option": exc.argument_name
            }
        return _("The arguments are not valid. Run the command with --help to see how it is used.")


class Command(BaseCommand):
    """A management command that keeps the contract above. Subclasses implement ``handle`` as usual.

    The system checks do not run before a data command: they import every URL module, views and all, and
    with them the chart library (two seconds before six milliseconds of work). ``manage.py check`` runs
    them, in ``make lint`` and on deploy; ``migrate`` and Django's own commands still run them."""

    requires_system_checks: list[str] = []

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        # Django builds its own CommandParser; ours only adds behaviour (no state), so it can take over.
        parser.__class__ = ContractParser
        parser.exit_on_error = False  # raise ArgumentError (explained in our words) instead of exiting
        return parser

    def execute(self, *args: Any, **options: Any) -> str | None:
        with translation.override(settings.LANGUAGE_CODE):
            return super().execute(*args, **options)

    def run_from_argv(self, argv: list[str]) -> None:
        """Run from the shell: parse, execute, and turn every failure into one line on stderr and an exit status."""
        self._called_from_command_line = True
        show_traceback = "--traceback" in argv[2:]
        try:
            with translation.override(settings.LANGUAGE_CODE):
                try:
                    parser = self.create_parser(argv[0], argv[1])
                    options = parser.parse_args(argv[2:])
                    cmd_options = vars(options)
                    args = cmd_options.pop("args", ())
                    handle_default_options(options)
                    self.execute(*args, **cmd_options)
                except CommandError as exc:
                    if show_traceback:
                        raise
                    self.stderr.write(str(exc))
                    sys.exit(exc.returncode)
                except KeyboardInterrupt:
                    self.stderr.write(_("Interrupted."))
                    sys.exit(130)
                except Exception as exc:  # noqa: BLE001 - the contract: never a traceback for the user
                    if show_traceback:
                        raise
                    self.stderr.write(
                        _(
                            "The command stopped because of an internal error (%(error)s). Run it again "
                            "with --traceback for the details."
                        )
                        % {"error": type(exc).__name__}
                    )
                    sys.exit(INTERNAL_ERROR)
        finally:
            with contextlib.suppress(ImproperlyConfigured):
                connections.close_all()
