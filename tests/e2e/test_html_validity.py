"""Every main page is valid HTML as the Nu HTML checker (vnu) sees it."""

import pytest

from .browser import log_in, visit, vnu_errors


@pytest.mark.django_db(transaction=True)
def test_every_main_page_is_valid_html_signed_out_and_signed_in(browser, page, live_server, site):
    # The markup as the server sent it: the browser's DOM would hide errors it has repaired.
    documents = {f"out-{name}": visit(page, path).text() for name, path in site.signed_out.items()}
    # A form sent back with errors, as someone who mistyped sees it.
    visit(page, site.signed_out["signup"])
    page.get_by_label("E-mail address").fill("not-an-address")
    with page.expect_response(lambda response: response.request.method == "POST") as sent:
        page.get_by_role("button", name="Sign up").click()
    documents["out-signup-errors"] = sent.value.text()
    candidate = browser.new_context(base_url=live_server.url)
    log_in(candidate, live_server, site.alice)
    candidate_page = candidate.new_page()
    for name, path in site.signed_in.items():
        documents[f"in-{name}"] = visit(candidate_page, path).text()
    candidate.close()

    # A known-bad document in the same run proves the checker really looked (java starts once).
    documents["control-invalid"] = "<!doctype html><title>x</title><p><div></p>"

    assert "Hello, Alice" in documents["in-dashboard"]
    assert "Enter a valid email address." in documents["out-signup-errors"]
    errors = vnu_errors(documents)
    assert errors.pop("control-invalid")
    assert errors == {}
