"""`yiwang accounts`: an administrator's account security commands (unlock after throttling
or a lock, lock a suspected compromise, list and revoke API tokens)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from yiwang.cli.common import cell, console, fail, plain, print_json

if TYPE_CHECKING:
    from yiwang.accounts.security import AccountSecurity

app = typer.Typer(help="账号安全 Accounts: unlock, lock, API tokens.", no_args_is_help=True)

Username = Annotated[str, typer.Argument(help="用户名 user name (staff name, ID number or credit code)")]
JsonOption = Annotated[bool, typer.Option("--json", help="JSON output for scripts.")]


@contextmanager
def _security() -> Iterator[tuple[AccountSecurity, Callable[[str], int | None]]]:
    from yiwang.bootstrap import bootstrap, build_services

    try:
        platform = bootstrap()
    except Exception as error:  # a broken database URL: one line, no traceback
        fail(f"cannot start: {error}")
    try:
        accounts = build_services(platform).accounts

        def account_id(username: str) -> int | None:
            found = accounts.by_username(username)
            return None if found is None else found.id

        yield accounts.security, account_id
    finally:
        platform.dispose()


@app.command()
def unlock(username: Username) -> None:
    """Forget the failed sign-ins of a user name and reactivate a locked account."""
    with _security() as (security, _):
        known = security.unlock(username)
    if not known:
        fail(f"没有账号 {plain(username)} / no account {plain(username)}", code=1)
    console.print(f"已解锁 unlocked: {plain(username)}", highlight=False, markup=False)


@app.command()
def lock(username: Username) -> None:
    """Deactivate an account and revoke every token and session (a suspected compromise)."""
    with _security() as (security, _):
        known = security.lock(username)
    if not known:
        fail(f"没有账号 {plain(username)} / no account {plain(username)}", code=1)
    console.print(f"已锁定并吊销全部令牌 locked, every token revoked: {plain(username)}", highlight=False, markup=False)


@app.command()
def tokens(username: Username, json_output: JsonOption = False) -> None:
    """The account's API tokens (ids, labels, validity; never the secrets)."""
    from yiwang.clock import utc_now

    with _security() as (security, account_id):
        found = account_id(username)
        if found is None:
            fail(f"没有账号 {plain(username)} / no account {plain(username)}", code=1)
        listed = security.tokens(found)
    now = utc_now()
    if json_output:
        print_json(
            [
                {"id": t.id, "label": t.label, "created_at": t.created_at.isoformat(),
                 "expires_at": t.expires_at.isoformat(), "active": t.active(now)}
                for t in listed
            ]
        )
        return
    table = Table(title=f"API 令牌 tokens of {plain(username)}")
    for column in ("编号 id", "标签 label", "创建 created", "到期 expires", "状态 state"):
        table.add_column(column)
    for t in listed:
        table.add_row(
            t.id, cell(t.label), t.created_at.isoformat()[:16], t.expires_at.isoformat()[:16],
            "有效 active" if t.active(now) else "已吊销或过期 revoked/expired",
        )
    console.print(table)


@app.command("revoke-token")
def revoke_token(
    username: Username,
    token_id: Annotated[str | None, typer.Argument(help="Token id from `yiwang accounts tokens`.")] = None,
    all_tokens: Annotated[bool, typer.Option("--all", help="Revoke every token and end every session.")] = False,
) -> None:
    """Revoke one API token, or with --all every token and session of the account."""
    from yiwang.accounts.errors import AccountError

    if (token_id is None) == (not all_tokens):
        fail("give a token id or --all / 请指定令牌编号或 --all")
    with _security() as (security, account_id):
        found = account_id(username)
        if found is None:
            fail(f"没有账号 {plain(username)} / no account {plain(username)}", code=1)
        if all_tokens:
            count = security.sign_out_everywhere(found)
            console.print(f"已吊销 revoked: {count} token(s), every session ended", highlight=False)
            return
        assert token_id is not None
        try:
            security.revoke_token(found, token_id)
        except AccountError as error:
            fail(str(error), code=1)
    console.print(f"已吊销 revoked: {plain(token_id)}", highlight=False, markup=False)
