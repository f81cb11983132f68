"""Amazon SES v2: Handlebars templates, `--cli-input-json` files, and upload through boto3.

boto3 is an optional extra: `pip install "dripmail[ses]"`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from typing import Any

from dripmail.models import Email, EmailSequence, PackageFile, Settings
from dripmail.providers import base, handlebars, syntax
from dripmail.providers.http import REDIRECTS, RETRY_STATUSES, show_origin
from dripmail.providers.pacing import Pacing, asked_delay, backoff
from dripmail.providers.syntax import Dialect
from dripmail.safetext import printable

NAME = "ses"
escape = syntax.handlebars_escape


def dialect(settings: Settings) -> Dialect:
    """`{{amazonSESUnsubscribeUrl}}` (SES list management); the rest are literal values."""
    return handlebars.make(NAME, {
        "unsubscribe_url": "{{amazonSESUnsubscribeUrl}}",
        "preferences_url": None,
        "view_in_browser_url": None,
        "postal_address": None,
    }, required=("unsubscribe_url",))


def template_name(sequence: EmailSequence, email: Email) -> str:
    """`<sequence-slug>-NN`: letters, digits, `_` and `-`, at most 64 characters."""
    return re.sub(r"[^A-Za-z0-9_-]", "-", base.template_name(sequence, email, 64))


def payload(sequence: EmailSequence, email: Email) -> dict:
    """The input of CreateEmailTemplate / UpdateEmailTemplate (same shape for both)."""
    return {
        "TemplateName": template_name(sequence, email),
        "TemplateContent": {
            "Subject": escape(email.subject, False),
            "Html": email.html,
            "Text": email.text,
        },
    }


def package(sequence: EmailSequence) -> list[PackageFile]:
    """`ses/NN-slug.json` for `aws sesv2 create-email-template --cli-input-json file://…`."""
    return [base.json_file(f"{NAME}/{e.stem}.json", payload(sequence, e), (e.position,))
            for e in sequence.emails]


def client(api_url: str | None, env: Mapping[str, str], pacing: Pacing | None = None) -> Any:
    """A boto3 `sesv2` client from the standard AWS variables in `env` (retries are ours).

    botocore signs each request (SigV4) for this endpoint and does not follow redirects: a 3xx
    comes back as an error, so no signed request reaches another host; 2xx answers are checked
    for JSON before botocore parses them (it would take an HTML page for success).
    """
    try:
        import boto3
        from botocore.config import Config
    except ImportError:
        raise base.ProviderError('ses: uploading to SES needs boto3: pip install "dripmail[ses]"'
                                 ) from None
    pacing = pacing or Pacing()
    session = boto3.session.Session(
        aws_access_key_id=env.get("AWS_ACCESS_KEY_ID") or None,
        aws_secret_access_key=env.get("AWS_SECRET_ACCESS_KEY") or None,
        aws_session_token=env.get("AWS_SESSION_TOKEN") or None,
        profile_name=(env.get("AWS_PROFILE") or None)
        if not env.get("AWS_ACCESS_KEY_ID") else None,
    )
    region = env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or session.region_name
    config = Config(retries={"total_max_attempts": 1, "mode": "standard"},
                    connect_timeout=pacing.connect_timeout, read_timeout=pacing.read_timeout)
    ses = session.client("sesv2", region_name=region or "us-east-1", endpoint_url=api_url,
                         config=config)
    ses.meta.events.register("before-parse.sesv2.*", _check_answer)
    return ses


def upload(
    sequence: EmailSequence,
    *,
    api_url: str | None = None,
    dry_run: bool = False,
    env: Mapping[str, str] | None = None,
    sleep: Callable[[float], None] | None = None,
    pacing: Pacing | None = None,
) -> list[str]:
    """CreateEmailTemplate per email; on AlreadyExistsException, UpdateEmailTemplate.

    Creating is keyed by TemplateName, so a create sent again after a 5xx or a timeout cannot
    make a duplicate: if the first one took effect, the second gets AlreadyExistsException and
    the template is updated instead.
    """
    env = os.environ if env is None else env
    if dry_run:
        where = api_url or "the SES endpoint of your AWS region"
        return [f"{base.describe(e)}: would create or update email template via {where}: "
                f"{base.preview(payload(sequence, e))}" for e in sequence.emails]
    pacing = (pacing or Pacing()).start(sleep)
    ses = client(api_url, env, pacing)
    lines = []
    for email in sequence.emails:
        body = payload(sequence, email)
        name, what = body["TemplateName"], base.describe(email)
        try:
            _call(ses.create_email_template, body, what, pacing)
            lines.append(f"created email template {name!r}")
        except _AlreadyExists:
            _call(ses.update_email_template, body, what, pacing)
            lines.append(f"updated email template {name!r}")
    return lines


class _AlreadyExists(Exception):
    """CreateEmailTemplate found a template of that name."""


class _BadAnswer(base.ProviderError):
    """A 2xx answer that is not a JSON object."""


def _check_answer(response_dict: dict, **_kwargs: Any) -> None:
    """botocore hook: a 2xx answer must be a JSON object (or empty) with a JSON content type."""
    import json

    status, body = response_dict.get("status_code", 0), response_dict.get("body") or b""
    if not 200 <= status < 300 or not body.strip():
        return
    headers = response_dict.get("headers") or {}
    ctype = str(headers.get("content-type", "")).split(";")[0].strip().lower()
    snippet = printable(body.decode("utf-8", "replace"), 80)
    if ctype != "application/json" and not ctype.endswith("+json"):
        raise _BadAnswer(f"answered {status} with {printable(ctype, 60) or 'no content type'}, "
                         f'not JSON ("{snippet}")')
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        raise _BadAnswer(f'answered {status} with JSON that does not parse (cut short?): '
                         f'"{snippet}"') from None
    if not isinstance(data, dict):
        raise _BadAnswer(f'answered {status} with JSON that is not an object ("{snippet}")')


def _call(method: Callable[..., Any], body: dict, what: str, pacing: Pacing) -> Any:
    """One SES call with announced, bounded retries on throttling, 5xx and broken connections,
    and one-line errors."""
    from botocore.exceptions import (
        BotoCoreError,
        ClientError,
        ConnectTimeoutError,
        NoCredentialsError,
        ReadTimeoutError,
    )

    where, timeouts = f"{NAME}: {what}", 0
    for attempt in range(pacing.attempts):
        last = attempt + 1 == pacing.attempts
        pacing.timeout(where)  # raises once the time limit is reached
        try:
            return method(**body)
        except _BadAnswer as exc:
            raise base.ProviderError(f"{where}: {_operation(method)} {exc.message}; check "
                                     "--api-url, then run the upload again") from None
        except NoCredentialsError:
            raise base.ProviderError(
                "ses: no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY "
                "(or AWS_PROFILE) and AWS_REGION") from None
        except ClientError as exc:
            _client_error(exc, attempt, last, where, pacing)
        except BotoCoreError as exc:
            timeouts += isinstance(exc, ConnectTimeoutError | ReadTimeoutError)
            reason = printable(str(exc), 160)
            if last or timeouts >= pacing.timeouts:
                raise base.ProviderError(f"{where}: {reason}; try again later") from None
            pacing.wait(backoff(attempt), reason, NAME, where)
    raise AssertionError("unreachable")  # pragma: no cover


def _operation(method: Callable[..., Any]) -> str:
    """`CreateEmailTemplate` from the client method."""
    return "".join(p.title() for p in getattr(method, "__name__", "call").split("_"))


def _client_error(exc: Any, attempt: int, last: bool, where: str, pacing: Pacing) -> None:
    """Wait before a retry, or raise: _AlreadyExists, a refused redirect, or a one-line error."""
    error = exc.response.get("Error", {})
    meta = exc.response.get("ResponseMetadata", {})
    status = meta.get("HTTPStatusCode", 0)
    headers = {k.title(): v for k, v in meta.get("HTTPHeaders", {}).items()}
    if error.get("Code") == "AlreadyExistsException":
        raise _AlreadyExists() from None
    if status in REDIRECTS:
        raise base.ProviderError(
            f"{where}: {exc.operation_name} answered {status} redirecting to "
            f"{show_origin(headers.get('Location', ''))}; not followed (requests are signed for "
            "the configured endpoint only). Check --api-url or AWS_REGION") from None
    if status in RETRY_STATUSES and not last:
        pacing.retry_wait(status, asked_delay(headers), attempt, NAME,
                          f"{where}: {exc.operation_name}")
        return
    raise base.ProviderError(
        f"{where}: {exc.operation_name} failed with {status} "
        f'{printable(str(error.get("Code", "")), 60)}: "{printable(str(error.get("Message", "")))}"'
    ) from None
