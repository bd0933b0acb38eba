"""Pagination that turns a bad ?page= into a sensible page and a note, never an error."""

from dataclasses import dataclass

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator


@dataclass(frozen=True)
class PageResult:
    page: Page
    note: str


def paginate(
    object_list, raw_page: str | None, *, per_page: int, count: int | None = None
) -> PageResult:
    """The requested page, or the nearest real one with a note saying why it was chosen.

    `count`, when the caller already knows how many items there are, saves the COUNT query."""
    paginator = Paginator(object_list, per_page)
    if count is not None:
        paginator.count = count  # a cached_property: set, it is never computed
    if raw_page in (None, ""):
        return PageResult(paginator.page(1), "")
    try:
        return PageResult(paginator.page(raw_page), "")
    except PageNotAnInteger:
        return PageResult(
            paginator.page(1), f"“{raw_page[:20]}” is not a page number; showing page 1."
        )
    except EmptyPage:
        last = paginator.num_pages
        return PageResult(
            paginator.page(last),
            f"There is no page {raw_page[:20]}; showing page {last} of {last}.",
        )
