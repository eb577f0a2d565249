"""Errors of proven identity (sign-up by one-time code, enterprise authorisations, consent).

AccountError
 ├── SignupThrottled        (429)  too many sign-up requests for this ID, phone or address
 ├── CodeRejected           (422)  wrong, expired, used or unknown one-time code (never says which)
 ├── AuthorisationNotFound  (404)  no such authorisation of this enterprise
 ├── ConsentNotFound        (404)  no such consent request addressed to this person
 └── Forbidden              (403)
      └── AuthorisationLapsed      an enterprise agent whose authorisation ended
"""

from __future__ import annotations

from yiwang.accounts.errors import AccountError, Forbidden


class SignupThrottled(AccountError):
    code = "signup_throttled"
    message_zh = "注册请求过于频繁，请一小时后再试"
    message_en = "too many sign-up requests; please try again in an hour"


class CodeRejected(AccountError):
    code = "code_rejected"
    message_zh = "验证码错误或已失效，请重新获取"
    message_en = "the code is wrong or no longer valid; please request a new one"


class AuthorisationNotFound(AccountError):
    code = "authorisation_not_found"
    message_zh = "没有该授权"
    message_en = "no such authorisation"


class ConsentNotFound(AccountError):
    code = "consent_not_found"
    message_zh = "没有该确认请求"
    message_en = "no such consent request"


class AuthorisationLapsed(Forbidden):
    code = "authorisation_lapsed"
    message_zh = "您不是该企业的法定代表人，或企业的授权已撤销、已过期"
    message_en = "you are not the enterprise's legal representative, or its authorisation was revoked or has expired"
