"""A mobile app's day with Kindling, through a client generated from openapi.yaml.

What this proves
----------------
A third party who runs `openapi-python-client` on the committed `openapi.yaml`
gets a client that can drive the whole API unchanged: every operation in the
document is called here through the generated `api.*` modules
(`sync_detailed`), every answer is read through the generated model classes,
and every error through the generated `ProblemDocument`. There are no
hand-written HTTP calls, no patches to the generated code, no casts and no
type-ignore comments; `mypy --strict` checks this file against the generated
package. The scenario checks the values that matter in each answer (not just
the status), reads the response headers the document declares (`X-Request-Id`,
`ETag`, `Location`, `RateLimit-*`), and at the end fails naming any
operationId of `openapi.yaml` that it never called.

How to run it
-------------
`clients/python/run` installs the pinned tools, generates the client and runs
this file. By hand, with a generated `kindling_client` importable:

    KINDLING_BASE_URL=http://127.0.0.1:8080 KINDLING_METRICS_TOKEN=ci-metrics-token \\
        python scenario.py path/to/openapi.yaml

The server must run on a fresh database with relaxed rate limits (see README.md).
"""

from __future__ import annotations

import datetime
import os
import re
import sys
import time
import uuid
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import TypeVar
from uuid import UUID

import httpx
import yaml
from kindling_client import AuthenticatedClient, Client
from kindling_client.api.acts import (
    create_act,
    get_act,
    list_my_kudos,
    list_team_acts,
    thank_act,
    withdraw_act,
)
from kindling_client.api.auth import login, logout, refresh, register
from kindling_client.api.habits import (
    create_habit,
    delete_check_in,
    delete_habit,
    get_habit,
    get_today,
    list_check_ins,
    list_habits,
    put_check_in,
    update_habit,
)
from kindling_client.api.game import (
    create_challenge,
    get_challenge,
    get_leaderboard,
    get_progress,
    list_badges,
    list_challenges,
)
from kindling_client.api.me import erase_me, export_me, get_me, update_me
from kindling_client.api.operations import healthz, metrics, readyz
from kindling_client.api.organisations import (
    accept_invitation,
    create_invitation,
    create_org,
    get_invitation,
    get_org,
    list_org_members,
    list_orgs,
    remove_org_member,
    update_org,
    update_org_member,
)
from kindling_client.api.pauses import create_pause, delete_pause, list_pauses
from kindling_client.api.sync import batch_check_ins, sync
from kindling_client.api.teams import (
    create_team,
    delete_team,
    get_team,
    get_team_progress,
    get_team_streak,
    list_team_members,
    list_teams,
    put_team_member,
    remove_team_member,
    update_team,
)
from kindling_client.errors import UnexpectedStatus
from kindling_client.models import (
    ActCategory,
    ActKind,
    ActPage,
    ActView,
    ActVisibility,
    AwardSourceType,
    BadgeCode,
    BadgeView,
    BatchItem,
    BatchRequest,
    BatchResponseBody,
    BatchStatus,
    ChallengeMetric,
    ChallengePage,
    ChallengeView,
    ChangeRoleRequest,
    CheckInPage,
    CheckInRequest,
    CheckInView,
    CreateActRequest,
    EraseMeRequest,
    ExportDocument,
    CreateChallengeRequest,
    CreateHabitRequest,
    CreateInvitationRequest,
    CreateOrgRequest,
    DailySchedule,
    DailyScheduleKind,
    CreatePauseRequest,
    CreateTeamRequest,
    HabitCategory,
    HabitList,
    HabitView,
    InvitationPreview,
    InvitationView,
    LeaderboardPeriod,
    LeaderboardView,
    LoginRequest,
    MemberList,
    MemberView,
    OrgList,
    OrgRole,
    OrgView,
    PauseList,
    PauseView,
    ProgressView,
    ProblemDocument,
    PutTeamMemberRequest,
    RefreshRequest,
    RegisterRequest,
    StreakUnit,
    SyncPage,
    TeamList,
    TeamMemberList,
    TeamMemberView,
    TeamProgressView,
    TeamRole,
    TeamStreakView,
    TeamView,
    Today,
    TokenPair,
    TombstoneKind,
    UpdateHabitRequest,
    UpdateMeRequest,
    UpdateOrgRequest,
    UpdateTeamRequest,
    UserView,
    WeekdaysSchedule,
    WeekdaysScheduleKind,
)
from kindling_client.types import UNSET, Response

T = TypeVar("T")
M = TypeVar("M")

PASSWORD = "correct horse battery staple"
RUN = uuid.uuid4().hex[:8]  # keeps emails unique if the scenario runs twice on one database


class ScenarioFailure(Exception):
    """A check of the scenario failed."""


def check(condition: bool, message: str) -> None:
    if not condition:
        raise ScenarioFailure(message)


def step(title: str) -> None:
    print(f"-- {title}", flush=True)


# ---------------------------------------------------------------------------
# Which operations were called: read from openapi.yaml, recorded on the wire.
# ---------------------------------------------------------------------------


@dataclass
class Operation:
    operation_id: str
    method: str
    path_template: str
    pattern: re.Pattern[str]
    literal_segments: int


@dataclass
class Coverage:
    """The operations of the document, and the statuses each one answered."""

    operations: list[Operation]
    statuses: dict[str, list[int]] = field(default_factory=dict)
    unmatched: list[str] = field(default_factory=list)

    def record(self, method: str, path: str, status: int) -> None:
        matches = [op for op in self.operations if op.method == method and op.pattern.fullmatch(path)]
        if not matches:
            self.unmatched.append(f"{method} {path} -> {status}")
            return
        # A literal path (/v1/me/today) wins over a template that also matches.
        best = max(matches, key=lambda op: op.literal_segments)
        self.statuses.setdefault(best.operation_id, []).append(status)

    def never_called(self) -> list[str]:
        return [op.operation_id for op in self.operations if op.operation_id not in self.statuses]


def load_operations(openapi_path: str) -> list[Operation]:
    """Every (method, path, operationId) of the OpenAPI document."""
    with open(openapi_path, encoding="utf-8") as file:
        document: object = yaml.safe_load(file)
    check(isinstance(document, dict), f"{openapi_path} is not a mapping")
    assert isinstance(document, dict)
    paths = document.get("paths")
    check(isinstance(paths, dict), f"{openapi_path} has no paths")
    assert isinstance(paths, dict)
    operations: list[Operation] = []
    for path_template, item in paths.items():
        check(isinstance(path_template, str) and isinstance(item, dict), f"bad path item {path_template!r}")
        assert isinstance(path_template, str) and isinstance(item, dict)
        for method, operation in item.items():
            if method not in {"get", "put", "post", "delete", "patch", "head", "options", "trace"}:
                continue
            check(isinstance(operation, dict), f"bad operation {method} {path_template}")
            assert isinstance(operation, dict)
            operation_id = operation.get("operationId")
            check(isinstance(operation_id, str), f"{method} {path_template} has no operationId")
            assert isinstance(operation_id, str)
            segments = path_template.strip("/").split("/")
            regex = "/" + "/".join("[^/]+" if s.startswith("{") else re.escape(s) for s in segments)
            literal = sum(1 for s in segments if not s.startswith("{"))
            operations.append(Operation(operation_id, method.upper(), path_template, re.compile(regex), literal))
    return operations


# ---------------------------------------------------------------------------
# Clients
# ---------------------------------------------------------------------------


@dataclass
class Api:
    base_url: str
    metrics_token: str
    coverage: Coverage
    responses_seen: int = 0
    last_request: str = "none yet"

    def on_response(self, response: httpx.Response) -> None:
        """An httpx event hook: records the operation and checks X-Request-Id on every answer."""
        self.responses_seen += 1
        self.last_request = f"{response.request.method} {response.request.url.path} -> {response.status_code}"
        self.coverage.record(response.request.method, response.request.url.path, response.status_code)
        request_id = response.headers.get("x-request-id", "")
        check(
            request_id != "",
            f"{response.request.method} {response.request.url.path} answered without X-Request-Id",
        )

    def client(self, token: str, prefix: str = "Bearer", query: dict[str, str] | None = None) -> AuthenticatedClient:
        """`query`: parameters added to every request's query string, for a
        value the generated types cannot send (one outside an enum)."""
        return AuthenticatedClient(
            base_url=self.base_url,
            token=token,
            prefix=prefix,
            raise_on_unexpected_status=True,
            timeout=httpx.Timeout(30.0),
            httpx_args={"event_hooks": {"response": [self.on_response]}, "params": query or {}},
        )

    def anonymous(self) -> Client:
        """For the operations that need no credentials (register, login, refresh,
        logout, healthz, readyz): the document declares no `security` on them,
        so the generator takes a plain `Client`."""
        return Client(
            base_url=self.base_url,
            raise_on_unexpected_status=True,
            timeout=httpx.Timeout(30.0),
            httpx_args={"event_hooks": {"response": [self.on_response]}},
        )

    def without_credentials(self) -> AuthenticatedClient:
        """An authenticated client that sends no token, to see an operation that
        needs one refuse the call: an empty token with an empty prefix sends an
        empty `Authorization` header (`Bearer ` with a trailing space would be
        refused by httpx before it left)."""
        return self.client("", prefix="")


@dataclass
class Person:
    name: str
    email: str
    user: UserView
    tokens: TokenPair
    api: AuthenticatedClient


# ---------------------------------------------------------------------------
# Reading answers through the generated types
# ---------------------------------------------------------------------------


def describe(response: Response[T]) -> str:
    body = response.content.decode("utf-8", errors="replace")
    return f"{int(response.status_code)} {body[:600]}"


def expect(response: Response[T], status: HTTPStatus, kind: type[M]) -> M:
    """The answer has this status and parses as this generated model."""
    check(response.status_code == status, f"expected {int(status)}, got {describe(response)}")
    parsed = response.parsed
    check(isinstance(parsed, kind), f"expected a {kind.__name__}, got {type(parsed).__name__}: {describe(response)}")
    assert isinstance(parsed, kind)
    return parsed


def expect_empty(response: Response[T], status: HTTPStatus) -> None:
    """A 204 or 304: the status and no body."""
    check(response.status_code == status, f"expected {int(status)}, got {describe(response)}")
    check(response.content == b"", f"a {int(status)} came with a body: {describe(response)}")


def expect_problem(
    response: Response[T], status: HTTPStatus, code: str, fields: list[str] | None = None
) -> ProblemDocument:
    """An RFC 9457 problem document, read through the generated ProblemDocument.

    `fields` are the fields its `errors[]` must name (in any order); without
    them, a `validation_failed` problem must name some field and any other
    problem none, as the ProblemDocument schema says."""
    problem = expect(response, status, ProblemDocument)
    content_type = response.headers.get("content-type", "")
    check(content_type.startswith("application/problem+json"), f"problem with content type {content_type!r}")
    check(problem.status == int(status), f"problem.status {problem.status} on a {int(status)}")
    check(problem.code == code, f"expected code {code!r}, got {problem.code!r}: {problem.detail}")
    check(problem.type_ == f"urn:kindling:problem:{code}", f"problem.type {problem.type_!r} for code {code!r}")
    check(problem.title != "", "a problem without a title")
    check(problem.detail != "", "a problem without a detail")
    named = sorted(error.field for error in problem.errors)
    check(all(error.message != "" for error in problem.errors), f"a field error without a message: {problem.errors}")
    if fields is not None:
        check(named == sorted(fields), f"the {code} problem named the fields {named}, expected {sorted(fields)}")
    elif code == "validation_failed":
        check(named != [], "a validation_failed problem names no field")
    else:
        check(named == [], f"a {code} problem lists field errors: {problem.errors}")
    return problem


def expect_harmless_repeat(response: Response[T], what: str) -> None:
    """openapi.yaml says of each delete's 204 "Done; doing it again is harmless"
    without saying what the second answer is: a 204 again, or a 404 problem.
    Either is accepted; which one came is printed."""
    if response.status_code == HTTPStatus.NOT_FOUND:
        expect_problem(response, HTTPStatus.NOT_FOUND, "not_found")
    else:
        expect_empty(response, HTTPStatus.NO_CONTENT)
    print(f"   (doing {what} again answered {int(response.status_code)})")


def header(response: Response[T], name: str) -> str:
    value = response.headers.get(name)
    check(value is not None and value != "", f"the answer has no {name} header: {describe(response)}")
    assert value is not None
    return value


def check_rate_limit_headers(response: Response[T]) -> None:
    limit = int(header(response, "RateLimit-Limit"))
    remaining = int(header(response, "RateLimit-Remaining"))
    check(0 <= remaining <= limit, f"RateLimit-Remaining {remaining} outside 0..{limit}")


# ---------------------------------------------------------------------------
# Accounts
# ---------------------------------------------------------------------------


def register_person(api: Api, name: str, timezone: str) -> Person:
    email = f"{name.lower()}.{RUN}@example.com"
    body = RegisterRequest(email=email, password=PASSWORD, display_name=name, timezone=timezone)
    response = register.sync_detailed(client=api.anonymous(), body=body)
    tokens = expect(response, HTTPStatus.CREATED, TokenPair)
    check_rate_limit_headers(response)
    check(tokens.token_type == "Bearer", f"token_type {tokens.token_type!r}")
    check(tokens.expires_in == 900, f"expires_in {tokens.expires_in}")
    check(tokens.access_token.count(".") == 2, "the access token is not a JWT")
    check(tokens.user.email == email and tokens.user.display_name == name, "register echoed another person")
    check(tokens.user.timezone == timezone, f"timezone {tokens.user.timezone!r}, sent {timezone!r}")
    check(tokens.user.day_starts_at_hour == 0, "a new account's day starts at midnight")
    return Person(name, email, tokens.user, tokens, api.client(tokens.access_token))


def register_twice_is_a_conflict(api: Api, person: Person) -> None:
    body = RegisterRequest(email=person.email, password=PASSWORD, display_name="Someone else")
    expect_problem(register.sync_detailed(client=api.anonymous(), body=body), HTTPStatus.CONFLICT, "email_taken")


def login_refresh(api: Api, person: Person) -> TokenPair:
    """A second device logs in, and refreshes its pair; returns the current pair."""
    wrong = LoginRequest(email=person.email, password="not the password")
    response = login.sync_detailed(client=api.anonymous(), body=wrong)
    expect_problem(response, HTTPStatus.UNAUTHORIZED, "invalid_credentials")
    check(header(response, "WWW-Authenticate").startswith("Bearer"), "a 401 without a Bearer challenge")

    unknown = LoginRequest(email=f"nobody.{RUN}@example.com", password=PASSWORD)
    expect_problem(
        login.sync_detailed(client=api.anonymous(), body=unknown), HTTPStatus.UNAUTHORIZED, "invalid_credentials"
    )

    response = login.sync_detailed(client=api.anonymous(), body=LoginRequest(email=person.email, password=PASSWORD))
    pair = expect(response, HTTPStatus.OK, TokenPair)
    check(pair.user.id == person.user.id, "login answered for another account")

    spent = RefreshRequest(refresh_token=pair.refresh_token)
    renewed = expect(refresh.sync_detailed(client=api.anonymous(), body=spent), HTTPStatus.OK, TokenPair)
    check(renewed.refresh_token != pair.refresh_token, "refresh did not rotate the refresh token")
    check(renewed.user.id == person.user.id, "refresh answered for another account")

    # The phone lost the answer and retries with the same token at once: it
    # gets the same new refresh token, and the login survives.
    retried = expect(refresh.sync_detailed(client=api.anonymous(), body=spent), HTTPStatus.OK, TokenPair)
    check(retried.refresh_token == renewed.refresh_token, "a retried refresh got another refresh token")

    bogus = RefreshRequest(refresh_token="not-a-refresh-token")
    expect_problem(
        refresh.sync_detailed(client=api.anonymous(), body=bogus), HTTPStatus.UNAUTHORIZED, "invalid_refresh_token"
    )
    return renewed


def calls_without_a_valid_token(api: Api, person: Person) -> None:
    response = get_me.sync_detailed(client=api.without_credentials())
    problem = expect_problem(response, HTTPStatus.UNAUTHORIZED, "unauthorized")
    check(header(response, "WWW-Authenticate").startswith("Bearer"), "a 401 without a Bearer challenge")
    check("token" in problem.detail, f"detail {problem.detail!r}")

    # The person's own token with its signature changed.
    head, claims, signature = person.tokens.access_token.split(".")
    forged = f"{head}.{claims}.{signature[::-1]}"
    expect_problem(get_me.sync_detailed(client=api.client(forged)), HTTPStatus.UNAUTHORIZED, "invalid_token")


def me(person: Person) -> None:
    response = get_me.sync_detailed(client=person.api)
    user = expect(response, HTTPStatus.OK, UserView)
    check_rate_limit_headers(response)
    check(user.id == person.user.id and user.email == person.email, "GET /v1/me is somebody else")

    # An app that sends its own X-Request-Id (to find a request in the logs) gets it echoed.
    request_id = str(uuid.uuid4())
    traced = get_me.sync_detailed(client=person.api.with_headers({"X-Request-Id": request_id}))
    expect(traced, HTTPStatus.OK, UserView)
    check(header(traced, "X-Request-Id") == request_id, f"X-Request-Id {traced.headers.get('x-request-id')!r}")

    changes = UpdateMeRequest(display_name=f"{person.name} (phone)", day_starts_at_hour=2)
    user = expect(update_me.sync_detailed(client=person.api, body=changes), HTTPStatus.OK, UserView)
    check(user.display_name == f"{person.name} (phone)", f"display_name {user.display_name!r}")
    check(user.day_starts_at_hour == 2, f"day_starts_at_hour {user.day_starts_at_hour}")
    check(user.timezone == person.user.timezone, "PATCH changed a field it was not sent")

    # Back to midnight so that "today" below is the calendar day.
    changes = UpdateMeRequest(display_name=person.name, day_starts_at_hour=0)
    user = expect(update_me.sync_detailed(client=person.api, body=changes), HTTPStatus.OK, UserView)
    check(user.day_starts_at_hour == 0 and user.display_name == person.name, "PATCH /v1/me did not restore")

    bad = UpdateMeRequest(timezone="Mars/Olympus_Mons", day_starts_at_hour=9)
    response = update_me.sync_detailed(client=person.api, body=bad)
    expect_problem(response, HTTPStatus.UNPROCESSABLE_ENTITY, "validation_failed", ["day_starts_at_hour", "timezone"])
    person.user = user


# ---------------------------------------------------------------------------
# Habits, check-ins, today, pauses
# ---------------------------------------------------------------------------


def today_of(person: Person) -> datetime.date:
    return expect(get_today.sync_detailed(client=person.api), HTTPStatus.OK, Today).date


def habits(person: Person) -> tuple[HabitView, HabitView]:
    """Creates a daily habit and a weekdays one; returns them."""
    offline_id = uuid.uuid4()  # chosen on the phone, before it is online
    walk = CreateHabitRequest(
        id=offline_id,
        title="A walk outside",
        category=HabitCategory.MOVEMENT,
        schedule=DailySchedule(kind=DailyScheduleKind.DAILY),
        target_per_day=2,
        reminder_time="08:30",
        colour="#3A7D44",
        icon="walk",
    )
    response = create_habit.sync_detailed(client=person.api, body=walk)
    habit = expect(response, HTTPStatus.CREATED, HabitView)
    check(habit.id == offline_id, "the habit did not keep the client's id")
    check(habit.title == "A walk outside" and habit.category == HabitCategory.MOVEMENT, "the habit came back changed")
    check(habit.target_per_day == 2 and habit.reminder_time == "08:30", "target or reminder changed")
    # The service stores colours in lower case; openapi.yaml does not say so.
    colour = habit.colour.lower() if isinstance(habit.colour, str) else habit.colour
    check(colour == "#3a7d44", f"colour {habit.colour!r}")
    check(habit.icon == "walk" and not habit.archived, f"icon {habit.icon!r}, archived {habit.archived}")
    check(isinstance(habit.schedule, DailySchedule), f"schedule {habit.schedule!r}")
    check(habit.streak.current == 0 and habit.streak.unit == StreakUnit.DAY, "a new habit has a streak")
    check(header(response, "Location") == f"/v1/habits/{habit.id}", f"Location {response.headers.get('location')}")

    # The offline queue replays the create: the stored habit, 200, no duplicate.
    replay = expect(create_habit.sync_detailed(client=person.api, body=walk), HTTPStatus.OK, HabitView)
    check(replay.id == habit.id and replay.created_at == habit.created_at, "a replay made a new habit")

    changed = CreateHabitRequest(
        id=offline_id,
        title="Something else",
        category=HabitCategory.REST,
        schedule=DailySchedule(kind=DailyScheduleKind.DAILY),
    )
    expect_problem(create_habit.sync_detailed(client=person.api, body=changed), HTTPStatus.CONFLICT, "id_conflict")

    invalid = CreateHabitRequest(
        title="", category=HabitCategory.REST, schedule=DailySchedule(kind=DailyScheduleKind.DAILY), colour="blue"
    )
    response_422 = create_habit.sync_detailed(client=person.api, body=invalid)
    expect_problem(response_422, HTTPStatus.UNPROCESSABLE_ENTITY, "validation_failed", ["colour", "title"])

    weekdays = CreateHabitRequest(
        title="Lunch away from the desk",
        category=HabitCategory.NOURISHMENT,
        schedule=WeekdaysSchedule(kind=WeekdaysScheduleKind.WEEKDAYS, days=[1, 3, 5]),
    )
    lunch = expect(create_habit.sync_detailed(client=person.api, body=weekdays), HTTPStatus.CREATED, HabitView)
    schedule = lunch.schedule
    check(isinstance(schedule, WeekdaysSchedule) and schedule.days == [1, 3, 5], f"schedule {schedule!r}")
    check(lunch.target_per_day == 1, "weekdays habit came back changed")

    # List, then poll with If-None-Match.
    list_response = list_habits.sync_detailed(client=person.api)
    listed = expect(list_response, HTTPStatus.OK, HabitList)
    check([h.id for h in listed.items] == [habit.id, lunch.id], "the list is not oldest first")
    etag = header(list_response, "ETag")
    unchanged = list_habits.sync_detailed(client=person.api, if_none_match=etag)
    expect_empty(unchanged, HTTPStatus.NOT_MODIFIED)
    check(header(unchanged, "ETag") == etag, "a 304 with another ETag")

    get_response = get_habit.sync_detailed(habit.id, client=person.api)
    read = expect(get_response, HTTPStatus.OK, HabitView)
    check(read.id == habit.id and read.title == habit.title, "GET /v1/habits/{id} read another habit")
    habit_etag = header(get_response, "ETag")
    expect_empty(
        get_habit.sync_detailed(habit.id, client=person.api, if_none_match=habit_etag), HTTPStatus.NOT_MODIFIED
    )

    expect_problem(get_habit.sync_detailed(uuid.uuid4(), client=person.api), HTTPStatus.NOT_FOUND, "not_found")

    changes = UpdateHabitRequest(title="A long walk outside", reminder_time=None, colour="#1e5631")
    updated = expect(update_habit.sync_detailed(habit.id, client=person.api, body=changes), HTTPStatus.OK, HabitView)
    check(updated.title == "A long walk outside", f"title {updated.title!r}")
    check(updated.reminder_time is None, f"reminder_time {updated.reminder_time!r}")
    check(updated.colour == "#1e5631" and updated.icon == "walk", f"colour {updated.colour!r}, icon {updated.icon!r}")
    check(updated.updated_at >= habit.updated_at, "updated_at went back")

    # The old ETag no longer matches: the poll gets the new habit.
    stale = get_habit.sync_detailed(habit.id, client=person.api, if_none_match=habit_etag)
    check(expect(stale, HTTPStatus.OK, HabitView).title == "A long walk outside", "a stale ETag got a 304")

    return updated, lunch


def habit_to_delete(person: Person) -> UUID:
    body = CreateHabitRequest(
        title="Inbox zero", category=HabitCategory.OTHER, schedule=DailySchedule(kind=DailyScheduleKind.DAILY)
    )
    doomed = expect(create_habit.sync_detailed(client=person.api, body=body), HTTPStatus.CREATED, HabitView)
    expect_empty(delete_habit.sync_detailed(doomed.id, client=person.api), HTTPStatus.NO_CONTENT)
    expect_harmless_repeat(delete_habit.sync_detailed(doomed.id, client=person.api), "delete_habit")
    expect_problem(get_habit.sync_detailed(doomed.id, client=person.api), HTTPStatus.NOT_FOUND, "not_found")
    return doomed.id


def check_ins(person: Person, walk: HabitView, today: datetime.date) -> None:
    yesterday = today - datetime.timedelta(days=1)
    request = CheckInRequest(mood=4, note="Round the park")
    day = expect(
        put_check_in.sync_detailed(walk.id, today, client=person.api, body=request), HTTPStatus.OK, CheckInView
    )
    check(day.habit_id == walk.id and day.date == today, "the check-in is for another day")
    check(
        day.count == walk.target_per_day and day.done,
        f"count {day.count} done {day.done}: count defaults to the target",
    )
    check(day.mood == 4 and day.note == "Round the park", "mood or note lost")

    again = expect(
        put_check_in.sync_detailed(walk.id, today, client=person.api, body=request), HTTPStatus.OK, CheckInView
    )
    check(again.count == day.count and again.done, "the same PUT twice is not one check-in")

    half = expect(
        put_check_in.sync_detailed(walk.id, yesterday, client=person.api, body=CheckInRequest(count=1)),
        HTTPStatus.OK,
        CheckInView,
    )
    check(half.count == 1 and not half.done, f"1 of 2 is not done (count {half.count}, done {half.done})")

    page = expect(
        list_check_ins.sync_detailed(walk.id, client=person.api, from_=yesterday, to=today), HTTPStatus.OK, CheckInPage
    )
    check(sorted(c.date for c in page.items) == [yesterday, today], f"days {[c.date for c in page.items]}")
    check(page.next_cursor is None, "two days do not need a second page")

    expect_empty(delete_check_in.sync_detailed(walk.id, yesterday, client=person.api), HTTPStatus.NO_CONTENT)
    expect_harmless_repeat(delete_check_in.sync_detailed(walk.id, yesterday, client=person.api), "delete_check_in")
    page = expect(
        list_check_ins.sync_detailed(walk.id, client=person.api, from_=yesterday, to=today), HTTPStatus.OK, CheckInPage
    )
    check([c.date for c in page.items] == [today], "the undone day is still listed")

    tomorrow = today + datetime.timedelta(days=1)
    response = put_check_in.sync_detailed(walk.id, tomorrow, client=person.api, body=CheckInRequest())
    # The service names the field, although the ProblemDocument schema says
    # `errors` is empty for every code but validation_failed.
    expect_problem(response, HTTPStatus.UNPROCESSABLE_ENTITY, "date_out_of_range", ["date"])

    response = put_check_in.sync_detailed(uuid.uuid4(), today, client=person.api, body=CheckInRequest())
    expect_problem(response, HTTPStatus.NOT_FOUND, "not_found")

    streak = expect(get_habit.sync_detailed(walk.id, client=person.api), HTTPStatus.OK, HabitView).streak
    check(
        streak.current == 1 and streak.last_completed_on == today, f"streak {streak.current} {streak.last_completed_on}"
    )


def today_screen(person: Person, walk: HabitView, lunch: HabitView, today: datetime.date) -> None:
    response = get_today.sync_detailed(client=person.api)
    screen = expect(response, HTTPStatus.OK, Today)
    check(screen.date == today, "today moved")
    by_habit = {item.habit.id: item for item in screen.items}
    check(walk.id in by_habit, "the daily habit is not due today")
    item = by_habit[walk.id]
    check(item.done and item.count == 2 and item.target == 2, f"today's walk: {item.count}/{item.target} {item.done}")
    check(item.habit.streak.current == 1, "today's item carries no streak")
    due_lunch = today.isoweekday() in (1, 3, 5)
    check((lunch.id in by_habit) == due_lunch, f"the weekdays habit on ISO day {today.isoweekday()}")

    etag = header(response, "ETag")
    expect_empty(get_today.sync_detailed(client=person.api, if_none_match=etag), HTTPStatus.NOT_MODIFIED)


def pauses(person: Person, today: datetime.date) -> None:
    starts = today + datetime.timedelta(days=10)
    ends = today + datetime.timedelta(days=16)
    pause = expect(
        create_pause.sync_detailed(client=person.api, body=CreatePauseRequest(starts_on=starts, ends_on=ends)),
        HTTPStatus.CREATED,
        PauseView,
    )
    check(pause.starts_on == starts and pause.ends_on == ends, "the pause came back with other days")

    listed = expect(list_pauses.sync_detailed(client=person.api), HTTPStatus.OK, PauseList)
    check([p.id for p in listed.items] == [pause.id], "the pause is not listed")

    too_long = CreatePauseRequest(starts_on=starts, ends_on=starts + datetime.timedelta(days=120))
    response = create_pause.sync_detailed(client=person.api, body=too_long)
    expect_problem(response, HTTPStatus.UNPROCESSABLE_ENTITY, "validation_failed")

    expect_empty(delete_pause.sync_detailed(pause.id, client=person.api), HTTPStatus.NO_CONTENT)
    expect_harmless_repeat(delete_pause.sync_detailed(pause.id, client=person.api), "delete_pause")
    listed = expect(list_pauses.sync_detailed(client=person.api), HTTPStatus.OK, PauseList)
    check(listed.items == [], "the deleted pause is still listed")
    expect_problem(delete_pause.sync_detailed(uuid.uuid4(), client=person.api), HTTPStatus.NOT_FOUND, "not_found")


def offline_batch(person: Person, walk: HabitView, lunch: HabitView, today: datetime.date) -> None:
    """The phone comes back online and sends its queue: two check-ins, an undo, and one too old."""
    two_days_ago = today - datetime.timedelta(days=2)
    queue = BatchRequest(
        items=[
            BatchItem(habit_id=walk.id, date=two_days_ago, count=2, mood=3),
            BatchItem(habit_id=lunch.id, date=today, note="Sandwich in the sun"),
            BatchItem(habit_id=walk.id, date=today, deleted=True),
            BatchItem(habit_id=walk.id, date=today - datetime.timedelta(days=45)),
        ]
    )
    body = expect(batch_check_ins.sync_detailed(client=person.api, body=queue), HTTPStatus.OK, BatchResponseBody)
    statuses = [(r.index, r.status) for r in body.results]
    expected = [(0, BatchStatus.APPLIED), (1, BatchStatus.APPLIED), (2, BatchStatus.DELETED), (3, BatchStatus.REJECTED)]
    check(statuses == expected, f"batch results {statuses}")

    first = body.results[0].check_in
    check(isinstance(first, CheckInView), f"an applied item without its check-in: {first!r}")
    assert isinstance(first, CheckInView)
    check(first.date == two_days_ago and first.done and first.mood == 3, "the applied check-in came back changed")

    rejected = body.results[3].error
    check(isinstance(rejected, ProblemDocument), f"a rejected item without a problem: {rejected!r}")
    assert isinstance(rejected, ProblemDocument)
    check(rejected.code == "date_out_of_range" and rejected.status == 422, f"rejected with {rejected.code}")

    page = expect(
        list_check_ins.sync_detailed(walk.id, client=person.api, from_=two_days_ago, to=today),
        HTTPStatus.OK,
        CheckInPage,
    )
    check(
        [c.date for c in page.items] == [two_days_ago], f"after the batch the walk has {[c.date for c in page.items]}"
    )

    # Put today back, so that the rest of the day looks as it did.
    redo = put_check_in.sync_detailed(walk.id, today, client=person.api, body=CheckInRequest())
    check(expect(redo, HTTPStatus.OK, CheckInView).done, "today is not done again")


def sync_two_devices(person: Person, walk: HabitView, deleted_habit: UUID) -> None:
    """A second phone pulls everything in small pages, then only what changed since."""
    habit_ids: set[UUID] = set()
    tombstones: set[UUID] = set()
    check_in_days = 0
    cursor: str | None = None
    pages = 0
    while True:
        since = UNSET if cursor is None else cursor
        page = expect(sync.sync_detailed(client=person.api, since=since, limit=1), HTTPStatus.OK, SyncPage)
        pages += 1
        check(len(page.habits) <= 1 and len(page.check_ins) <= 1 and len(page.deleted) <= 1, "a page over its limit")
        habit_ids.update(h.id for h in page.habits)
        tombstones.update(t.habit_id for t in page.deleted if t.kind == TombstoneKind.HABIT)
        check_in_days += len(page.check_ins)
        check(page.next_cursor != "", "a sync page without a cursor")
        cursor = page.next_cursor
        if not page.has_more:
            break
        check(pages < 50, "sync never ends")
    check(pages >= 2, f"limit=1 should take more than one page, took {pages}")
    check(walk.id in habit_ids, "sync did not send the habit")
    check(deleted_habit in tombstones, "sync did not send the deleted habit's tombstone")
    check(check_in_days >= 2, f"sync sent {check_in_days} check-ins")

    assert cursor is not None
    nothing = expect(sync.sync_detailed(client=person.api, since=cursor), HTTPStatus.OK, SyncPage)
    check(nothing.habits == [] and nothing.check_ins == [] and nothing.deleted == [], "sync repeats old changes")
    check(not nothing.has_more, "an empty sync has more")

    renamed = UpdateHabitRequest(title="A walk outside, every day")
    expect(update_habit.sync_detailed(walk.id, client=person.api, body=renamed), HTTPStatus.OK, HabitView)
    change = expect(sync.sync_detailed(client=person.api, since=nothing.next_cursor), HTTPStatus.OK, SyncPage)
    check([h.title for h in change.habits] == ["A walk outside, every day"], f"the follow-up sync sent {change.habits}")

    expect_problem(
        sync.sync_detailed(client=person.api, since="not-a-cursor"), HTTPStatus.BAD_REQUEST, "invalid_cursor"
    )


# ---------------------------------------------------------------------------
# Organisations, invitations, teams
# ---------------------------------------------------------------------------


def organisation(owner: Person) -> OrgView:
    body = CreateOrgRequest(name="Acme Care", timezone="Europe/London")
    response = create_org.sync_detailed(client=owner.api, body=body)
    org = expect(response, HTTPStatus.CREATED, OrgView)
    check(org.name == "Acme Care" and org.timezone == "Europe/London", "the organisation came back changed")
    check(org.role == OrgRole.OWNER, f"the creator is {org.role}")
    check(org.working_days == [1, 2, 3, 4, 5] and org.min_group_size == 5, "defaults differ from API.md")
    check(not org.team_leaderboard_enabled, "the leaderboard is on by default")
    check(header(response, "Location") == f"/v1/orgs/{org.id}", f"Location {response.headers.get('location')}")

    listed = expect(list_orgs.sync_detailed(client=owner.api), HTTPStatus.OK, OrgList)
    check([(o.id, o.role) for o in listed.items] == [(org.id, OrgRole.OWNER)], "GET /v1/orgs")
    check(listed.next_cursor is None, "one organisation needs no second page")

    read = expect(get_org.sync_detailed(org.id, client=owner.api), HTTPStatus.OK, OrgView)
    check(read.id == org.id and read.name == org.name, "GET /v1/orgs/{id}")

    changes = UpdateOrgRequest(name="Acme Care Ltd", min_group_size=3, working_days=[1, 2, 3, 4, 5, 6, 7])
    updated = expect(update_org.sync_detailed(org.id, client=owner.api, body=changes), HTTPStatus.OK, OrgView)
    check(updated.name == "Acme Care Ltd" and updated.min_group_size == 3, "PATCH /v1/orgs/{id}")
    check(updated.working_days == [1, 2, 3, 4, 5, 6, 7], f"working_days {updated.working_days}")

    bad = UpdateOrgRequest(min_group_size=2)
    response_422 = update_org.sync_detailed(org.id, client=owner.api, body=bad)
    expect_problem(response_422, HTTPStatus.UNPROCESSABLE_ENTITY, "validation_failed", ["min_group_size"])
    return updated


def invite(owner: Person, org: OrgView, people: list[Person]) -> None:
    body = CreateInvitationRequest(role=OrgRole.MEMBER, max_uses=len(people), expires_in_days=3)
    response = create_invitation.sync_detailed(org.id, client=owner.api, body=body)
    invitation = expect(response, HTTPStatus.CREATED, InvitationView)
    check(invitation.role == OrgRole.MEMBER and invitation.max_uses == len(people), "the invitation came back changed")
    check(
        header(response, "Location") == f"/v1/invitations/{invitation.code}",
        f"Location {response.headers.get('location')}",
    )
    days = (invitation.expires_at - datetime.datetime.now(datetime.UTC)).total_seconds() / 86400
    check(2.9 < days <= 3.0, f"an invitation for 3 days expires in {days:.2f}")

    for person in people:
        preview = expect(
            get_invitation.sync_detailed(invitation.code, client=person.api), HTTPStatus.OK, InvitationPreview
        )
        check(preview.org_id == org.id and preview.org_name == org.name and preview.role == OrgRole.MEMBER, "preview")
        joined = expect(accept_invitation.sync_detailed(invitation.code, client=person.api), HTTPStatus.OK, OrgView)
        check(joined.id == org.id and joined.role == OrgRole.MEMBER, f"{person.name} joined as {joined.role}")

    # Used up: reading and accepting are both 404.
    outsider_code = invitation.code
    expect_problem(get_invitation.sync_detailed(outsider_code, client=owner.api), HTTPStatus.NOT_FOUND, "not_found")
    expect_problem(get_invitation.sync_detailed("no-such-code", client=owner.api), HTTPStatus.NOT_FOUND, "not_found")


def members(owner: Person, org: OrgView, admin: Person, leaving: Person) -> None:
    page = expect(list_org_members.sync_detailed(org.id, client=owner.api, limit=2), HTTPStatus.OK, MemberList)
    seen = [m.user_id for m in page.items]
    check(len(seen) == 2 and isinstance(page.next_cursor, str), "two of three members should leave a next page")
    assert isinstance(page.next_cursor, str)
    rest = expect(
        list_org_members.sync_detailed(org.id, client=owner.api, limit=2, cursor=page.next_cursor),
        HTTPStatus.OK,
        MemberList,
    )
    seen += [m.user_id for m in rest.items]
    check(rest.next_cursor is None, "the last page has a next_cursor")
    check(sorted(seen) == sorted([owner.user.id, admin.user.id, leaving.user.id]), "the members are not the three")

    # A plain member may not read the list.
    expect_problem(list_org_members.sync_detailed(org.id, client=leaving.api), HTTPStatus.FORBIDDEN, "forbidden")

    promoted = expect(
        update_org_member.sync_detailed(
            org.id, admin.user.id, client=owner.api, body=ChangeRoleRequest(role=OrgRole.ADMIN)
        ),
        HTTPStatus.OK,
        MemberView,
    )
    check(promoted.user_id == admin.user.id and promoted.role == OrgRole.ADMIN, f"role {promoted.role}")

    demote_last_owner = ChangeRoleRequest(role=OrgRole.MEMBER)
    response = update_org_member.sync_detailed(org.id, owner.user.id, client=owner.api, body=demote_last_owner)
    expect_problem(response, HTTPStatus.CONFLICT, "last_owner")

    hr = expect(
        update_org_member.sync_detailed(
            org.id, leaving.user.id, client=admin.api, body=ChangeRoleRequest(role=OrgRole.HR)
        ),
        HTTPStatus.OK,
        MemberView,
    )
    check(hr.role == OrgRole.HR, f"role {hr.role}")

    # A member may not change the organisation's settings.
    refused = update_org.sync_detailed(org.id, client=leaving.api, body=UpdateOrgRequest(name="Mine now"))
    expect_problem(refused, HTTPStatus.FORBIDDEN, "forbidden")


def teams(owner: Person, org: OrgView, lead: Person, member: Person) -> TeamView:
    body = CreateTeamRequest(name="Night shift", weekly_goal=10)
    response = create_team.sync_detailed(org.id, client=owner.api, body=body)
    team = expect(response, HTTPStatus.CREATED, TeamView)
    check(team.org_id == org.id and team.name == "Night shift", "the team came back changed")
    check(team.daily_act_threshold == 1 and team.weekly_goal == 10, "team defaults")
    check(header(response, "Location") == f"/v1/teams/{team.id}", f"Location {response.headers.get('location')}")

    listed = expect(list_teams.sync_detailed(org.id, client=member.api), HTTPStatus.OK, TeamList)
    check([t.id for t in listed.items] == [team.id], "GET /v1/orgs/{id}/teams")

    read = expect(get_team.sync_detailed(team.id, client=member.api), HTTPStatus.OK, TeamView)
    check(read.id == team.id and read.weekly_goal == 10, "GET /v1/teams/{id}")

    changes = UpdateTeamRequest(name="Night owls", daily_act_threshold=2)
    team = expect(update_team.sync_detailed(team.id, client=owner.api, body=changes), HTTPStatus.OK, TeamView)
    check(
        team.name == "Night owls" and team.daily_act_threshold == 2 and team.weekly_goal == 10, "PATCH /v1/teams/{id}"
    )

    for person, role in ((owner, TeamRole.LEAD), (lead, TeamRole.LEAD), (member, TeamRole.MEMBER)):
        put = PutTeamMemberRequest(role=role)
        added = expect(
            put_team_member.sync_detailed(team.id, person.user.id, client=owner.api, body=put),
            HTTPStatus.OK,
            TeamMemberView,
        )
        check(added.user_id == person.user.id and added.role == role, f"{person.name} is {added.role}")

    roster = expect(list_team_members.sync_detailed(team.id, client=member.api), HTTPStatus.OK, TeamMemberList)
    roles = {m.user_id: m.role for m in roster.items}
    expected = {owner.user.id: TeamRole.LEAD, lead.user.id: TeamRole.LEAD, member.user.id: TeamRole.MEMBER}
    check(roles == expected, f"team roster {roles}")

    stranger = put_team_member.sync_detailed(
        team.id, uuid.uuid4(), client=owner.api, body=PutTeamMemberRequest(role=TeamRole.MEMBER)
    )
    expect_problem(stranger, HTTPStatus.NOT_FOUND, "not_found")
    return team


# ---------------------------------------------------------------------------
# Acts, kudos, the feed, team streak and progress
# ---------------------------------------------------------------------------


def acts_and_kudos(author: Person, team: TeamView, recipient: Person, bystander: Person) -> None:
    messages = [
        "Covered the phones so Sam could eat",
        "Listened to a hard story without fixing it",
        "Brought biscuits for the night shift",
        "Walked a new colleague to the car park",
    ]
    posted: list[ActView] = []
    for message in messages:
        body = CreateActRequest(kind=ActKind.ACT, category=ActCategory.HELP, message=message)
        response = create_act.sync_detailed(team.id, client=author.api, body=body)
        act = expect(response, HTTPStatus.CREATED, ActView)
        check(
            act.message == message and act.kind == ActKind.ACT and act.team_id == team.id, "the act came back changed"
        )
        check(act.author.user_id == author.user.id and act.recipients == [], "the act's author or recipients")
        check(act.visibility == ActVisibility.TEAM, f"default visibility {act.visibility}")
        check(header(response, "Location") == f"/v1/acts/{act.id}", f"Location {response.headers.get('location')}")
        posted.append(act)

    kudos_id = uuid.uuid4()
    kudos_body = CreateActRequest(
        id=kudos_id,
        kind=ActKind.KUDOS,
        category=ActCategory.APPRECIATION,
        message="Thank you for staying late with me",
        recipient_ids=[recipient.user.id],
    )
    kudos = expect(create_act.sync_detailed(team.id, client=author.api, body=kudos_body), HTTPStatus.CREATED, ActView)
    check(kudos.id == kudos_id and [r.user_id for r in kudos.recipients] == [recipient.user.id], "kudos recipients")
    check(kudos.recipients[0].thanked_at is None, "thanked before thanks")
    replay = expect(create_act.sync_detailed(team.id, client=author.api, body=kudos_body), HTTPStatus.OK, ActView)
    check(replay.id == kudos.id, "a replayed kudos made a new one")
    posted.append(kudos)

    to_self = CreateActRequest(
        kind=ActKind.KUDOS, category=ActCategory.APPRECIATION, message="Well done me", recipient_ids=[author.user.id]
    )
    response_422 = create_act.sync_detailed(team.id, client=author.api, body=to_self)
    expect_problem(response_422, HTTPStatus.UNPROCESSABLE_ENTITY, "validation_failed", ["recipient_ids"])

    # The recipient reads the team feed two at a time, newest first, to the end.
    feed: list[ActView] = []
    cursor: str | None = None
    while True:
        page_cursor = UNSET if cursor is None else cursor
        page = expect(
            list_team_acts.sync_detailed(team.id, client=recipient.api, limit=2, cursor=page_cursor),
            HTTPStatus.OK,
            ActPage,
        )
        check(len(page.items) <= 2, "a feed page over its limit")
        feed += page.items
        if page.next_cursor is None:
            break
        assert isinstance(page.next_cursor, str)
        cursor = page.next_cursor
        check(len(feed) < 50, "the feed never ends")
    check([a.id for a in feed] == [a.id for a in reversed(posted)], "the feed is not newest first")
    times = [a.created_at for a in feed]
    check(times == sorted(times, reverse=True), "created_at is not descending")

    read = expect(get_act.sync_detailed(kudos.id, client=recipient.api), HTTPStatus.OK, ActView)
    check(read.message == kudos.message and read.kind == ActKind.KUDOS, "GET /v1/acts/{id}")

    thanked = expect(thank_act.sync_detailed(kudos.id, client=recipient.api), HTTPStatus.OK, ActView)
    thanked_at = thanked.recipients[0].thanked_at
    check(isinstance(thanked_at, datetime.datetime), f"thanked_at {thanked_at!r}")
    again = expect(thank_act.sync_detailed(kudos.id, client=recipient.api), HTTPStatus.OK, ActView)
    check(again.recipients[0].thanked_at == thanked_at, "thanking twice changed the answer")
    # Someone in the team who is not a recipient may see the kudos but not thank it.
    expect_problem(thank_act.sync_detailed(kudos.id, client=bystander.api), HTTPStatus.FORBIDDEN, "forbidden")

    mine = expect(list_my_kudos.sync_detailed(client=recipient.api), HTTPStatus.OK, ActPage)
    check([a.id for a in mine.items] == [kudos.id], f"/v1/me/kudos {[a.id for a in mine.items]}")
    check(mine.next_cursor is None, "one kudos needs no second page")

    withdrawn = posted[0]
    expect_problem(withdraw_act.sync_detailed(withdrawn.id, client=recipient.api), HTTPStatus.FORBIDDEN, "forbidden")
    expect_empty(withdraw_act.sync_detailed(withdrawn.id, client=author.api), HTTPStatus.NO_CONTENT)
    expect_problem(withdraw_act.sync_detailed(withdrawn.id, client=author.api), HTTPStatus.NOT_FOUND, "not_found")
    expect_problem(get_act.sync_detailed(withdrawn.id, client=recipient.api), HTTPStatus.NOT_FOUND, "not_found")
    page = expect(list_team_acts.sync_detailed(team.id, client=recipient.api), HTTPStatus.OK, ActPage)
    check(
        withdrawn.id not in [a.id for a in page.items] and len(page.items) == len(posted) - 1, "the withdrawn act shows"
    )


def team_streak_and_progress(member: Person, team: TeamView, acts_today: int, outsider: Person) -> None:
    streak = expect(get_team_streak.sync_detailed(team.id, client=member.api), HTTPStatus.OK, TeamStreakView)
    check(
        streak.threshold == 2 and streak.today_count == acts_today,
        f"streak today {streak.today_count}/{streak.threshold}",
    )
    check(streak.today_is_working_day, "every day is a working day in this organisation")
    check(streak.current == 1 and streak.longest >= 1, f"team streak current {streak.current}")

    progress = expect(get_team_progress.sync_detailed(team.id, client=member.api), HTTPStatus.OK, TeamProgressView)
    check(progress.acts == acts_today and progress.weekly_goal == 10 and not progress.goal_reached, "team progress")
    check(progress.week_starts_on.isoweekday() == 1 and progress.week_ends_on.isoweekday() == 7, "the week is not ISO")
    check(progress.week_starts_on <= streak.today <= progress.week_ends_on, "today is outside this week")

    expect_problem(get_team_streak.sync_detailed(team.id, client=outsider.api), HTTPStatus.NOT_FOUND, "not_found")


def leave_team_and_org(admin: Person, org: OrgView, team: TeamView, leaving: Person) -> None:
    expect_empty(remove_team_member.sync_detailed(team.id, leaving.user.id, client=admin.api), HTTPStatus.NO_CONTENT)
    again = remove_team_member.sync_detailed(team.id, leaving.user.id, client=admin.api)
    expect_harmless_repeat(again, "remove_team_member")
    roster = expect(list_team_members.sync_detailed(team.id, client=admin.api), HTTPStatus.OK, TeamMemberList)
    check(leaving.user.id not in [m.user_id for m in roster.items], "the removed team member is still listed")

    expect_empty(remove_org_member.sync_detailed(org.id, leaving.user.id, client=admin.api), HTTPStatus.NO_CONTENT)
    expect_harmless_repeat(
        remove_org_member.sync_detailed(org.id, leaving.user.id, client=admin.api), "remove_org_member"
    )
    expect_problem(get_org.sync_detailed(org.id, client=leaving.api), HTTPStatus.NOT_FOUND, "not_found")
    expect(list_orgs.sync_detailed(client=leaving.api), HTTPStatus.OK, OrgList)


# ---------------------------------------------------------------------------
# Challenges and the team leaderboard
# ---------------------------------------------------------------------------


def set_challenges(
    owner: Person, org: OrgView, team: TeamView, not_admin: Person, outsider: Person, today: datetime.date
) -> tuple[ChallengeView, ChallengeView]:
    """Before the team's acts: an `acts` challenge for the team, small enough
    that the acts below meet it, and a personal `check_ins` one for the whole
    organisation; returns them."""
    week = today + datetime.timedelta(days=6)
    body = CreateChallengeRequest(
        title="Four kind acts this week",
        metric=ChallengeMetric.ACTS,
        target=4,
        starts_on=today,
        ends_on=week,
        team_id=team.id,
    )
    response = create_challenge.sync_detailed(org.id, client=owner.api, body=body)
    for_team = expect(response, HTTPStatus.CREATED, ChallengeView)
    check(
        header(response, "Location") == f"/v1/challenges/{for_team.id}", f"Location {response.headers.get('location')}"
    )
    check(
        (for_team.title, for_team.metric, for_team.target, for_team.team_id)
        == ("Four kind acts this week", ChallengeMetric.ACTS, 4, team.id),
        f"the challenge came back changed: {for_team!r}",
    )
    check((for_team.starts_on, for_team.ends_on) == (today, week), "the challenge's days changed")
    check(for_team.description is None and for_team.active, f"description {for_team.description!r}, active")
    progress = for_team.progress
    check(
        (progress.count, progress.target, progress.completed_at) == (0, 4, None),
        f"a new challenge's progress {progress!r}",
    )
    check(for_team.completed_by is None, "an acts challenge shows completed_by")

    description = "Every complete habit day counts, each person their own."
    personal = CreateChallengeRequest(
        title="A kind day for yourself",
        description=description,
        metric=ChallengeMetric.CHECK_INS,
        target=1,
        starts_on=today,
        ends_on=week,
    )
    for_org = expect(
        create_challenge.sync_detailed(org.id, client=owner.api, body=personal), HTTPStatus.CREATED, ChallengeView
    )
    check(for_org.team_id is None and for_org.description == description, "the organisation's challenge")
    # The owner's own walk today is a complete habit day; one person is fewer
    # than min_group_size, so how many completed it stays hidden.
    check(for_org.progress.count >= 1, f"the owner's complete days today: {for_org.progress.count}")
    check(isinstance(for_org.progress.completed_at, datetime.datetime), "a personal challenge met, without its time")
    check(for_org.completed_by is None, f"completed_by {for_org.completed_by} with one completion")

    # Only owners and admins may set one: HR may not, nor anyone outside.
    response_403 = create_challenge.sync_detailed(org.id, client=not_admin.api, body=body)
    expect_problem(response_403, HTTPStatus.FORBIDDEN, "forbidden")
    response_404 = create_challenge.sync_detailed(org.id, client=outsider.api, body=body)
    expect_problem(response_404, HTTPStatus.NOT_FOUND, "not_found")

    backwards = CreateChallengeRequest(
        title="Backwards", metric=ChallengeMetric.ACTS, target=4, starts_on=week, ends_on=today, team_id=team.id
    )
    response_422 = create_challenge.sync_detailed(org.id, client=owner.api, body=backwards)
    expect_problem(response_422, HTTPStatus.UNPROCESSABLE_ENTITY, "validation_failed", ["ends_on"])
    return for_team, for_org


def challenges_met(
    member: Person, org: OrgView, team: TeamView, for_team: ChallengeView, for_org: ChallengeView, outsider: Person
) -> None:
    """After the acts: the team's challenge is met (and stays met after a
    withdrawal); listed newest first, read, and in the team's progress."""
    read = expect(get_challenge.sync_detailed(for_team.id, client=member.api), HTTPStatus.OK, ChallengeView)
    progress = read.progress
    check(read.id == for_team.id and read.title == for_team.title, "GET /v1/challenges/{id} read another")
    check(
        progress.target == 4 and progress.count >= progress.target,
        f"the team's acts and kudos counted {progress.count}/{progress.target}",
    )
    completed_at = progress.completed_at
    check(isinstance(completed_at, datetime.datetime), f"a met challenge's completed_at {completed_at!r}")
    assert isinstance(completed_at, datetime.datetime)
    check(completed_at >= for_team.created_at, "met before it was set")

    # Personal: the member has checked nothing in, whatever the owner did.
    theirs = expect(get_challenge.sync_detailed(for_org.id, client=member.api), HTTPStatus.OK, ChallengeView)
    check(
        (theirs.progress.count, theirs.progress.completed_at) == (0, None),
        f"another's check-ins counted: {theirs.progress!r}",
    )

    # Newest first, one a page.
    page = expect(list_challenges.sync_detailed(org.id, client=member.api, limit=1), HTTPStatus.OK, ChallengePage)
    check([c.id for c in page.items] == [for_org.id], f"first page {[c.id for c in page.items]}")
    check(isinstance(page.next_cursor, str), "one of two challenges should leave a next page")
    assert isinstance(page.next_cursor, str)
    rest = expect(
        list_challenges.sync_detailed(org.id, client=member.api, limit=1, cursor=page.next_cursor),
        HTTPStatus.OK,
        ChallengePage,
    )
    check([c.id for c in rest.items] == [for_team.id], f"second page {[c.id for c in rest.items]}")
    check(rest.next_cursor is None, "the last page has a next_cursor")
    check(rest.items[0].progress.count == progress.count, "the list and the read count differently")
    expect_problem(
        list_challenges.sync_detailed(org.id, client=member.api, cursor="not-a-cursor"),
        HTTPStatus.BAD_REQUEST,
        "invalid_cursor",
    )

    # The team's progress shows its own running challenge, not the organisation's.
    team_progress = expect(get_team_progress.sync_detailed(team.id, client=member.api), HTTPStatus.OK, TeamProgressView)
    shown = [(c.id, c.progress.count, c.progress.completed_at) for c in team_progress.challenges]
    check(shown == [(for_team.id, progress.count, completed_at)], f"team progress shows the challenges {shown}")

    expect_problem(get_challenge.sync_detailed(for_team.id, client=outsider.api), HTTPStatus.NOT_FOUND, "not_found")
    expect_problem(list_challenges.sync_detailed(org.id, client=outsider.api), HTTPStatus.NOT_FOUND, "not_found")
    expect_problem(get_challenge.sync_detailed(uuid.uuid4(), client=member.api), HTTPStatus.NOT_FOUND, "not_found")


def leaderboard(
    api: Api, owner: Person, org: OrgView, team: TeamView, reader: Person, outsider: Person, today: datetime.date
) -> None:
    """Off until the organisation switches it on (404); then by week and month."""
    response_404 = get_leaderboard.sync_detailed(org.id, client=reader.api)
    expect_problem(response_404, HTTPStatus.NOT_FOUND, "not_found")

    switch_on = UpdateOrgRequest(team_leaderboard_enabled=True)
    updated = expect(update_org.sync_detailed(org.id, client=owner.api, body=switch_on), HTTPStatus.OK, OrgView)
    check(updated.team_leaderboard_enabled, "PATCH did not switch the leaderboard on")
    check(updated.min_group_size == 3 and updated.name == org.name, "PATCH changed fields it was not sent")

    # The team's acts this week, as its progress counts them.
    acts = expect(get_team_progress.sync_detailed(team.id, client=reader.api), HTTPStatus.OK, TeamProgressView).acts
    check(acts > 0, "the team has no acts this week")
    members = len(
        expect(list_team_members.sync_detailed(team.id, client=reader.api), HTTPStatus.OK, TeamMemberList).items
    )
    check(members >= updated.min_group_size, f"{members} members are fewer than min_group_size")

    week = expect(get_leaderboard.sync_detailed(org.id, client=reader.api), HTTPStatus.OK, LeaderboardView)
    check(week.period == LeaderboardPeriod.WEEK, f"the default period is {week.period}")
    check(
        week.period_start.isoweekday() == 1 and 0 <= (today - week.period_start).days < 7,
        f"this week starts on {week.period_start}",
    )
    month = expect(
        get_leaderboard.sync_detailed(org.id, client=reader.api, period=LeaderboardPeriod.MONTH),
        HTTPStatus.OK,
        LeaderboardView,
    )
    check(month.period == LeaderboardPeriod.MONTH, f"asked for the month, got {month.period}")
    check(month.period_start == today.replace(day=1), f"this month starts on {month.period_start}")
    for board in (week, month):
        # Every act of this organisation was posted today.
        rows = [(t.rank, t.team_id, t.name, t.member_count, t.acts) for t in board.teams]
        check(rows == [(1, team.id, team.name, members, acts)], f"the {board.period} leaderboard {rows}")
        per_member = board.teams[0].acts_per_member
        check(abs(per_member - acts / members) < 1e-9, f"acts_per_member {per_member}")
        check(board.teams_not_shown == 0, f"{board.teams_not_shown} teams not shown")

    # `year` is not a LeaderboardPeriod, so the generated client cannot send
    # it: it goes in the query string of every request of this client.
    yearly = api.client(reader.tokens.access_token, query={"period": "year"})
    response_422 = get_leaderboard.sync_detailed(org.id, client=yearly)
    expect_problem(response_422, HTTPStatus.UNPROCESSABLE_ENTITY, "validation_failed", ["period"])

    expect_problem(get_leaderboard.sync_detailed(org.id, client=outsider.api), HTTPStatus.NOT_FOUND, "not_found")


def leaderboard_leaves_out_small_teams(reader: Person, org: OrgView, team: TeamView) -> None:
    """With a member gone the team is under min_group_size: counted, not shown."""
    members = expect(list_team_members.sync_detailed(team.id, client=reader.api), HTTPStatus.OK, TeamMemberList)
    check(len(members.items) < org.min_group_size, f"{len(members.items)} members is not under min_group_size")
    board = expect(get_leaderboard.sync_detailed(org.id, client=reader.api), HTTPStatus.OK, LeaderboardView)
    check(board.teams == [] and board.teams_not_shown == 1, f"teams {board.teams}, {board.teams_not_shown} not shown")


# ---------------------------------------------------------------------------
# Operations, logout, clean-up
# ---------------------------------------------------------------------------


def operator_endpoints(api: Api) -> None:
    alive = expect(healthz.sync_detailed(client=api.anonymous()), HTTPStatus.OK, str)
    check(alive.strip() == "ok", f"healthz said {alive!r}")
    ready = expect(readyz.sync_detailed(client=api.anonymous()), HTTPStatus.OK, str)
    check(ready.strip() == "ok", f"readyz said {ready!r}")

    response = metrics.sync_detailed(client=api.client(api.metrics_token))
    text = expect(response, HTTPStatus.OK, str)
    check(response.headers.get("content-type", "").startswith("text/plain"), "metrics is not text")
    check("# TYPE" in text and 'route="list_habits"' in text, "metrics has no requests by route (operationId)")
    expect_problem(metrics.sync_detailed(client=api.client("not-the-token")), HTTPStatus.UNAUTHORIZED, "invalid_token")


def logout_device(api: Api, person: Person, pair: TokenPair) -> None:
    expect_empty(
        logout.sync_detailed(client=api.anonymous(), body=RefreshRequest(refresh_token=pair.refresh_token)),
        HTTPStatus.NO_CONTENT,
    )
    expect_empty(
        logout.sync_detailed(client=api.anonymous(), body=RefreshRequest(refresh_token=pair.refresh_token)),
        HTTPStatus.NO_CONTENT,
    )
    response = refresh.sync_detailed(client=api.anonymous(), body=RefreshRequest(refresh_token=pair.refresh_token))
    expect_problem(response, HTTPStatus.UNAUTHORIZED, "invalid_refresh_token")
    # The other login (from registration) is untouched.
    expect(get_me.sync_detailed(client=person.api), HTTPStatus.OK, UserView)


def export_my_data(person: Person, habit: HabitView) -> None:
    response = export_me.sync_detailed(client=person.api)
    export = expect(response, HTTPStatus.OK, ExportDocument)
    disposition = header(response, "content-disposition")
    check(disposition.startswith("attachment; filename="), f"Content-Disposition {disposition!r}")
    check(header(response, "cache-control") == "no-store", "an export that may be cached")
    check(export.schema_version == 1 and export.account.id == person.user.id, "the export is somebody else's")
    check(any(h.id == habit.id for h in export.habits), "the export lacks a habit")
    check(any(c.habit_id == habit.id for c in export.check_ins), "the export lacks the habit's check-ins")
    check(sum(entry.xp for entry in export.xp_entries) == export.xp_total, "the exported ledger does not add up")
    check(export.logins != [] and export.organisations != [], "the export lacks logins or memberships")


def erase_an_account(api: Api, person: Person) -> None:
    wrong = EraseMeRequest(password="not the password at all")
    expect_problem(erase_me.sync_detailed(client=person.api, body=wrong), HTTPStatus.FORBIDDEN, "wrong_password")
    expect(get_me.sync_detailed(client=person.api), HTTPStatus.OK, UserView)
    expect_empty(erase_me.sync_detailed(client=person.api, body=EraseMeRequest(password=PASSWORD)), HTTPStatus.NO_CONTENT)
    expect_problem(get_me.sync_detailed(client=person.api), HTTPStatus.UNAUTHORIZED, "invalid_token")
    expect_problem(export_me.sync_detailed(client=person.api), HTTPStatus.UNAUTHORIZED, "invalid_token")
    body = LoginRequest(email=person.email, password=PASSWORD)
    expect_problem(login.sync_detailed(client=api.anonymous(), body=body), HTTPStatus.UNAUTHORIZED, "invalid_credentials")


def progress_and_badges(api: Api, person: Person) -> None:
    progress = expect(get_progress.sync_detailed(client=person.api), HTTPStatus.OK, ProgressView)
    check(progress.xp > 0 and progress.level >= 1 and progress.xp_for_next_level > 0, f"progress {progress!r}")
    codes = [badge.code for badge in progress.badges]
    check(BadgeCode.FIRST_STEP in codes, f"badges {codes} after a complete day")
    awards = progress.recent_awards
    check(0 < len(awards) <= 20, f"{len(awards)} recent awards")
    if len(awards) < 20:
        check(sum(award.xp for award in awards) == progress.xp, "the whole ledger does not sum to the XP")
    days = [award for award in awards if award.source_type == AwardSourceType.HABIT_DAY]
    check(bool(days) and all(award.date is not None for award in days), "a habit day's award without its day")
    expect_problem(
        get_progress.sync_detailed(client=api.without_credentials()), HTTPStatus.UNAUTHORIZED, "unauthorized"
    )

    response = list_badges.sync_detailed(client=api.anonymous())
    check(response.status_code == HTTPStatus.OK, f"expected 200, got {describe(response)}")
    catalogue = response.parsed
    check(isinstance(catalogue, list), f"the catalogue is not a list: {describe(response)}")
    assert isinstance(catalogue, list)
    check(all(isinstance(badge, BadgeView) and badge.name for badge in catalogue), "a badge without its name")
    check({badge.code for badge in catalogue} == set(BadgeCode), "the catalogue is not every badge code")


def delete_the_team(owner: Person, team: TeamView) -> None:
    expect_empty(delete_team.sync_detailed(team.id, client=owner.api), HTTPStatus.NO_CONTENT)
    expect_harmless_repeat(delete_team.sync_detailed(team.id, client=owner.api), "delete_team")
    expect_problem(get_team.sync_detailed(team.id, client=owner.api), HTTPStatus.NOT_FOUND, "not_found")


# ---------------------------------------------------------------------------
# The day
# ---------------------------------------------------------------------------


def scenario(api: Api) -> None:
    step("register three people, and the same email twice (409)")
    ana = register_person(api, "Ana", "Europe/London")
    bo = register_person(api, "Bo", "Europe/Lisbon")
    cy = register_person(api, "Cy", "UTC")
    register_twice_is_a_conflict(api, ana)

    step("log in on a second device (and with a wrong password: 401), refresh")
    second_device = login_refresh(api, ana)

    step("calls without a valid token (401)")
    calls_without_a_valid_token(api, ana)

    step("read and change me (and a 422 naming the fields)")
    me(ana)

    step("habits: create, replay, conflict, 422, list and get with ETag/304, 404, update")
    walk, lunch = habits(ana)
    deleted_habit = habit_to_delete(ana)
    today = today_of(ana)

    step(f"check-ins around {today}")
    check_ins(ana, walk, today)

    step("today")
    today_screen(ana, walk, lunch, today)

    step("pauses")
    pauses(ana, today)

    step("offline batch with one rejected item")
    offline_batch(ana, walk, lunch, today)

    step("sync in pages, then a follow-up with the cursor")
    sync_two_devices(ana, walk, deleted_habit)

    step("an organisation")
    org = organisation(ana)

    step("an invitation, read and accepted by Bo and Cy")
    invite(ana, org, [bo, cy])

    step("organisation members")
    members(ana, org, bo, cy)

    step("a team")
    team = teams(ana, org, bo, cy)
    outsider = register_person(api, "Dee", "UTC")

    step("challenges: one for the team and one for everyone (403 for HR, 404 outside, 422 ending before it starts)")
    for_team, for_org = set_challenges(ana, org, team, cy, outsider, today)

    step("acts and kudos, the feed to its end, thanks, withdrawal")
    acts_and_kudos(ana, team, bo, cy)

    step("team streak and progress")
    team_streak_and_progress(bo, team, acts_today=4, outsider=outsider)

    step("the team's acts met its challenge: read, listed in pages, in the team's progress")
    challenges_met(bo, org, team, for_team, for_org, outsider)

    step("the team leaderboard: off (404), switched on, this week and this month, period=year (422)")
    leaderboard(api, ana, org, team, cy, outsider, today)

    step("Cy leaves the team and the organisation")
    leave_team_and_org(bo, org, team, cy)

    step("the leaderboard counts the team, now under min_group_size, in teams_not_shown")
    leaderboard_leaves_out_small_teams(bo, org, team)

    step("progress: XP, level, badges, the ledger; the badge catalogue")
    progress_and_badges(api, ana)

    step("healthz, readyz, metrics")
    operator_endpoints(api)

    step("log the second device out")
    logout_device(api, ana, second_device)

    step("delete the team")
    delete_the_team(ana, team)

    step("Ana exports her data")
    export_my_data(ana, walk)

    step("Dee erases her account: a wrong password (403), then for good")
    erase_an_account(api, outsider)


def main() -> int:
    base_url = os.environ.get("KINDLING_BASE_URL", "http://127.0.0.1:8080").rstrip("/")
    metrics_token = os.environ.get("KINDLING_METRICS_TOKEN", "ci-metrics-token")
    default_document = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "openapi.yaml")
    openapi_path = sys.argv[1] if len(sys.argv) > 1 else default_document

    coverage = Coverage(load_operations(openapi_path))
    api = Api(base_url, metrics_token, coverage)
    started = time.monotonic()
    failure: str | None = None
    try:
        scenario(api)
    except ScenarioFailure as error:
        failure = f"FAIL: {error}\n(last request: {api.last_request})"
    except UnexpectedStatus as error:
        failure = f"FAIL: {api.last_request}, a status the document does not declare: {error}"
    elapsed = time.monotonic() - started

    called = len(coverage.operations) - len(coverage.never_called())
    print(f"== {called} of {len(coverage.operations)} operations called, {api.responses_seen} requests, {elapsed:.1f}s")
    for op in coverage.operations:
        statuses = coverage.statuses.get(op.operation_id, [])
        shown = ", ".join(str(s) for s in sorted(set(statuses))) or "never called"
        print(f"   {op.operation_id:22} {op.method:6} {op.path_template:45} {shown}")
    for request in coverage.unmatched:
        print(f"   not in the document: {request}")

    if failure is not None:
        print(failure, file=sys.stderr)
        return 1
    never = coverage.never_called()
    if never:
        print(f"FAIL: operations never called: {', '.join(never)}", file=sys.stderr)
        return 1
    if coverage.unmatched:
        print("FAIL: requests to paths the document does not have", file=sys.stderr)
        return 1
    print(f"scenario passed: every one of the {called} operations was called")
    return 0


if __name__ == "__main__":
    sys.exit(main())
