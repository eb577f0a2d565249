"""Account errors; the edge turns each into an HTTP status.

AccountError
 ├── NotAuthenticated       (401)  no valid session or token
 ├── InvalidCredentials     (401)  wrong user name or password (never says which)
 ├── AccountLocked          (429)  too many failures; try again later
 ├── SignInThrottled        (429)  too many failures; wait the given seconds (Retry-After)
 ├── Forbidden              (403)  signed in, but the role may not do this
 ├── RealNameRejected       (422)  real-name verification failed
 ├── AccountExists          (409)
 └── InvalidAccountData     (422)  with field problems
"""

from __future__ import annotations

from collections.abc import Sequence

from yiwang.errors import BilingualError
from yiwang.identity.errors import FieldProblem


class AccountError(BilingualError):
    code = "account_error"
    message_zh = "账号错误"
    message_en = "account error"


class NotAuthenticated(AccountError):
    code = "not_authenticated"
    message_zh = "请先登录"
    message_en = "please sign in"


class InvalidCredentials(AccountError):
    code = "invalid_credentials"
    message_zh = "账号或密码错误"
    message_en = "wrong user name or password"


class AccountLocked(AccountError):
    code = "account_locked"

    def __init__(self, minutes: int) -> None:
        self.minutes = minutes
        super().__init__(
            f"登录失败次数过多，账号已暂时锁定，请 {minutes} 分钟后再试",
            f"too many failed sign-ins; the account is locked, try again in {minutes} minutes",
        )


class SignInThrottled(AccountError):
    code = "too_many_attempts"

    def __init__(self, seconds: int) -> None:
        self.retry_after = seconds
        super().__init__(
            f"登录失败次数过多，请 {seconds} 秒后再试",
            f"too many failed sign-ins; try again in {seconds} seconds",
        )


class Forbidden(AccountError):
    code = "forbidden"
    message_zh = "您没有执行此操作的权限"
    message_en = "you are not allowed to do this"


class RealNameRejected(AccountError):
    code = "real_name_rejected"
    message_zh = "实名验证未通过：姓名与公民身份号码不一致"
    message_en = "real-name verification failed: the name does not match the ID number"


class AccountExists(AccountError):
    code = "account_exists"
    message_zh = "该账号已注册，请直接登录"
    message_en = "this account already exists; please sign in"


class InvalidAccountData(AccountError):
    code = "invalid_account"

    def __init__(self, problems: Sequence[FieldProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__(
            "；".join(p.message_zh for p in self.problems),
            "; ".join(f"{p.field}: {p.message_en}" for p in self.problems),
        )
