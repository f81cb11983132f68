"""Amazon SES v2: Handlebars templates, `--cli-input-json` files, and upload through boto3.

boto3 is an optional extra: `pip install "dripmail[ses]"`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from dripmail.mergetags import Dialect
from dripmail.models import Email, Sequence, Settings
from dripmail.providers import base, handlebars
from dripmail.providers.http import RETRY_STATUSES, retry_delay

NAME = "ses"
escape = base.handlebars_escape
ATTEMPTS = 5


def dialect(settings: Settings) -> Dialect:
    """`{{amazonSESUnsubscribeUrl}}` (SES list management); the rest are literal values."""
    return handlebars.make(NAME, {
        "unsubscribe_url": "{{amazonSESUnsubscribeUrl}}",
        "preferences_url": None,
        "view_in_browser_url": None,
        "postal_address": None,
    }, required=("unsubscribe_url",))


def template_name(sequence: Sequence, email: Email) -> str:
    """`<sequence-slug>-NN`: letters, digits, `_` and `-`, at most 64 characters."""
    return re.sub(r"[^A-Za-z0-9_-]", "-", base.template_name(sequence, email, 64))


def payload(sequence: Sequence, email: Email) -> dict:
    """The input of CreateEmailTemplate / UpdateEmailTemplate (same shape for both)."""
    return {
        "TemplateName": template_name(sequence, email),
        "TemplateContent": {
            "Subject": escape(email.subject, False),
            "Html": email.html,
            "Text": email.text,
        },
    }


def write_package(sequence: Sequence, out_dir: Path) -> list[base.Written]:
    """`ses/NN-slug.json` for `aws sesv2 create-email-template --cli-input-json file://…`."""
    return [(base.write_json(out_dir / NAME / f"{e.stem}.json", payload(sequence, e)),
             e.position) for e in sequence.emails]


def client(api_url: str | None, env: Mapping[str, str]) -> Any:
    """A boto3 `sesv2` client from the standard AWS variables in `env` (retries are ours)."""
    try:
        import boto3
        from botocore.config import Config
    except ImportError:
        raise base.ProviderError('ses: uploading to SES needs boto3: pip install "dripmail[ses]"'
                                 ) from None
    session = boto3.session.Session(
        aws_access_key_id=env.get("AWS_ACCESS_KEY_ID") or None,
        aws_secret_access_key=env.get("AWS_SECRET_ACCESS_KEY") or None,
        aws_session_token=env.get("AWS_SESSION_TOKEN") or None,
        profile_name=(env.get("AWS_PROFILE") or None)
        if not env.get("AWS_ACCESS_KEY_ID") else None,
    )
    region = env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or session.region_name
    config = Config(retries={"total_max_attempts": 1, "mode": "standard"}, connect_timeout=10,
                    read_timeout=30)
    return session.client("sesv2", region_name=region or "us-east-1", endpoint_url=api_url,
                          config=config)


def upload(
    sequence: Sequence,
    *,
    api_url: str | None = None,
    dry_run: bool = False,
    env: Mapping[str, str] | None = None,
    sleep: Callable[[float], None] | None = None,
) -> list[str]:
    """CreateEmailTemplate per email; on AlreadyExistsException, UpdateEmailTemplate."""
    env = os.environ if env is None else env
    if dry_run:
        where = api_url or "the SES endpoint of your AWS region"
        return [f"{base.describe(e)}: would create or update email template via {where}: "
                f"{base.preview(payload(sequence, e))}" for e in sequence.emails]
    import time

    ses = client(api_url, env)
    wait = sleep or time.sleep
    lines = []
    for email in sequence.emails:
        body = payload(sequence, email)
        name, what = body["TemplateName"], base.describe(email)
        try:
            _call(ses.create_email_template, body, what, wait)
            lines.append(f"created email template {name!r}")
        except _AlreadyExists:
            _call(ses.update_email_template, body, what, wait)
            lines.append(f"updated email template {name!r}")
    return lines


class _AlreadyExists(Exception):
    """CreateEmailTemplate found a template of that name."""


def _call(method: Callable[..., Any], body: dict, what: str, sleep: Callable[[float], None]):
    """One SES call with retries on throttling/5xx and one-line errors."""
    from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError

    for attempt in range(ATTEMPTS):
        try:
            return method(**body)
        except NoCredentialsError:
            raise base.ProviderError(
                "ses: no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY "
                "(or AWS_PROFILE) and AWS_REGION") from None
        except ClientError as exc:
            error = exc.response.get("Error", {})
            meta = exc.response.get("ResponseMetadata", {})
            status = meta.get("HTTPStatusCode", 0)
            if error.get("Code") == "AlreadyExistsException":
                raise _AlreadyExists() from None
            if status in RETRY_STATUSES and attempt + 1 < ATTEMPTS:
                headers = {k.title(): v for k, v in meta.get("HTTPHeaders", {}).items()}
                sleep(retry_delay(headers, attempt))
                continue
            raise base.ProviderError(
                f'ses: {what}: {exc.operation_name} failed with {status} {error.get("Code", "")}:'
                f' "{error.get("Message", "")}"') from None
        except BotoCoreError as exc:
            if attempt + 1 < ATTEMPTS:
                sleep(retry_delay({}, attempt))
                continue
            raise base.ProviderError(f"ses: {what}: {exc}") from None
    raise AssertionError("unreachable")  # pragma: no cover
