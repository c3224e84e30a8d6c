"""``users``: built-in accounts (add, list, set-role, set-password, set-access, disable, enable).

Every sub-command but ``list`` writes and is audited; all need an admin (``--user NAME``), except the very
first ``users add`` of a shared installation, which creates the first admin.
"""

from __future__ import annotations

import argparse
import sys

from incidents.cli.common import acting_user, add_store_options, open_store
from incidents.domain.errors import ValidationError
from incidents.domain.users import ROLES, User
from incidents.services import accounts


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``users`` command and its sub-commands."""
    users = subparsers.add_parser("users", help="manage built-in accounts (admin)")
    sub = users.add_subparsers(dest="users_command", required=True, metavar="SUBCOMMAND")

    add = sub.add_parser("add", help="create an account (the first one must be an admin)")
    add.add_argument("name", metavar="NAME")
    add.add_argument("--role", required=True, choices=ROLES)
    add.add_argument("--password-stdin", action="store_true",
                     help="read the password from the first line of standard input (without it the account can "
                     "sign in only through the identity provider)")
    add.add_argument("--email", help="e-mail address: matches the account to identity-provider sign-ins")
    add.add_argument("--can-see-unpublished", action="store_true", help="a viewer who also sees drafts")
    add.set_defaults(handler=run_add)

    listing = sub.add_parser("list", help="list accounts")
    listing.set_defaults(handler=run_list)

    role = sub.add_parser("set-role", help="change an account's role")
    role.add_argument("name", metavar="NAME")
    role.add_argument("role", metavar="ROLE", choices=ROLES)
    role.set_defaults(handler=run_set_role)

    password = sub.add_parser("set-password", help="set a password (read from standard input); clears a lockout")
    password.add_argument("name", metavar="NAME")
    password.add_argument("--password-stdin", action="store_true", required=True)
    password.set_defaults(handler=run_set_password)

    access = sub.add_parser("set-access", help="let a viewer see unpublished records, or stop it")
    access.add_argument("name", metavar="NAME")
    access.add_argument("--unpublished", required=True, choices=("yes", "no"))
    access.set_defaults(handler=run_set_access)

    for verb, handler, text in (("disable", run_disable, "disable an account (it keeps its history)"),
                                ("enable", run_enable, "enable a disabled account and clear its lockout")):
        cmd = sub.add_parser(verb, help=text)
        cmd.add_argument("name", metavar="NAME")
        cmd.set_defaults(handler=handler)

    for cmd in sub.choices.values():
        add_store_options(cmd, writes=True)
        cmd.add_argument("--reason", help="why (kept in the audit log)")


def _read_password() -> str:
    line = sys.stdin.readline()
    password = line.rstrip("\r\n")
    if not password:
        raise ValidationError("no password on standard input: pipe it in, e.g. `printf %s \"$PW\" | ...`")
    return password


def _admin(args: argparse.Namespace):
    store, settings = open_store(args)
    return store, acting_user(store, settings, args.user)


def run_add(args: argparse.Namespace) -> int:
    """Create an account."""
    store, settings = open_store(args)
    actor: User | None
    if args.user or settings.auth_mode == "local" or accounts.count_users(store):
        actor = acting_user(store, settings, args.user)
    else:
        actor = None  # the first account of a shared installation
    password = _read_password() if args.password_stdin else None
    user = accounts.add_user(store, actor, args.name, args.role, password, email=args.email,
                             can_see_unpublished=args.can_see_unpublished)
    print(f"added {user.name} ({user.role})")
    if password is None:
        print(f"  no password: {user.name} can sign in only through the identity provider "
              f"(set one with `python -m incidents users set-password {user.name} --password-stdin`)")
    return 0


def run_list(args: argparse.Namespace) -> int:
    """Print every account, one a line."""
    store, actor = _admin(args)
    rows = accounts.list_users(store, actor)
    print("name\trole\tstate\tsign-in\temail")
    for row in rows:
        state = "disabled" if row["disabled"] else ("locked" if row["locked_until"] else "enabled")
        if row["can_see_unpublished"] and row["role"] == "viewer":
            state += ", sees unpublished"
        sign_in = ", ".join(filter(None, ["password" if row["has_password"] else "",
                                          "provider" if row["oidc_subject"] else ""])) or "-"
        print(f"{row['name']}\t{row['role']}\t{state}\t{sign_in}\t{row['email'] or ''}")
    return 0


def run_set_role(args: argparse.Namespace) -> int:
    """Change a role."""
    store, actor = _admin(args)
    accounts.set_role(store, actor, args.name, args.role, reason=args.reason)
    print(f"{args.name} is now {args.role}")
    return 0


def run_set_password(args: argparse.Namespace) -> int:
    """Set a password."""
    store, actor = _admin(args)
    accounts.set_password(store, actor, args.name, _read_password())
    print(f"password of {args.name} set")
    return 0


def run_set_access(args: argparse.Namespace) -> int:
    """Grant or withdraw access to unpublished records."""
    store, actor = _admin(args)
    accounts.set_can_see_unpublished(store, actor, args.name, args.unpublished == "yes", reason=args.reason)
    print(f"{args.name} {'now sees' if args.unpublished == 'yes' else 'no longer sees'} unpublished records")
    return 0


def run_disable(args: argparse.Namespace) -> int:
    """Disable an account."""
    store, actor = _admin(args)
    accounts.disable_user(store, actor, args.name, reason=args.reason)
    print(f"{args.name} disabled")
    return 0


def run_enable(args: argparse.Namespace) -> int:
    """Enable an account."""
    store, actor = _admin(args)
    accounts.enable_user(store, actor, args.name, reason=args.reason)
    print(f"{args.name} enabled")
    return 0
