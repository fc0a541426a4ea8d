"""
An editor in the Django admin, over plain HTTP, as a browser would be.

`AdminSession` logs in, then `edit()` GETs a change form, reads every
field the browser would send (inputs, checked boxes, selected options,
text areas, inline formsets and their management forms), changes one
field and POSTs the form back with the CSRF token. A save answers with a
redirect; a form shown again means the admin refused it.
"""

import http.client
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import urlencode

SKIPPED_INPUTS = {"submit", "button", "image", "file", "reset"}


class FormFields(HTMLParser):
    """The (name, value) pairs a browser would submit for one form."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.in_form = False
        self.fields = []
        self.errors = 0  # error lists shown in the form
        self._select = None  # [name, multiple, options, selected]
        self._option = None  # [value or None, text]
        self._textarea = None  # [name, text]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.in_form = attrs.get("id") == self.form_id
            return
        if not self.in_form:
            return
        name = attrs.get("name")
        if "errorlist" in (attrs.get("class") or "").split():
            self.errors += 1
        if "disabled" in attrs:
            return
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            if kind in SKIPPED_INPUTS:
                return
            if kind in {"checkbox", "radio"}:
                if "checked" in attrs:
                    self.fields.append((name, attrs.get("value") or "on"))
                return
            self.fields.append((name, attrs.get("value") or ""))
        elif tag == "select" and name:
            self._select = [name, "multiple" in attrs, [], []]
        elif tag == "option" and self._select is not None:
            self._option = [attrs.get("value"), ""]
            if "selected" in attrs:
                self._select[3].append(self._option)
            self._select[2].append(self._option)
        elif tag == "textarea" and name:
            self._textarea = [name, ""]

    def handle_data(self, data):
        if self._option is not None:
            self._option[1] += data
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_form = False
        elif tag == "option":
            self._option = None
        elif tag == "select" and self._select is not None:
            name, multiple, options, selected = self._select
            if not selected and not multiple and options:
                selected = options[:1]  # what a browser sends
            for value, text in selected:
                self.fields.append((name, text.strip() if value is None else value))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            name, text = self._textarea
            # Browsers drop the newline that follows <textarea>.
            self.fields.append((name, text.removeprefix("\r\n").removeprefix("\n")))
            self._textarea = None


def form_fields(html, form_id):
    parser = FormFields(form_id)
    parser.feed(html)
    return parser.fields, parser.errors


class AdminError(Exception):
    pass


class AdminSession:
    """One editor's keep-alive connection and cookies."""

    def __init__(self, port, host="127.0.0.1", timeout=30):
        self.port = port
        self.host = host
        self.timeout = timeout
        self.cookies = {}
        self.connection = None

    def request(self, method, path, fields=None):
        """(status, headers, body text); reconnects once if the server had
        closed the kept-alive connection."""
        body = urlencode(fields) if fields is not None else None
        headers = {"Host": self.host}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection(
                    self.host, self.port, timeout=self.timeout
                )
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                text = response.read().decode("utf-8", "replace")
                break
            except (http.client.RemoteDisconnected, ConnectionResetError):
                self.connection.close()
                self.connection = None
                if attempt == 2:
                    raise
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(header)
            for key, morsel in cookie.items():
                self.cookies[key] = morsel.value
        return response.status, response.headers, text

    def login(self, username, password):
        path = "/admin/login/?next=/admin/"
        status, _headers, html = self.request("GET", path)
        if status != 200:
            raise AdminError(f"GET {path} answered {status}")
        fields, _errors = form_fields(html, "login-form")
        values = dict(fields)
        values.update(username=username, password=password)
        status, headers, _html = self.request("POST", path, list(values.items()))
        if status != 302 or "sessionid" not in self.cookies:
            raise AdminError(f"login failed: {status} {headers.get('Location')}")

    def edit(self, app_model, pk, changes):
        """Change fields of one object through its change form.

        Returns the values the form showed before the change, for the
        fields changed. Raises AdminError if the admin did not save.
        """
        path = f"/admin/{app_model}/{pk}/change/"
        status, _headers, html = self.request("GET", path)
        if status != 200:
            raise AdminError(f"GET {path} answered {status}")
        form_id = f"{app_model.rsplit('/', 1)[-1]}_form"
        fields, _errors = form_fields(html, form_id)
        if not any(name == "csrfmiddlewaretoken" for name, _value in fields):
            raise AdminError(f"no form {form_id!r} with a CSRF token at {path}")
        shown = {name: value for name, value in fields if name in changes}
        fields = [(n, changes.get(n, v)) for n, v in fields] + [("_save", "Save")]
        status, headers, html = self.request("POST", path, fields)
        if status != 302:
            _fields, errors = form_fields(html, form_id)
            raise AdminError(f"POST {path} answered {status} with {errors} error lists")
        return shown

    def close(self):
        if self.connection is not None:
            self.connection.close()
