"""The schema describes the answers a client really gets: their status codes and their keys.

A candidate does everything the API offers, once; every answer's status must be one the schema
lists for that operation, and its body must have exactly the properties the schema documents, at
every level. A key the schema leaves out is one a generated client drops; a documented key that
never comes is one it waits for.
"""

import datetime

import pytest

from tests.factories import build_guide


def _resolve(schema: dict, node: dict) -> dict:
    while "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[1]
        node = schema["components"]["schemas"][name]
    return node


def conforms(schema: dict, node: dict, value, where: str) -> None:
    """Assert `value` has the documented shape: same keys at every level, JSON types as said."""
    node = _resolve(schema, node)
    if not node:
        return  # `{}`: any JSON value, e.g. the values of a free-form object
    if value is None:
        assert node.get("nullable") or any(
            _resolve(schema, option).get("enum") == [None] for option in node.get("oneOf", [])
        ), f"{where} is null, which the schema does not allow"
        return
    if "allOf" in node:
        (only,) = node["allOf"]
        conforms(schema, only, value, where)
        return
    if "oneOf" in node:
        failures = []
        for option in node["oneOf"]:
            try:
                conforms(schema, option, value, where)
                return
            except AssertionError as exc:
                failures.append(str(exc))
        raise AssertionError(f"{where} matches none of its alternatives: {failures}")
    if "enum" in node:
        assert value in node["enum"], f"{where}: {value!r} is not one of {node['enum']}"
    kind = node.get("type")
    if "properties" in node:
        assert isinstance(value, dict), f"{where} should be an object"
        documented = set(node["properties"])
        assert set(value) == documented, (
            f"{where}: undocumented keys {sorted(set(value) - documented)}, "
            f"documented but missing {sorted(documented - set(value))}"
        )
        for key, item in value.items():
            conforms(schema, node["properties"][key], item, f"{where}.{key}")
    elif kind == "object":
        assert isinstance(value, dict), f"{where} should be an object"
        if isinstance(node.get("additionalProperties"), dict):
            for key, item in value.items():
                conforms(schema, node["additionalProperties"], item, f"{where}.{key}")
    elif kind == "array":
        assert isinstance(value, list), f"{where} should be an array"
        for index, item in enumerate(value):
            conforms(schema, node["items"], item, f"{where}.{index}")
    elif kind == "integer":
        assert type(value) is int, f"{where} should be an integer, is {value!r}"
    elif kind == "number":
        assert type(value) in (int, float), f"{where} should be a number, is {value!r}"
    elif kind == "boolean":
        assert type(value) is bool, f"{where} should be true or false, is {value!r}"
    elif kind == "string":
        assert isinstance(value, str), f"{where} should be a string, is {value!r}"


def check_answer(schema: dict, template: str, method: str, response) -> None:
    operation = schema["paths"][template][method]
    status = str(response.status_code)
    where = f"{method.upper()} {template} {status}"
    assert status in operation["responses"], f"{where}: status not in the schema"
    documented = operation["responses"][status]
    if "content" not in documented:
        assert response.content == b"", f"{where}: documented without a body, but has one"
        return
    (media,) = documented["content"].values()
    conforms(schema, media["schema"], response.json(), where)


def do_everything(alice_api, schema: dict) -> dict:
    """Use every write of the API once, as a client would, checking each answer on the way.

    Returns the ids of what is left, for the reads.
    """
    guide = build_guide(slug="okx", rounds=2, questions_per_round=3, regions=1, blocks=2)
    build_guide(slug="other", company="Other", rounds=1, questions_per_round=2, blocks=1)
    today = datetime.date.today()
    ids: dict = {"guide_slug": "okx", "round_slug": "round-1", "region_slug": "region-0"}

    def call(method: str, template: str, body=None, expect: int = 200, **params):
        path = "/api/v1" + template.removeprefix("/api/v1").format(**params)
        response = getattr(alice_api, method)(path, body, format="json")
        assert response.status_code == expect, (method, path, response.content)
        check_answer(schema, template, method, response)
        return response.json() if response.content else None

    call("patch", "/api/v1/me/", {"display_name": "Al"})
    enrolment = call(
        "post",
        "/api/v1/enrolments/",
        {"guide": "okx", "start_date": (today - datetime.timedelta(days=10)).isoformat()},
        expect=201,
    )
    eid = ids["enrolment"] = enrolment["id"]
    call("patch", "/api/v1/enrolments/{id}/", {"reminders_enabled": False}, id=eid)
    call("post", "/api/v1/enrolments/{id}/pause/", id=eid)
    call("post", "/api/v1/enrolments/{id}/resume/", id=eid)
    target = (today + datetime.timedelta(days=40)).isoformat()
    call(
        "post",
        "/api/v1/enrolments/{id}/replan/",
        {"mode": "target", "target_interview_date": target},
        id=eid,
    )
    call("post", "/api/v1/enrolments/{id}/replan/undo/", id=eid)
    call(
        "post",
        "/api/v1/enrolments/{id}/replan/",
        {"mode": "target", "target_interview_date": target},
        id=eid,
    )
    round_date = (today + datetime.timedelta(days=20)).isoformat()
    for slug in ("round-1", "round-2"):
        call(
            "put",
            "/api/v1/enrolments/{id}/rounds/{round_slug}/",
            {"date": round_date, "time": "10:30"},
            id=eid,
            round_slug=slug,
        )
    call("delete", "/api/v1/enrolments/{id}/rounds/{round_slug}/", id=eid, round_slug="round-2")
    tasks = call("get", "/api/v1/enrolments/{id}/tasks/", id=eid)["results"]
    ids["task_id"] = tasks[0]["id"]
    call(
        "put",
        "/api/v1/enrolments/{id}/tasks/{task_id}/",
        {"done": True},
        id=eid,
        task_id=ids["task_id"],
    )
    other = call("post", "/api/v1/enrolments/", {"guide": "other"}, expect=201)
    call("post", "/api/v1/enrolments/{id}/leave/", id=other["id"])

    questions = list(guide.questions.filter(round__order=1).order_by("pk"))
    notes = call(
        "post",
        "/api/v1/practice/",
        {"question": questions[0].pk, "status": "practised", "answer_draft": "Draft"},
        expect=201,
    )
    ids["practice"] = notes["id"]
    call("post", "/api/v1/practice/", {"question": questions[0].pk, "answer_draft": "Again"})
    call("patch", "/api/v1/practice/{id}/", {"status": "confident"}, id=notes["id"])
    gone = call("post", "/api/v1/practice/", {"question": questions[1].pk}, expect=201)
    call("delete", "/api/v1/practice/{id}/", expect=204, id=gone["id"])

    rated = call(
        "post", "/api/v1/review-cards/", {"question": questions[0].pk, "rating": 3}, expect=201
    )
    ids["review-card"] = rated["card"]["id"]

    criterion = guide.criteria.get()
    story = call(
        "post",
        "/api/v1/stories/",
        {"title": "Scaling", "questions": [questions[0].pk], "criteria": [criterion.pk]},
        expect=201,
    )
    ids["story"] = story["id"]
    call("patch", "/api/v1/stories/{id}/", {"tags": ["scale"]}, id=story["id"])
    gone = call("post", "/api/v1/stories/", {"title": "Gone"}, expect=201)
    call("delete", "/api/v1/stories/{id}/", expect=204, id=gone["id"])

    round_1 = guide.rounds.get(order=1).pk
    mock = call("post", "/api/v1/mocks/", {"round": round_1, "questions": 2}, expect=201)
    ids["mock"] = mid = mock["id"]
    call("post", "/api/v1/mocks/{id}/start-question/", id=mid)
    for answer in mock["answers"]:
        call(
            "post",
            "/api/v1/mocks/{id}/answer/",
            {"answer": answer["id"], "notes": "Notes", "story": story["id"]},
            id=mid,
        )
    call(
        "post",
        "/api/v1/mocks/{id}/grade/",
        {
            "grades": [{"score": 3, "reason": "Clear"}],
            "outcomes": [{"answer": a["id"], "outcome": "shaky"} for a in mock["answers"]],
        },
        id=mid,
    )
    abandoned = call("post", "/api/v1/mocks/", {"round": guide.rounds.get(order=2).pk}, expect=201)
    call("post", "/api/v1/mocks/{id}/abandon/", id=abandoned["id"])
    ids["question"] = questions[0].pk
    return ids


@pytest.mark.django_db
def test_every_write_answers_with_a_documented_status_and_body(alice_api, openapi):
    do_everything(alice_api, openapi)


@pytest.mark.django_db
def test_refusals_of_the_body_or_accept_header_are_documented(alice_api, openapi):
    schema = openapi
    """A form body answered 415 and `Accept: text/html` 406, neither of them in the schema."""
    form = alice_api.post("/api/v1/stories/", {"title": "Form"}, format="multipart")
    html = alice_api.get("/api/v1/stories/", HTTP_ACCEPT="text/html")

    assert (form.status_code, html.status_code) == (415, 406)
    check_answer(schema, "/api/v1/stories/", "post", form)
    check_answer(schema, "/api/v1/stories/", "get", html)
    for item in schema["paths"].values():
        for method, operation in item.items():
            assert "406" in operation["responses"]
            if method in {"post", "put", "patch"}:
                assert "415" in operation["responses"]


# Which id fills `{id}` in each collection's paths.
ID_OF = {
    "enrolments": "enrolment",
    "questions": "question",
    "practice": "practice",
    "review-cards": "review-card",
    "stories": "story",
    "mocks": "mock",
}


@pytest.mark.django_db
def test_every_read_answers_with_exactly_the_documented_keys(alice_api, openapi):
    schema = openapi
    ids = do_everything(alice_api, schema)
    reads = [path for path, item in schema["paths"].items() if "get" in item]

    for template in reads:
        collection = template.split("/")[3]
        params = {**ids, "code": "invalid", "id": ids.get(ID_OF.get(collection, ""))}
        response = alice_api.get(template.format(**params))

        assert response.status_code == 200, (template, response.content)
        check_answer(schema, template, "get", response)

    # Every list of the export holds something, so the check above looked inside each.
    export = alice_api.get("/api/v1/me/export/").json()
    assert any(e["study_periods"] and e["round_dates"] for e in export["enrolments"])
    assert export["spaced_review"]["cards"][0]["reviews"]
    assert export["stories"][0]["questions"] and export["stories"][0]["criteria"]
    assert all(m["answers"] for m in export["mock_interviews"])
    assert any(m["grades"] for m in export["mock_interviews"])
