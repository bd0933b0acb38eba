"""Every URL the site answers, built from the URLconf with real objects' identifiers."""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser

from django.urls import URLPattern, URLResolver, get_resolver

_ROUTE_PARAM = re.compile(r"<(?:\w+:)?(\w+)>")
_REGEX_PARAM = re.compile(r"\(\?P<(\w+)>[^)]*\)")


@dataclass(frozen=True)
class Route:
    name: str
    template: str  # "/guides/{guide_slug}/", with {param} for each parameter

    @property
    def params(self) -> list[str]:
        return re.findall(r"{(\w+)}", self.template)

    def url(self, values: dict[str, str], **overrides: str) -> str:
        # A parameter no fixture names yet still gets a value ("1" fits both int and slug
        # converters), so a newly added route is walked rather than breaking the walk.
        filled = {name: values.get(name, "1") for name in self.params}
        return self.template.format(**filled | overrides)


def _template(pattern: str) -> str:
    pattern = _ROUTE_PARAM.sub(r"{\1}", pattern)
    pattern = _REGEX_PARAM.sub(r"{\1}", pattern)
    return pattern.replace("^", "").replace("$", "").replace("\\.", ".")


def all_routes(resolver: URLResolver | None = None, prefix: str = "/") -> Iterator[Route]:
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        here = prefix + _template(str(entry.pattern))
        if isinstance(entry, URLResolver):
            namespace = f"{entry.namespace}:" if entry.namespace else ""
            yield from (
                Route(namespace + route.name, route.template) for route in all_routes(entry, here)
            )
        elif isinstance(entry, URLPattern):
            yield Route(entry.name or here, here)


class FormFields(HTMLParser):
    """The POST forms on a page: their action and every named field with its value."""

    def __init__(self, page_url: str) -> None:
        super().__init__()
        self.page_url = page_url
        self.forms: list[tuple[str, dict[str, str]]] = []
        self._fields: dict[str, str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {key: value or "" for key, value in attrs}
        if tag == "form" and attr.get("method", "get").lower() == "post":
            self._fields = {}
            self.forms.append((attr.get("action") or self.page_url, self._fields))
        elif (
            self._fields is not None and tag in ("input", "select", "textarea") and attr.get("name")
        ):
            if attr.get("type") in ("checkbox", "radio") and "checked" not in attr:
                self._fields.setdefault(attr["name"], "")
            else:
                self._fields[attr["name"]] = attr.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._fields = None


def post_forms(html: str, page_url: str) -> list[tuple[str, dict[str, str]]]:
    parser = FormFields(page_url)
    parser.feed(html)
    return parser.forms


def query_names(html: str) -> set[str]:
    """The query-string parameters the page's own links and GET forms use."""
    names = set(re.findall(r'href="[^"]*\?([^"]*)"', html))
    found = {
        part.split("=")[0] for query in names for part in query.replace("&amp;", "&").split("&")
    }
    found |= set(re.findall(r'<(?:input|select)[^>]* name="(\w+)"', html))
    return {name for name in found if name}
