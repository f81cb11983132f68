"""Local stand-ins for the provider APIs, on 127.0.0.1, speaking their documented endpoints,
auth headers, status codes and error bodies (a small in-memory store each)."""

from __future__ import annotations

import base64
import itertools
import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

Reply = tuple[int, dict[str, str], Any]


class FakeServer:
    """A threaded HTTP server delegating to an app; records requests; can inject replies."""

    def __init__(self, app: Any):
        self.app = app
        self.log: list[dict[str, Any]] = []
        # (method or None for any request, …): answers instead of the app's; answers after the
        # app has handled the request (it took effect); no answer at all (True: after the app)
        self.injected: list[tuple[str | None, Reply]] = []
        self.replaced: list[tuple[str | None, Reply]] = []
        self.hangs: list[tuple[str | None, bool]] = []
        self.release = threading.Event()  # ends every hang (set on exit)
        server = self

        class Handler(BaseHTTPRequestHandler):
            def _any(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                parts = urlsplit(self.path)
                entry = {"method": self.command, "path": unquote(parts.path),
                         "query": {k: v[0] for k, v in parse_qs(parts.query).items()},
                         "headers": dict(self.headers.items()), "raw": raw}
                try:
                    entry["json"] = json.loads(raw) if raw else None
                except ValueError:
                    entry["json"] = None
                server.log.append(entry)
                hang = _take(server.hangs, self.command)
                if hang is not None:
                    if hang and server.app.authorized(entry["headers"]):
                        server.app.handle(entry)
                    server.release.wait(2.0)
                    self.close_connection = True
                    return
                reply = _take(server.injected, self.command)
                if reply is not None:
                    status, headers, body = reply
                elif not server.app.authorized(entry["headers"]):
                    status, headers, body = server.app.unauthorized()
                else:
                    status, headers, body = server.app.handle(entry)
                    reply = _take(server.replaced, self.command)
                    if reply is not None:
                        status, headers, body = reply
                data = b"" if body is None else (
                    body.encode() if isinstance(body, str) else json.dumps(body).encode())
                self.send_response(status)
                ctype = "text/plain" if isinstance(body, str) else "application/json"
                for k, v in {"Content-Type": ctype, **headers}.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _any

            def log_message(self, *args: Any) -> None:
                pass

        class Quiet(ThreadingHTTPServer):
            def handle_error(self, request: Any, client_address: Any) -> None:
                pass  # a client that gave up waiting is no news

        self.httpd = Quiet(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.02,), daemon=True)

    def __enter__(self) -> FakeServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()

    def inject(self, status: int, body: Any = None, headers: dict[str, str] | None = None,
               method: str | None = None):
        """Answer the next request (of `method`, if given) with this reply, whatever it is."""
        self.injected.append((method, (status, headers or {}, body)))

    def answer_after(self, status: int, body: Any = None, headers: dict[str, str] | None = None,
                     method: str | None = None):
        """Let the app handle the next request (of `method`), so that it takes effect, then
        answer this instead."""
        self.replaced.append((method, (status, headers or {}, body)))

    def hang(self, after_handling: bool = False, method: str | None = None) -> None:
        """Accept the next request (of `method`) and never answer it (until the server stops,
        at most 2 s); with `after_handling`, the app handles it first (it takes effect)."""
        self.hangs.append((method, after_handling))

    def calls(self, method: str | None = None) -> list[tuple[str, str]]:
        """(method, path) of every request, optionally only one method."""
        return [(e["method"], e["path"]) for e in self.log if method in (None, e["method"])]


def _take(queue: list[tuple[str | None, Any]], method: str) -> Any:
    """Remove and return the first queued item meant for `method` (or any), else None."""
    for i, (wanted, item) in enumerate(queue):
        if wanted in (None, method):
            del queue[i]
            return item
    return None


def _json_reply(status: int, body: Any = None) -> Reply:
    return status, {}, body


class Postmark:
    """Postmark templates API (https://postmarkapp.com/developer/api/templates-api)."""

    def __init__(self, token: str = "pm-token"):
        self.token = token
        self.templates: dict[int, dict] = {}
        self.ids = itertools.count(1000)

    def authorized(self, headers: dict) -> bool:
        return headers.get("X-Postmark-Server-Token") == self.token

    def unauthorized(self) -> Reply:
        return _json_reply(401, {"ErrorCode": 10,
                                 "Message": "Request does not contain a valid Server token."})

    def _find(self, key: str) -> dict | None:
        return next((t for t in self.templates.values()
                     if str(t["TemplateId"]) == key or t.get("Alias") == key), None)

    def handle(self, e: dict) -> Reply:
        m, path, body = e["method"], e["path"], e["json"]
        if m in ("POST", "PUT") and "application/json" not in e["headers"].get("Content-Type", ""):
            return _json_reply(415, {"ErrorCode": 0, "Message": "Content-Type must be JSON"})
        if m == "GET" and path == "/templates":
            if "Count" not in e["query"] or "Offset" not in e["query"]:
                return _json_reply(422, {"ErrorCode": 1105,
                                         "Message": "Count and Offset are required."})
            start, count = int(e["query"]["Offset"]), int(e["query"]["Count"])
            items = list(self.templates.values())
            page = [{k: t[k] for k in ("TemplateId", "Name", "Alias", "TemplateType", "Active")}
                    for t in items[start:start + count]]
            return _json_reply(200, {"TotalCount": len(items), "Templates": page})
        if m == "POST" and path == "/templates":
            problem = self._invalid(body, creating=True)
            if problem:
                return _json_reply(422, {"ErrorCode": 1101 if "Alias" in problem else 300,
                                         "Message": problem})
            tid = next(self.ids)
            self.templates[tid] = {**body, "TemplateId": tid, "Active": True}
            return _json_reply(200, {k: self.templates[tid][k] for k in
                                     ("TemplateId", "Name", "Alias", "TemplateType", "Active")})
        match = re.fullmatch(r"/templates/([^/]+)", path)
        if m == "PUT" and match:
            found = self._find(match.group(1))
            if not found:
                return _json_reply(422, {"ErrorCode": 1101, "Message": "The template was not "
                                         "found."})
            found.update(body)
            return _json_reply(200, {k: found[k] for k in
                                     ("TemplateId", "Name", "Alias", "TemplateType", "Active")})
        if m == "GET" and match:
            found = self._find(match.group(1))
            return _json_reply(200, found) if found else _json_reply(
                422, {"ErrorCode": 1101, "Message": "The template was not found."})
        return _json_reply(404, {"ErrorCode": 0, "Message": f"No route {m} {path}"})

    def _invalid(self, body: dict, creating: bool) -> str:
        if not isinstance(body, dict) or not body.get("Name"):
            return "The 'Name' associated with this request is not valid or was not found."
        if not body.get("Subject"):
            return "The 'Subject' associated with this request is not valid or was not found."
        if not (body.get("HtmlBody") or body.get("TextBody")):
            return "Either 'HtmlBody' or 'TextBody' must be specified."
        alias = body.get("Alias", "")
        if alias and not re.fullmatch(r"[A-Za-z][A-Za-z0-9._-]*", alias):
            return "The 'Alias' associated with this request is not valid."
        if creating and alias and self._find(alias):
            return "The 'Alias' associated with this request is already in use."
        return ""


class Mailchimp:
    """Marketing API 3.0 templates (HTTP Basic auth `anystring:<key>`)."""

    def __init__(self, key: str = "0123456789abcdef-us21"):
        self.key = key
        self.templates: dict[int, dict] = {}
        self.ids = itertools.count(11)

    def authorized(self, headers: dict) -> bool:
        auth = headers.get("Authorization", "")
        if not auth.startswith("Basic "):
            return False
        _user, _, password = base64.b64decode(auth[6:]).decode().partition(":")
        return password == self.key

    def unauthorized(self) -> Reply:
        return _json_reply(401, {
            "type": "https://mailchimp.com/developer/marketing/docs/errors/",
            "title": "API Key Invalid", "status": 401,
            "detail": "Your API key may be invalid, or you've attempted to access the wrong "
                      "datacenter.", "instance": "5e3f1c4e"})

    def handle(self, e: dict) -> Reply:
        m, path, body = e["method"], e["path"], e["json"]
        if m == "GET" and path == "/3.0/templates":
            start = int(e["query"].get("offset", 0))
            count = int(e["query"].get("count", 10))
            items = [t for t in self.templates.values()
                     if e["query"].get("type") in (None, t["type"])]
            return _json_reply(200, {"templates": items[start:start + count],
                                     "total_items": len(items)})
        if m == "POST" and path == "/3.0/templates":
            problem = self._invalid(body)
            if problem:
                return _json_reply(400, {"type": "…", "title": "Invalid Resource",
                                         "status": 400, "detail": problem})
            tid = next(self.ids)
            self.templates[tid] = {"id": tid, "type": "user", "name": body["name"],
                                   "html": body["html"]}
            return _json_reply(200, self.templates[tid])
        match = re.fullmatch(r"/3.0/templates/(\d+)", path)
        if m == "PATCH" and match:
            found = self.templates.get(int(match.group(1)))
            if not found:
                return _json_reply(404, {"title": "Resource Not Found", "status": 404,
                                         "detail": "The requested resource could not be found."})
            problem = self._invalid({**found, **body})
            if problem:
                return _json_reply(400, {"title": "Invalid Resource", "status": 400,
                                         "detail": problem})
            found.update({k: body[k] for k in ("name", "html") if k in body})
            return _json_reply(200, found)
        return _json_reply(404, {"title": "Resource Not Found", "status": 404,
                                 "detail": f"No route {m} {path}"})

    @staticmethod
    def _invalid(body: Any) -> str:
        if not isinstance(body, dict) or not body.get("name") or not body.get("html"):
            return "The resource submitted could not be validated: name and html are required."
        if len(body["name"]) > 50:
            return "name: String is too long (max 50)."
        return ""


class Brevo:
    """Brevo v3 transactional templates (header `api-key`)."""

    def __init__(self, key: str = "xkeysib-test"):
        self.key = key
        self.templates: dict[int, dict] = {}
        self.ids = itertools.count(1)

    def authorized(self, headers: dict) -> bool:
        return headers.get("api-key") == self.key

    def unauthorized(self) -> Reply:
        return _json_reply(401, {"code": "unauthorized", "message": "Key not found"})

    def handle(self, e: dict) -> Reply:
        m, path, body = e["method"], e["path"], e["json"]
        if m == "GET" and path == "/v3/smtp/templates":
            start = int(e["query"].get("offset", 0))
            limit = int(e["query"].get("limit", 50))
            if limit > 1000:
                return _json_reply(400, {"code": "invalid_parameter",
                                         "message": "limit should be less than 1000"})
            items = [{"id": t["id"], "name": t["templateName"], "subject": t["subject"],
                      "isActive": t["isActive"], "htmlContent": t["htmlContent"]}
                     for t in self.templates.values()]
            return _json_reply(200, {"count": len(items), "templates": items[start:start + limit]}
                               if items else {})
        if m == "POST" and path == "/v3/smtp/templates":
            problem = self._invalid(body)
            if problem:
                return _json_reply(400, {"code": "invalid_parameter", "message": problem})
            tid = next(self.ids)
            self.templates[tid] = {"isActive": False, **body, "id": tid}
            return _json_reply(201, {"id": tid})
        match = re.fullmatch(r"/v3/smtp/templates/(\d+)", path)
        if m == "PUT" and match:
            found = self.templates.get(int(match.group(1)))
            if not found:
                return _json_reply(404, {"code": "document_not_found",
                                         "message": "Template ID does not exist"})
            found.update(body)
            return 204, {}, None
        return _json_reply(404, {"code": "not_found", "message": f"No route {m} {path}"})

    @staticmethod
    def _invalid(body: Any) -> str:
        if not isinstance(body, dict) or not body.get("templateName"):
            return "templateName is missing"
        if not body.get("sender"):
            return "sender is missing"
        if len(body.get("htmlContent", "")) <= 10:
            return "htmlContent should be at least 10 characters"
        return ""


class Kit:
    """Kit API v4 sequences and sequence emails (header `X-Kit-Api-Key`)."""

    def __init__(self, key: str = "kit_test_key"):
        self.key = key
        self.sequences: dict[int, dict] = {}
        self.emails: dict[int, dict] = {}
        self.ids = itertools.count(500)

    def authorized(self, headers: dict) -> bool:
        return headers.get("X-Kit-Api-Key") == self.key

    def unauthorized(self) -> Reply:
        return _json_reply(401, {"errors": ["The access token is invalid"]})

    @staticmethod
    def _page(key: str, items: list) -> dict:
        return {key: items, "pagination": {"has_previous_page": False, "has_next_page": False,
                                           "start_cursor": None, "end_cursor": None,
                                           "per_page": 500}}

    def handle(self, e: dict) -> Reply:
        m, path, body = e["method"], e["path"], e["json"]
        if m == "GET" and path == "/v4/sequences":
            return _json_reply(200, self._page("sequences", list(self.sequences.values())))
        if m == "POST" and path == "/v4/sequences":
            if not (body or {}).get("name"):
                return _json_reply(422, {"errors": ["Name can't be blank"]})
            sid = next(self.ids)
            self.sequences[sid] = {"id": sid, "name": body["name"], "hold": False,
                                   "repeat": False}
            return _json_reply(201, {"sequence": self.sequences[sid]})
        match = re.fullmatch(r"/v4/sequences/(\d+)/emails(?:/(\d+))?", path)
        if not match or int(match.group(1)) not in self.sequences:
            return _json_reply(404, {"errors": ["Not Found"]})
        sid = int(match.group(1))
        mine = [x for x in self.emails.values() if x["sequence_id"] == sid]
        if m == "GET" and not match.group(2):
            return _json_reply(200, self._page("emails", mine))
        if m == "POST" and not match.group(2):
            problem = self._invalid(body, first=not mine)
            if problem:
                return _json_reply(422, {"errors": [problem]})
            eid = next(self.ids)
            self.emails[eid] = {"published": False, **body, "id": eid, "sequence_id": sid,
                                "position": len(mine)}  # a draft unless `published` is sent
            return _json_reply(201, {"email": self.emails[eid]})
        if m == "PUT" and match.group(2):
            found = self.emails.get(int(match.group(2)))
            if not found or found["sequence_id"] != sid:
                return _json_reply(404, {"errors": ["Not Found"]})
            problem = self._invalid({**found, **body}, first=found["position"] == 0)
            if problem:
                return _json_reply(422, {"errors": [problem]})
            found.update(body)
            return _json_reply(200, {"email": found})
        return _json_reply(404, {"errors": [f"No route {m} {path}"]})

    @staticmethod
    def _invalid(body: Any, first: bool) -> str:
        if not isinstance(body, dict) or not body.get("subject"):
            return "Subject can't be blank"
        if body.get("delay_unit") not in ("days", "hours"):
            return "Delay unit must be days or hours"
        if not isinstance(body.get("delay_value"), int) or body["delay_value"] < 0:
            return "Delay value must be a non-negative integer"
        if body["delay_value"] == 0 and not first:
            return "Only the first email in a sequence can have a delay of 0"
        return ""


class Ses:
    """The SESv2 email-template REST API (what boto3's `sesv2` client calls)."""

    def __init__(self, key_id: str = "AKIDTESTKEY"):
        self.key_id = key_id
        self.templates: dict[str, dict] = {}

    def authorized(self, headers: dict) -> bool:
        return f"Credential={self.key_id}/" in headers.get("Authorization", "")

    def unauthorized(self) -> Reply:
        return 403, {"x-amzn-ErrorType": "UnrecognizedClientException"}, {
            "message": "The security token included in the request is invalid."}

    @staticmethod
    def error(status: int, code: str, message: str) -> Reply:
        return status, {"x-amzn-ErrorType": code}, {"message": message}

    def handle(self, e: dict) -> Reply:
        m, path, body = e["method"], e["path"], e["json"]
        if m == "POST" and path == "/v2/email/templates":
            name = (body or {}).get("TemplateName", "")
            if not re.fullmatch(r"[A-Za-z0-9_-]{1,64}", name):
                return self.error(400, "BadRequestException", "Invalid template name.")
            if name in self.templates:
                return self.error(400, "AlreadyExistsException",
                                  f"Template {name} already exists.")
            self.templates[name] = body["TemplateContent"]
            return 200, {}, {}
        match = re.fullmatch(r"/v2/email/templates/([^/]+)", path)
        if match and match.group(1) not in self.templates:
            return self.error(404, "NotFoundException", f"Template {match.group(1)} does not "
                              "exist.")
        if m == "PUT" and match:
            self.templates[match.group(1)] = body["TemplateContent"]
            return 200, {}, {}
        if m == "GET" and match:
            return 200, {}, {"TemplateName": match.group(1),
                             "TemplateContent": self.templates[match.group(1)]}
        return self.error(404, "NotFoundException", f"No route {m} {path}")


class EndlessPostmark(Postmark):
    """A Postmark whose template list never ends: it claims `total` templates and answers
    either the same page every time or a new one (stopping after 400 pages, so that a client
    without bounds still finishes)."""

    def __init__(self, total: int, same_page: bool):
        super().__init__()
        self.total, self.same_page, self.pages = total, same_page, 0

    def handle(self, e: dict) -> Reply:
        if e["method"] != "GET" or e["path"] != "/templates":
            return super().handle(e)
        self.pages += 1
        start = 0 if self.same_page else int(e["query"].get("Offset", 0))
        items = [] if self.pages > 400 else [
            {"TemplateId": 9000 + start, "Name": f"t{start}", "Alias": f"other-{start}",
             "TemplateType": "Standard", "Active": True}]
        return _json_reply(200, {"TotalCount": self.total, "Templates": items})


class EndlessKit(Kit):
    """A Kit whose sequence list always has a next page: with the same cursor every time, or a
    new one (stopping after 400 pages)."""

    def __init__(self, same_cursor: bool):
        super().__init__()
        self.same_cursor, self.pages = same_cursor, 0

    def handle(self, e: dict) -> Reply:
        if e["method"] != "GET" or e["path"] != "/v4/sequences":
            return super().handle(e)
        self.pages += 1
        cursor = "WzFd" if self.same_cursor else f"cursor-{self.pages}"
        page = self._page("sequences", [{"id": 7000 + self.pages, "name": f"s{self.pages}"}])
        page["pagination"].update(has_next_page=self.pages <= 400, end_cursor=cursor)
        return _json_reply(200, page)
