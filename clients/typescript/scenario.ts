/**
 * Kindling from a mobile app's point of view, through a TypeScript client
 * generated from the committed `openapi.yaml` and nothing else.
 *
 * What it proves: a third party who runs `openapi-typescript` on our document
 * and calls the API with `openapi-fetch` can use every operation unchanged:
 * no hand-written HTTP calls for API operations, no patched generated code,
 * no casts, no `@ts-…` comments, no non-null assertions, under
 * `tsc --strict --noUncheckedIndexedAccess --exactOptionalPropertyTypes`.
 * Errors come back through the client's typed error model as the document's
 * `ProblemDocument`, and every answer is also checked at run time against the
 * document (see contract.ts). It calls every operationId in the document at
 * least once and fails, naming them, if any was never called.
 *
 * How to run it: `clients/typescript/run` (with KINDLING_BASE_URL and
 * KINDLING_METRICS_TOKEN set, against a server on a fresh database) installs
 * the pinned tools, generates `kindling-api.ts` from `openapi.yaml`,
 * type-checks, compiles and runs this file. See README.md.
 */
import { randomUUID } from "node:crypto";
import createClient, { type Client } from "openapi-fetch";
import { called, contractMiddleware, mismatches, notes, operationIds, optionalButAlwaysSent } from "./contract.js";
import type { components, paths } from "./kindling-api.js";

type Schemas = components["schemas"];
type Problem = Schemas["ProblemDocument"];
type TokenPair = Schemas["TokenPair"];

const BASE_URL = requiredEnv("KINDLING_BASE_URL");
const METRICS_TOKEN = requiredEnv("KINDLING_METRICS_TOKEN");
/** Makes the emails unique, so the scenario can run twice against one server. */
const RUN = Date.now().toString(36);

// ---------------------------------------------------------------------------
// Checks
// ---------------------------------------------------------------------------

let passed = 0;

class CheckFailed extends Error {}

function check(condition: boolean, what: string): void {
  if (!condition) throw new CheckFailed(what);
  passed += 1;
}

function equal<T>(actual: T, expected: T, what: string): void {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  check(a === e, `${what}: expected ${e}, got ${a}`);
}

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === "") throw new Error(`${name} is not set`);
  return value;
}

/** A successful answer: the status we expect and its typed body. */
function expectOk<D>(
  what: string,
  outcome: { data?: D; error?: unknown; response: Response },
  status: 200 | 201,
): D {
  const { data, error, response } = outcome;
  check(
    response.status === status && data !== undefined,
    `${what}: expected ${status}, got ${response.status} ${JSON.stringify(error)}`,
  );
  if (data === undefined) throw new CheckFailed(`${what}: no body`);
  return data;
}

/** An answer without a body (204). */
function expectNoContent(what: string, outcome: { error?: Problem; response: Response }): void {
  const { error, response } = outcome;
  check(response.status === 204, `${what}: expected 204, got ${response.status} ${JSON.stringify(error)}`);
}

/**
 * A typed error: openapi-fetch hands back `error` typed from the operation's
 * error responses, which the document declares as `ProblemDocument`. The
 * parameter's type is that generated type, so this only compiles because the
 * document says so; the checks make sure the service sends what it says.
 */
function expectProblem(
  what: string,
  outcome: { error?: Problem; response: Response },
  status: number,
  code: string,
): Problem {
  const { error, response } = outcome;
  check(response.status === status, `${what}: expected ${status}, got ${response.status}`);
  if (error === undefined) throw new CheckFailed(`${what}: no problem document`);
  equal(response.headers.get("content-type"), "application/problem+json", `${what}: Content-Type`);
  equal(error.status, status, `${what}: problem.status`);
  equal(error.code, code, `${what}: problem.code`);
  equal(error.type, `urn:kindling:problem:${code}`, `${what}: problem.type`);
  check(error.title.length > 0, `${what}: problem.title is empty`);
  check(error.detail.length > 0, `${what}: problem.detail is empty`);
  check(Array.isArray(error.errors), `${what}: problem.errors is not a list`);
  // ProblemDocument.errors: one entry per invalid field on a 422, empty otherwise.
  check(
    (status === 422) === error.errors.length > 0,
    `${what}: a ${status} ${code} problem lists errors ${JSON.stringify(error.errors)}`,
  );
  check(response.headers.get("x-request-id") !== null, `${what}: X-Request-Id`);
  console.log(`    ${status} ${error.code}: ${error.detail}`);
  return error;
}

/** The fields a 422 names, sorted. */
function fieldsOf(problem: Problem): string[] {
  return problem.errors.map((e) => e.field).sort();
}

function header(response: Response, name: string): string {
  const value = response.headers.get(name);
  if (value === null) throw new CheckFailed(`${response.url}: no ${name} header`);
  return value;
}

function checkRateLimitHeaders(what: string, response: Response): void {
  const limit = Number(header(response, "RateLimit-Limit"));
  const remaining = Number(header(response, "RateLimit-Remaining"));
  check(Number.isInteger(limit) && limit > 0, `${what}: RateLimit-Limit ${limit}`);
  check(Number.isInteger(remaining) && remaining >= 0 && remaining <= limit, `${what}: RateLimit-Remaining`);
}

/** `YYYY-MM-DD` plus some days, on the calendar only. */
function addDays(date: string, days: number): string {
  const t = new Date(`${date}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() + days);
  return t.toISOString().slice(0, 10);
}

// ---------------------------------------------------------------------------
// People: each has their own client, which sends their access token
// ---------------------------------------------------------------------------

function newClient(): Client<paths> {
  const client = createClient<paths>({ baseUrl: BASE_URL });
  client.use(contractMiddleware);
  return client;
}

class Person {
  readonly client: Client<paths> = newClient();
  readonly email: string;
  readonly password = "correct horse battery staple";
  private session: TokenPair | undefined;

  constructor(readonly name: string) {
    this.email = `${name.toLowerCase()}+${RUN}@example.com`;
    this.client.use({
      onRequest: ({ request }) => {
        if (this.session !== undefined) {
          request.headers.set("Authorization", `Bearer ${this.session.access_token}`);
        }
        return request;
      },
    });
  }

  signIn(tokens: TokenPair): void {
    this.session = tokens;
  }

  get tokens(): TokenPair {
    if (this.session === undefined) throw new Error(`${this.name} is not signed in`);
    return this.session;
  }

  get id(): string {
    return this.tokens.user.id;
  }
}

/** A client with no token at all. */
const anonymous = newClient();

// ---------------------------------------------------------------------------
// Operations endpoints
// ---------------------------------------------------------------------------

async function healthAndReadiness(): Promise<void> {
  console.log("operations: healthz, readyz");
  const health = expectOk("healthz", await anonymous.GET("/healthz", { parseAs: "text" }), 200);
  equal(health, "ok", "healthz body");
  const ready = expectOk("readyz", await anonymous.GET("/readyz", { parseAs: "text" }), 200);
  check(ready.length > 0, "readyz body");
}

async function metrics(): Promise<void> {
  console.log("operations: metrics");
  const withoutToken = await anonymous.GET("/metrics", { parseAs: "text" });
  expectProblem("metrics without a token", withoutToken, 401, "unauthorized");

  const scrape = await anonymous.GET("/metrics", {
    parseAs: "text",
    headers: { Authorization: `Bearer ${METRICS_TOKEN}` },
  });
  const text = expectOk("metrics", scrape, 200);
  check(text.includes("# TYPE kindling_http_requests_total counter"), "metrics is Prometheus text");
  check(
    /kindling_http_requests_total\{method="POST",route="create_habit",status="201"\} [1-9]/.test(text),
    "metrics count requests by route and status",
  );
}

// ---------------------------------------------------------------------------
// Auth
// ---------------------------------------------------------------------------

async function register(person: Person, timezone: string): Promise<void> {
  const outcome = await person.client.POST("/v1/auth/register", {
    body: { email: person.email.toUpperCase(), password: person.password, display_name: person.name, timezone },
  });
  const tokens = expectOk(`register ${person.name}`, outcome, 201);
  equal(tokens.token_type, "Bearer", "token_type");
  equal(tokens.expires_in, 900, "expires_in");
  equal(tokens.user.email, person.email, "email is stored lower-cased");
  equal(tokens.user.display_name, person.name, "display_name");
  equal(tokens.user.timezone, timezone, "timezone");
  checkRateLimitHeaders("register", outcome.response);
  person.signIn(tokens);
}

async function auth(ada: Person, ben: Person, cy: Person): Promise<void> {
  console.log("auth: register, login, refresh");
  await register(ada, "Europe/London");
  await register(ben, "UTC");
  await register(cy, "UTC");

  const again = await anonymous.POST("/v1/auth/register", {
    body: { email: ada.email, password: "another password", display_name: "Ada again" },
  });
  expectProblem("registering a taken email", again, 409, "email_taken");

  const wrong = await anonymous.POST("/v1/auth/login", { body: { email: ada.email, password: "not her password" } });
  expectProblem("login with a wrong password", wrong, 401, "invalid_credentials");
  check(wrong.response.headers.get("WWW-Authenticate") !== null, "401 login carries WWW-Authenticate");
  const unknown = await anonymous.POST("/v1/auth/login", {
    body: { email: `nobody+${RUN}@example.com`, password: "whatever it is" },
  });
  expectProblem("login with an unknown email", unknown, 401, "invalid_credentials");

  const login = expectOk(
    "login",
    await ada.client.POST("/v1/auth/login", { body: { email: ada.email, password: ada.password } }),
    200,
  );
  equal(login.user.id, ada.id, "login is the registered account");
  ada.signIn(login);

  // Refresh rotates the refresh token; a retry within 30 s gets the same new pair.
  const spent = ada.tokens.refresh_token;
  const refreshed = expectOk("refresh", await ada.client.POST("/v1/auth/refresh", { body: { refresh_token: spent } }), 200);
  check(refreshed.refresh_token !== spent, "refresh rotates the refresh token");
  const retried = expectOk("refresh retry", await ada.client.POST("/v1/auth/refresh", { body: { refresh_token: spent } }), 200);
  equal(retried.refresh_token, refreshed.refresh_token, "a retried refresh gets the same new token");
  ada.signIn(refreshed);

  const bogus = await anonymous.POST("/v1/auth/refresh", { body: { refresh_token: "not-a-refresh-token" } });
  expectProblem("refresh with an unknown token", bogus, 401, "invalid_refresh_token");

  const noToken = await anonymous.GET("/v1/me");
  expectProblem("reading /v1/me without a token", noToken, 401, "unauthorized");
}

// ---------------------------------------------------------------------------
// Me
// ---------------------------------------------------------------------------

async function me(ada: Person): Promise<void> {
  console.log("me: read and update");
  const read = await ada.client.GET("/v1/me");
  const account = expectOk("get me", read, 200);
  equal(account.id, ada.id, "me.id");
  equal(account.email, ada.email, "me.email");
  equal(account.day_starts_at_hour, 0, "day_starts_at_hour defaults to 0");
  checkRateLimitHeaders("get me", read.response);

  // A well-formed incoming X-Request-Id is echoed (the document declares it
  // only as a response header, so it goes in the untyped `headers` option).
  const requestId = randomUUID();
  const traced = await ada.client.GET("/v1/me", { headers: { "X-Request-Id": requestId } });
  equal(header(traced.response, "X-Request-Id"), requestId, "X-Request-Id is echoed");

  const updated = expectOk(
    "update me",
    await ada.client.PATCH("/v1/me", { body: { display_name: "Ada L.", day_starts_at_hour: 3 } }),
    200,
  );
  equal(updated.display_name, "Ada L.", "display_name changed");
  equal(updated.day_starts_at_hour, 3, "day_starts_at_hour changed");
  equal(updated.timezone, "Europe/London", "timezone kept");

  const invalid = await ada.client.PATCH("/v1/me", { body: { timezone: "Mars/Olympus_Mons", day_starts_at_hour: 9 } });
  const problem = expectProblem("update me with bad fields", invalid, 422, "validation_failed");
  equal(fieldsOf(problem), ["day_starts_at_hour", "timezone"], "422 names both fields");

  // Back to a day that starts at midnight, so "today" is the calendar day.
  expectOk("update me back", await ada.client.PATCH("/v1/me", { body: { day_starts_at_hour: 0 } }), 200);
}

// ---------------------------------------------------------------------------
// Habits
// ---------------------------------------------------------------------------

interface Habits {
  water: Schemas["HabitView"];
  walk: Schemas["HabitView"];
}

async function habits(ada: Person): Promise<Habits> {
  console.log("habits: create, list, get, update, delete");
  const waterId = randomUUID();
  const waterBody: Schemas["CreateHabitRequest"] = {
    id: waterId,
    title: "Drink a glass of water",
    category: "nourishment",
    schedule: { kind: "daily" },
    target_per_day: 2,
    reminder_time: "09:30",
    colour: "#3366FF",
    icon: "glass",
  };
  const created = await ada.client.POST("/v1/habits", { body: waterBody });
  const water = expectOk("create habit", created, 201);
  equal(water.id, waterId, "the client-chosen id is kept");
  equal(water.title, waterBody.title, "habit.title");
  equal(water.schedule.kind, "daily", "habit.schedule");
  equal(water.target_per_day, 2, "habit.target_per_day");
  equal(water.reminder_time, "09:30", "habit.reminder_time");
  equal(water.archived, false, "habit.archived");
  equal(water.streak.current, 0, "a new habit's streak");
  check(header(created.response, "Location").endsWith(`/v1/habits/${waterId}`), "Location names the habit");

  const replay = await ada.client.POST("/v1/habits", { body: waterBody });
  equal(expectOk("replayed create", replay, 200).id, waterId, "a replayed create returns the stored habit");
  const clash = await ada.client.POST("/v1/habits", { body: { ...waterBody, title: "Something else" } });
  expectProblem("same id, other fields", clash, 409, "id_conflict");

  const bad = await ada.client.POST("/v1/habits", {
    body: { title: "", category: "rest", schedule: { kind: "daily" }, colour: "blue" },
  });
  const problem = expectProblem("habit with an empty title and a bad colour", bad, 422, "validation_failed");
  equal(fieldsOf(problem), ["colour", "title"], "422 names title and colour");

  const walk = expectOk(
    "create weekday habit",
    await ada.client.POST("/v1/habits", {
      body: { title: "A walk at lunch", category: "movement", schedule: { kind: "weekdays", days: [1, 2, 3, 4, 5] } },
    }),
    201,
  );
  const schedule = walk.schedule;
  check(schedule.kind === "weekdays", "a weekday habit keeps its kind");
  if (schedule.kind === "weekdays") equal(schedule.days, [1, 2, 3, 4, 5], "weekday schedule");
  equal(walk.target_per_day, 1, "target_per_day defaults to 1");

  // The list, and a conditional re-read that answers 304.
  const list = await ada.client.GET("/v1/habits");
  const listed = expectOk("list habits", list, 200);
  equal(listed.items.map((h) => h.id), [water.id, walk.id], "habits oldest first");
  const listTag = header(list.response, "ETag");
  const unchanged = await ada.client.GET("/v1/habits", { params: { header: { "If-None-Match": listTag } } });
  equal(unchanged.response.status, 304, "list habits with If-None-Match");
  equal(header(unchanged.response, "ETag"), listTag, "304 repeats the ETag");

  const one = await ada.client.GET("/v1/habits/{id}", { params: { path: { id: water.id } } });
  equal(expectOk("get habit", one, 200).title, water.title, "get habit");
  const oneTag = header(one.response, "ETag");
  const oneAgain = await ada.client.GET("/v1/habits/{id}", {
    params: { path: { id: water.id }, header: { "If-None-Match": oneTag } },
  });
  equal(oneAgain.response.status, 304, "get habit with If-None-Match");

  const missing = await ada.client.GET("/v1/habits/{id}", { params: { path: { id: randomUUID() } } });
  expectProblem("an unknown habit", missing, 404, "not_found");

  const renamed = expectOk(
    "update habit",
    await ada.client.PATCH("/v1/habits/{id}", {
      params: { path: { id: water.id } },
      body: { title: "Drink water", icon: null },
    }),
    200,
  );
  equal(renamed.title, "Drink water", "title changed");
  equal(renamed.icon ?? null, null, "icon cleared with null");
  // The service stores colours lower-cased; the document does not say so.
  equal(renamed.colour, "#3366ff", "colour kept");

  const changed = await ada.client.GET("/v1/habits/{id}", {
    params: { path: { id: water.id }, header: { "If-None-Match": oneTag } },
  });
  equal(expectOk("get habit after a change", changed, 200).title, "Drink water", "a changed habit answers 200");
  check(header(changed.response, "ETag") !== oneTag, "the ETag changed with the habit");

  return { water: renamed, walk };
}

async function deleteHabit(ada: Person, habit: Schemas["HabitView"]): Promise<void> {
  console.log("habits: delete");
  expectNoContent("delete habit", await ada.client.DELETE("/v1/habits/{id}", { params: { path: { id: habit.id } } }));
  const gone = await ada.client.GET("/v1/habits/{id}", { params: { path: { id: habit.id } } });
  expectProblem("a deleted habit", gone, 404, "not_found");
  const list = expectOk("list habits", await ada.client.GET("/v1/habits"), 200);
  check(!list.items.some((h) => h.id === habit.id), "a deleted habit is not listed");
}

// ---------------------------------------------------------------------------
// Today and check-ins
// ---------------------------------------------------------------------------

async function today(ada: Person, habits: Habits): Promise<{ date: string; tag: string }> {
  console.log("today");
  const answer = await ada.client.GET("/v1/me/today");
  const day = expectOk("today", answer, 200);
  check(/^\d{4}-\d{2}-\d{2}$/.test(day.date), "today.date is a date");
  const water = day.items.find((item) => item.habit.id === habits.water.id);
  if (water === undefined) throw new CheckFailed("a daily habit is due today");
  equal(water.count, 0, "nothing checked in yet");
  equal(water.target, 2, "today's target");
  equal(water.done, false, "not done yet");
  const tag = header(answer.response, "ETag");
  const again = await ada.client.GET("/v1/me/today", { params: { header: { "If-None-Match": tag } } });
  equal(again.response.status, 304, "today with If-None-Match");
  return { date: day.date, tag };
}

async function checkIns(ada: Person, habit: Schemas["HabitView"], date: string, todayTag: string): Promise<void> {
  console.log("check-ins: put, list, delete");
  const path = { id: habit.id, date };
  const first = expectOk(
    "first check-in",
    await ada.client.PUT("/v1/habits/{id}/check-ins/{date}", { params: { path }, body: { count: 1, mood: 4 } }),
    200,
  );
  equal(first.count, 1, "check-in count");
  equal(first.done, false, "one of two is not done");
  equal(first.mood, 4, "mood");

  const second = { count: 2, mood: 5, note: "Two glasses before lunch.\nGood." };
  const done = expectOk(
    "second check-in",
    await ada.client.PUT("/v1/habits/{id}/check-ins/{date}", { params: { path }, body: second }),
    200,
  );
  equal(done.done, true, "two of two is done");
  equal(done.note, second.note, "the note keeps its line break");
  const same = expectOk(
    "the same PUT again",
    await ada.client.PUT("/v1/habits/{id}/check-ins/{date}", { params: { path }, body: second }),
    200,
  );
  equal([same.count, same.done], [2, true], "the same PUT twice is one check-in");

  // Today's answer changed, so its old tag no longer matches.
  const changed = await ada.client.GET("/v1/me/today", { params: { header: { "If-None-Match": todayTag } } });
  const day = expectOk("today after a check-in", changed, 200);
  const item = day.items.find((i) => i.habit.id === habit.id);
  equal(item?.done, true, "today shows the habit done");
  equal(item?.habit.streak.current, 1, "streak counts today");

  const yesterday = addDays(date, -1);
  expectOk(
    "backfilled check-in",
    await ada.client.PUT("/v1/habits/{id}/check-ins/{date}", {
      params: { path: { id: habit.id, date: yesterday } },
      body: {},
    }),
    200,
  );
  const streak = expectOk("get habit", await ada.client.GET("/v1/habits/{id}", { params: { path: { id: habit.id } } }), 200);
  equal(streak.streak.current, 2, "a backfilled day extends the streak");
  equal(streak.streak.last_completed_on, date, "last_completed_on");

  const future = await ada.client.PUT("/v1/habits/{id}/check-ins/{date}", {
    params: { path: { id: habit.id, date: addDays(date, 1) } },
    body: {},
  });
  expectProblem("a check-in for tomorrow", future, 422, "date_out_of_range");

  const range = { from: addDays(date, -7), to: date };
  const listed = expectOk(
    "list check-ins",
    await ada.client.GET("/v1/habits/{id}/check-ins", { params: { path: { id: habit.id }, query: range } }),
    200,
  );
  equal(listed.items.map((c) => c.date), [yesterday, date], "check-ins oldest first");
  equal(listed.next_cursor ?? null, null, "one page");

  expectNoContent(
    "undo yesterday",
    await ada.client.DELETE("/v1/habits/{id}/check-ins/{date}", { params: { path: { id: habit.id, date: yesterday } } }),
  );
  const after = expectOk(
    "list check-ins after undo",
    await ada.client.GET("/v1/habits/{id}/check-ins", { params: { path: { id: habit.id }, query: range } }),
    200,
  );
  equal(after.items.map((c) => c.date), [date], "the undone day is gone");
}

// ---------------------------------------------------------------------------
// Pauses
// ---------------------------------------------------------------------------

async function pauses(ada: Person, date: string): Promise<void> {
  console.log("pauses: create, list, delete");
  const window = { starts_on: addDays(date, 7), ends_on: addDays(date, 13) };
  const pause = expectOk("create pause", await ada.client.POST("/v1/me/pauses", { body: window }), 201);
  equal([pause.starts_on, pause.ends_on], [window.starts_on, window.ends_on], "pause dates");

  const tooLong = await ada.client.POST("/v1/me/pauses", {
    body: { starts_on: date, ends_on: addDays(date, 120) },
  });
  expectProblem("a pause of 121 days", tooLong, 422, "validation_failed");

  const listed = expectOk("list pauses", await ada.client.GET("/v1/me/pauses"), 200);
  equal(listed.items.map((p) => p.id), [pause.id], "the pause is listed");

  expectNoContent("delete pause", await ada.client.DELETE("/v1/me/pauses/{id}", { params: { path: { id: pause.id } } }));
  const empty = expectOk("list pauses", await ada.client.GET("/v1/me/pauses"), 200);
  equal(empty.items, [], "no pauses left");
}

// ---------------------------------------------------------------------------
// Offline: batch check-ins and sync
// ---------------------------------------------------------------------------

async function batch(ada: Person, habit: Schemas["HabitView"], date: string): Promise<void> {
  console.log("batch check-ins (one item rejected)");
  const items: Schemas["BatchItem"][] = [
    { habit_id: habit.id, date: addDays(date, -2), count: 2, mood: 3 },
    { habit_id: randomUUID(), date },
    { habit_id: habit.id, date: addDays(date, -40) },
    { habit_id: habit.id, date: addDays(date, -3), deleted: true },
  ];
  const answer = expectOk("batch", await ada.client.POST("/v1/check-ins/batch", { body: { items } }), 200);
  equal(answer.results.map((r) => [r.index, r.status]), [
    [0, "applied"],
    [1, "rejected"],
    [2, "rejected"],
    [3, "deleted"],
  ], "a result per item, in order");
  const [applied, unknownHabit, tooOld] = answer.results;
  equal(applied?.check_in?.done, true, "the applied item's check-in is done");
  equal(applied?.error ?? null, null, "the applied item has no error");
  const notFound: Problem | null | undefined = unknownHabit?.error;
  equal(notFound?.code, "not_found", "an unknown habit is rejected as not_found");
  equal(notFound?.status, 404, "its problem's status");
  equal(tooOld?.error?.code, "date_out_of_range", "a date 40 days back is rejected");
}

async function sync(ada: Person, habits: Habits, date: string): Promise<void> {
  console.log("sync: every page, then a follow-up with the cursor");
  const habitsSeen = new Map<string, Schemas["HabitData"]>();
  const checkInsSeen: Schemas["SyncedCheckIn"][] = [];
  const tombstones: Schemas["Tombstone"][] = [];
  let since: string | undefined;
  let pages = 0;
  for (;;) {
    const query = since === undefined ? { limit: 2 } : { limit: 2, since };
    const page = expectOk("sync page", await ada.client.GET("/v1/sync", { params: { query } }), 200);
    pages += 1;
    for (const h of page.habits) habitsSeen.set(h.id, h);
    checkInsSeen.push(...page.check_ins);
    tombstones.push(...page.deleted);
    since = page.next_cursor;
    if (!page.has_more) break;
    check(pages < 50, "sync ends");
  }
  check(pages > 1, "sync was paged");
  equal(habitsSeen.get(habits.water.id)?.title, "Drink water", "sync holds the habit's latest title");
  check(!habitsSeen.has(habits.walk.id), "a deleted habit is not among the habits");
  check(
    tombstones.some((t) => t.kind === "habit" && t.habit_id === habits.walk.id),
    "a deleted habit has a tombstone",
  );
  check(
    tombstones.some((t) => t.kind === "check_in" && t.date === addDays(date, -1)),
    "an undone day has a tombstone",
  );
  equal(
    checkInsSeen.filter((c) => c.habit_id === habits.water.id).map((c) => c.date).sort(),
    [addDays(date, -2), date],
    "sync holds the check-ins",
  );

  const quiet = expectOk("sync with nothing new", await ada.client.GET("/v1/sync", { params: { query: { since } } }), 200);
  equal([quiet.habits.length, quiet.check_ins.length, quiet.deleted.length, quiet.has_more], [0, 0, 0, false], "nothing new");

  expectOk(
    "one more check-in",
    await ada.client.PUT("/v1/habits/{id}/check-ins/{date}", {
      params: { path: { id: habits.water.id, date: addDays(date, -4) } },
      body: { count: 1 },
    }),
    200,
  );
  const next = expectOk("sync after a change", await ada.client.GET("/v1/sync", { params: { query: { since } } }), 200);
  equal(next.check_ins.map((c) => [c.date, c.count]), [[addDays(date, -4), 1]], "the follow-up brings just the change");
}

// ---------------------------------------------------------------------------
// Organisation, invitations, members
// ---------------------------------------------------------------------------

async function organisation(ada: Person): Promise<Schemas["OrgView"]> {
  console.log("organisation: create, list, get, update");
  const created = await ada.client.POST("/v1/orgs", { body: { name: "Acme Kindness", timezone: "Europe/London" } });
  const org = expectOk("create org", created, 201);
  equal(org.role, "owner", "the creator is owner");
  equal(org.working_days, [1, 2, 3, 4, 5], "working days default to Monday–Friday");
  equal(org.min_group_size, 5, "min_group_size defaults to 5");
  equal(org.team_leaderboard_enabled, false, "leaderboard off by default");
  check(header(created.response, "Location").endsWith(`/v1/orgs/${org.id}`), "Location names the org");

  const list = expectOk("list orgs", await ada.client.GET("/v1/orgs"), 200);
  equal(list.items.map((o) => [o.id, o.role]), [[org.id, "owner"]], "the caller's orgs with their role");
  equal(list.next_cursor ?? null, null, "one page");

  equal(
    expectOk("get org", await ada.client.GET("/v1/orgs/{org_id}", { params: { path: { org_id: org.id } } }), 200).name,
    "Acme Kindness",
    "get org",
  );

  // Every day a working day, so that today counts for the team streak.
  const updated = expectOk(
    "update org",
    await ada.client.PATCH("/v1/orgs/{org_id}", {
      params: { path: { org_id: org.id } },
      body: { name: "Acme Kindness Ltd", working_days: [1, 2, 3, 4, 5, 6, 7], min_group_size: 3 },
    }),
    200,
  );
  equal([updated.name, updated.min_group_size], ["Acme Kindness Ltd", 3], "org settings changed");
  equal(updated.working_days, [1, 2, 3, 4, 5, 6, 7], "working days changed");

  const tooSmall = await ada.client.PATCH("/v1/orgs/{org_id}", {
    params: { path: { org_id: org.id } },
    body: { min_group_size: 2 },
  });
  equal(fieldsOf(expectProblem("min_group_size 2", tooSmall, 422, "validation_failed")), ["min_group_size"], "422 field");
  return updated;
}

async function invite(
  owner: Person,
  org: Schemas["OrgView"],
  request: Schemas["CreateInvitationRequest"],
): Promise<Schemas["InvitationView"]> {
  const answer = await owner.client.POST("/v1/orgs/{org_id}/invitations", {
    params: { path: { org_id: org.id } },
    body: request,
  });
  const invitation = expectOk("create invitation", answer, 201);
  equal(invitation.role, request.role, "invitation.role");
  equal(invitation.max_uses, request.max_uses ?? 1, "invitation.max_uses");
  check(invitation.code.length >= 40, "the code is long and random");
  check(
    header(answer.response, "Location").endsWith(`/v1/invitations/${invitation.code}`),
    "Location names the invitation",
  );
  return invitation;
}

async function joinWithInvitations(
  ada: Person,
  ben: Person,
  cy: Person,
  org: Schemas["OrgView"],
  team: Schemas["TeamView"],
): Promise<void> {
  console.log("invitations: create, read by code, accept");
  const forBen = await invite(ada, org, { role: "member", team_id: team.id, expires_in_days: 3 });

  const preview = expectOk(
    "read invitation",
    await ben.client.GET("/v1/invitations/{code}", { params: { path: { code: forBen.code } } }),
    200,
  );
  equal([preview.org_id, preview.org_name, preview.role, preview.team_id], [org.id, org.name, "member", team.id], "preview");
  equal(preview.expires_at, forBen.expires_at, "preview.expires_at");

  const joined = expectOk(
    "accept invitation",
    await ben.client.POST("/v1/invitations/{code}/accept", { params: { path: { code: forBen.code } } }),
    200,
  );
  equal([joined.id, joined.role], [org.id, "member"], "Ben joined as member");

  const usedUp = await cy.client.POST("/v1/invitations/{code}/accept", { params: { path: { code: forBen.code } } });
  expectProblem("a used-up invitation", usedUp, 404, "not_found");

  const forCy = await invite(ada, org, { role: "member", max_uses: 5 });
  expectOk(
    "Cy accepts",
    await cy.client.POST("/v1/invitations/{code}/accept", { params: { path: { code: forCy.code } } }),
    200,
  );
}

async function orgMembers(ada: Person, ben: Person, cy: Person, org: Schemas["OrgView"]): Promise<void> {
  console.log("organisation members: list, update");
  const path = { org_id: org.id };
  const list = expectOk("list org members", await ada.client.GET("/v1/orgs/{org_id}/members", { params: { path } }), 200);
  const roles = new Map(list.items.map((m) => [m.user_id, m.role]));
  equal([roles.get(ada.id), roles.get(ben.id), roles.get(cy.id)], ["owner", "member", "member"], "member roles");
  const ids = list.items.map((m) => m.user_id);
  equal(ids, [...ids].sort(), "members in user-id order");

  const forbidden = await ben.client.GET("/v1/orgs/{org_id}/members", { params: { path } });
  expectProblem("a member lists members", forbidden, 403, "forbidden");

  const promoted = expectOk(
    "make Ben admin",
    await ada.client.PATCH("/v1/orgs/{org_id}/members/{user_id}", {
      params: { path: { org_id: org.id, user_id: ben.id } },
      body: { role: "admin" },
    }),
    200,
  );
  equal([promoted.user_id, promoted.role], [ben.id, "admin"], "Ben is admin");

  const lastOwner = await ada.client.PATCH("/v1/orgs/{org_id}/members/{user_id}", {
    params: { path: { org_id: org.id, user_id: ada.id } },
    body: { role: "member" },
  });
  expectProblem("demoting the last owner", lastOwner, 409, "last_owner");
}

async function removeFromOrg(ada: Person, cy: Person, org: Schemas["OrgView"]): Promise<void> {
  console.log("organisation members: remove");
  expectNoContent(
    "remove Cy",
    await ada.client.DELETE("/v1/orgs/{org_id}/members/{user_id}", {
      params: { path: { org_id: org.id, user_id: cy.id } },
    }),
  );
  const list = expectOk(
    "list org members",
    await ada.client.GET("/v1/orgs/{org_id}/members", { params: { path: { org_id: org.id } } }),
    200,
  );
  check(!list.items.some((m) => m.user_id === cy.id), "Cy is no longer a member");
  const outside = await cy.client.GET("/v1/orgs/{org_id}", { params: { path: { org_id: org.id } } });
  expectProblem("a former member reads the org", outside, 404, "not_found");
}

/** Someone who left the organisation sees neither its challenges nor its leaderboard. */
async function formerMember(cy: Person, org: Schemas["OrgView"], set: Challenges): Promise<void> {
  console.log("challenges and leaderboard: 404 for a former member");
  const path = { org_id: org.id };
  const challenge = await cy.client.GET("/v1/challenges/{challenge_id}", { params: { path: { challenge_id: set.forOrg.id } } });
  expectProblem("a former member reads a challenge", challenge, 404, "not_found");
  expectProblem("a former member lists challenges", await cy.client.GET("/v1/orgs/{org_id}/challenges", { params: { path } }), 404, "not_found");
  expectProblem("a former member reads the leaderboard", await cy.client.GET("/v1/orgs/{org_id}/leaderboard", { params: { path } }), 404, "not_found");
}

// ---------------------------------------------------------------------------
// Teams
// ---------------------------------------------------------------------------

async function createTeam(ada: Person, org: Schemas["OrgView"]): Promise<Schemas["TeamView"]> {
  console.log("teams: create, list, get, update");
  const answer = await ada.client.POST("/v1/orgs/{org_id}/teams", {
    params: { path: { org_id: org.id } },
    body: { name: "Platform", daily_act_threshold: 2, weekly_goal: 10 },
  });
  const team = expectOk("create team", answer, 201);
  equal([team.org_id, team.name, team.daily_act_threshold, team.weekly_goal], [org.id, "Platform", 2, 10], "team");
  check(header(answer.response, "Location").endsWith(`/v1/teams/${team.id}`), "Location names the team");

  const list = expectOk(
    "list teams",
    await ada.client.GET("/v1/orgs/{org_id}/teams", { params: { path: { org_id: org.id } } }),
    200,
  );
  equal(list.items.map((t) => t.id), [team.id], "the org's teams");

  const read = expectOk("get team", await ada.client.GET("/v1/teams/{team_id}", { params: { path: { team_id: team.id } } }), 200);
  equal(read.name, "Platform", "get team");

  const updated = expectOk(
    "update team",
    await ada.client.PATCH("/v1/teams/{team_id}", {
      params: { path: { team_id: team.id } },
      body: { name: "Platform Team", weekly_goal: 3 },
    }),
    200,
  );
  equal([updated.name, updated.weekly_goal, updated.daily_act_threshold], ["Platform Team", 3, 2], "team changed");
  return updated;
}

async function teamMembers(ada: Person, ben: Person, cy: Person, team: Schemas["TeamView"]): Promise<void> {
  console.log("team members: put, list");
  const put = (person: Person, role: Schemas["TeamRole"]) =>
    ada.client.PUT("/v1/teams/{team_id}/members/{user_id}", {
      params: { path: { team_id: team.id, user_id: person.id } },
      body: { role },
    });
  equal(expectOk("Ada joins as lead", await put(ada, "lead"), 200).role, "lead", "Ada is lead");
  equal(expectOk("Cy joins", await put(cy, "member"), 200).role, "member", "Cy is member");

  const list = expectOk(
    "list team members",
    await ben.client.GET("/v1/teams/{team_id}/members", { params: { path: { team_id: team.id } } }),
    200,
  );
  const roles = new Map(list.items.map((m) => [m.user_id, m.role]));
  equal([roles.get(ada.id), roles.get(ben.id), roles.get(cy.id)], ["lead", "member", "member"], "team roles");
  equal(list.items.find((m) => m.user_id === ben.id)?.display_name, "Ben", "display names");

  const cyRenames = await cy.client.PATCH("/v1/teams/{team_id}", {
    params: { path: { team_id: team.id } },
    body: { name: "Cy's team" },
  });
  expectProblem("a plain member renames the team", cyRenames, 403, "forbidden");
}

async function removeFromTeam(ada: Person, cy: Person, team: Schemas["TeamView"]): Promise<void> {
  console.log("team members: remove");
  expectNoContent(
    "remove Cy from the team",
    await ada.client.DELETE("/v1/teams/{team_id}/members/{user_id}", {
      params: { path: { team_id: team.id, user_id: cy.id } },
    }),
  );
  const list = expectOk(
    "list team members",
    await ada.client.GET("/v1/teams/{team_id}/members", { params: { path: { team_id: team.id } } }),
    200,
  );
  check(!list.items.some((m) => m.user_id === cy.id), "Cy left the team");
}

// ---------------------------------------------------------------------------
// Acts and kudos
// ---------------------------------------------------------------------------

async function postAct(
  author: Person,
  team: Schemas["TeamView"],
  body: Schemas["CreateActRequest"],
): Promise<Schemas["ActView"]> {
  const answer = await author.client.POST("/v1/teams/{team_id}/acts", { params: { path: { team_id: team.id } }, body });
  const act = expectOk(`${author.name} posts ${body.kind}`, answer, 201);
  equal([act.kind, act.category, act.message, act.team_id], [body.kind, body.category, body.message, team.id], "act");
  equal(act.author.user_id, author.id, "act.author");
  equal(act.visibility, body.visibility ?? "team", "act.visibility");
  check(header(answer.response, "Location").endsWith(`/v1/acts/${act.id}`), "Location names the act");
  return act;
}

/** The whole feed as `viewer` sees it, following `next_cursor` until it is null. */
async function readFeed(viewer: Person, team: Schemas["TeamView"]): Promise<Schemas["ActView"][]> {
  const acts: Schemas["ActView"][] = [];
  let cursor: string | undefined;
  for (let pages = 1; ; pages += 1) {
    const query = cursor === undefined ? { limit: 2 } : { limit: 2, cursor };
    const page = expectOk(
      "feed page",
      await viewer.client.GET("/v1/teams/{team_id}/acts", { params: { path: { team_id: team.id }, query } }),
      200,
    );
    check(page.items.length <= 2, "a page holds at most `limit` acts");
    acts.push(...page.items);
    // API.md: the body is {"items": [...], "next_cursor": "..." | null}.
    if (page.next_cursor === undefined) throw new CheckFailed("the feed page has no next_cursor");
    if (page.next_cursor === null) break;
    cursor = page.next_cursor;
    check(pages < 50, "the feed ends");
  }
  return acts;
}

async function actsAndKudos(ada: Person, ben: Person, cy: Person, team: Schemas["TeamView"]): Promise<void> {
  console.log("acts and kudos: create, feed, get, thank, withdraw, my kudos");
  const first = await postAct(ada, team, { kind: "act", category: "help", message: "Paired on the flaky test." });
  const toAda = await postAct(ben, team, {
    kind: "kudos",
    category: "appreciation",
    message: "Thanks for the review, Ada!",
    recipient_ids: [ada.id],
  });
  const toBenAndCy = await postAct(ada, team, {
    id: randomUUID(),
    kind: "kudos",
    category: "encouragement",
    message: "Great demo, both of you.",
    recipient_ids: [ben.id, cy.id],
  });
  equal(toBenAndCy.recipients.map((r) => r.user_id), [ben.id, cy.id].sort(), "recipients in user-id order");
  const privateToCy = await postAct(ben, team, {
    kind: "kudos",
    category: "support",
    message: "Thank you for covering my shift.",
    recipient_ids: [cy.id],
    visibility: "recipients",
  });
  const cysAct = await postAct(cy, team, { kind: "act", category: "listening", message: "Listened to a worry." });

  const toSelf = await ada.client.POST("/v1/teams/{team_id}/acts", {
    params: { path: { team_id: team.id } },
    body: { kind: "kudos", category: "other", message: "Well done me", recipient_ids: [ada.id] },
  });
  const selfProblem = expectProblem("kudos to oneself", toSelf, 422, "validation_failed");
  equal(fieldsOf(selfProblem), ["recipient_ids"], "the 422 names recipient_ids");

  // Newest first; Ada does not see the kudos shared with its recipients only.
  const adasFeed = await readFeed(ada, team);
  equal(adasFeed.map((a) => a.id), [cysAct.id, toBenAndCy.id, toAda.id, first.id], "Ada's feed, newest first");
  const cysFeed = await readFeed(cy, team);
  equal(cysFeed.map((a) => a.id), [cysAct.id, privateToCy.id, toBenAndCy.id, toAda.id, first.id], "Cy's feed");

  const read = expectOk("get act", await cy.client.GET("/v1/acts/{act_id}", { params: { path: { act_id: privateToCy.id } } }), 200);
  equal(read.message, privateToCy.message, "a recipient reads the kudos");
  const hidden = await ada.client.GET("/v1/acts/{act_id}", { params: { path: { act_id: privateToCy.id } } });
  expectProblem("someone else's recipients-only kudos", hidden, 404, "not_found");

  const thanked = expectOk("Ben thanks Ada", await ben.client.PUT("/v1/acts/{act_id}/thanks", { params: { path: { act_id: toBenAndCy.id } } }), 200);
  const bensThanks = thanked.recipients.find((r) => r.user_id === ben.id)?.thanked_at;
  check(typeof bensThanks === "string", "Ben's thanks is recorded");
  equal(thanked.recipients.find((r) => r.user_id === cy.id)?.thanked_at ?? null, null, "Cy has not thanked");
  const again = expectOk("thanking again", await ben.client.PUT("/v1/acts/{act_id}/thanks", { params: { path: { act_id: toBenAndCy.id } } }), 200);
  equal(again.recipients.find((r) => r.user_id === ben.id)?.thanked_at, bensThanks, "thanking twice changes nothing");
  const notRecipient = await ada.client.PUT("/v1/acts/{act_id}/thanks", { params: { path: { act_id: first.id } } });
  expectProblem("thanking an act that names nobody", notRecipient, 403, "forbidden");

  const notYours = await ben.client.DELETE("/v1/acts/{act_id}", { params: { path: { act_id: first.id } } });
  expectProblem("withdrawing someone else's act", notYours, 403, "forbidden");
  expectNoContent("Cy withdraws her act", await cy.client.DELETE("/v1/acts/{act_id}", { params: { path: { act_id: cysAct.id } } }));
  const withdrawn = await cy.client.GET("/v1/acts/{act_id}", { params: { path: { act_id: cysAct.id } } });
  expectProblem("a withdrawn act", withdrawn, 404, "not_found");
  const feedAfter = await readFeed(ada, team);
  equal(feedAfter.map((a) => a.id), [toBenAndCy.id, toAda.id, first.id], "a withdrawn act leaves the feed");

  const bensKudos = expectOk("Ben's kudos", await ben.client.GET("/v1/me/kudos"), 200);
  equal(bensKudos.items.map((a) => a.id), [toBenAndCy.id], "kudos naming Ben");
  const cysKudos = expectOk("Cy's kudos", await cy.client.GET("/v1/me/kudos", { params: { query: { limit: 1 } } }), 200);
  equal(cysKudos.items.map((a) => a.id), [privateToCy.id], "Cy's newest kudos first");
  const cursor = cysKudos.next_cursor;
  if (cursor === null || cursor === undefined) throw new CheckFailed("Cy has a second page of kudos");
  const cysNext = expectOk("Cy's kudos, page 2", await cy.client.GET("/v1/me/kudos", { params: { query: { limit: 1, cursor } } }), 200);
  equal(cysNext.items.map((a) => a.id), [toBenAndCy.id], "Cy's second kudos");
}

async function streakAndProgress(ada: Person, team: Schemas["TeamView"]): Promise<void> {
  console.log("team streak and progress");
  // Team-visible acts left today: Ada's act, Ben's kudos, Ada's kudos (Cy's was withdrawn).
  const streak = expectOk(
    "team streak",
    await ada.client.GET("/v1/teams/{team_id}/streak", { params: { path: { team_id: team.id } } }),
    200,
  );
  equal([streak.today_count, streak.threshold, streak.today_is_working_day], [3, 2, true], "today's acts and threshold");
  equal([streak.current, streak.longest], [1, 1], "today reached the threshold");

  const progress = expectOk(
    "team progress",
    await ada.client.GET("/v1/teams/{team_id}/progress", { params: { path: { team_id: team.id } } }),
    200,
  );
  equal([progress.acts, progress.weekly_goal, progress.goal_reached], [3, 3, true], "this week's acts against the goal");
  equal(addDays(progress.week_starts_on, 6), progress.week_ends_on, "a week is Monday to Sunday");
}

// ---------------------------------------------------------------------------
// Challenges and the team leaderboard
// ---------------------------------------------------------------------------

interface Challenges {
  forTeam: Schemas["ChallengeView"];
  forOrg: Schemas["ChallengeView"];
}

/**
 * Before the team's acts: an admin sets an `acts` challenge for the team,
 * small enough that the acts below meet it, and a personal `check_ins` one
 * for the whole organisation.
 */
async function setChallenges(
  ada: Person,
  ben: Person,
  cy: Person,
  org: Schemas["OrgView"],
  team: Schemas["TeamView"],
  date: string,
): Promise<Challenges> {
  console.log("challenges: set by an admin (403 for a member, 422 ending before it starts)");
  const path = { org_id: org.id };
  const week = addDays(date, 6);
  const body: Schemas["CreateChallengeRequest"] = {
    title: "Three kind acts this week",
    metric: "acts",
    target: 3,
    starts_on: date,
    ends_on: week,
    team_id: team.id,
  };
  const created = await ben.client.POST("/v1/orgs/{org_id}/challenges", { params: { path }, body });
  const forTeam = expectOk("an admin sets a team challenge", created, 201);
  check(header(created.response, "Location").endsWith(`/v1/challenges/${forTeam.id}`), "Location names the challenge");
  equal(
    [forTeam.title, forTeam.metric, forTeam.target, forTeam.starts_on, forTeam.ends_on, forTeam.team_id],
    [body.title, "acts", 3, date, week, team.id],
    "the challenge",
  );
  equal([forTeam.description, forTeam.active, forTeam.completed_by], [null, true, null], "description, active, completed_by");
  const { count, target, completed_at } = forTeam.progress;
  equal([count, target, completed_at], [0, 3, null], "a new challenge's progress");

  const description = "Every complete habit day counts,\neach person their own.";
  const forOrg = expectOk(
    "the owner sets a challenge for everyone",
    await ada.client.POST("/v1/orgs/{org_id}/challenges", {
      params: { path },
      body: { title: "A kind day for yourself", description, metric: "check_ins", target: 1, starts_on: date, ends_on: week },
    }),
    201,
  );
  equal([forOrg.team_id, forOrg.description, forOrg.metric], [null, description, "check_ins"], "the organisation's challenge");
  // Ada's water today is a complete habit day; one person is fewer than
  // min_group_size, so how many completed it stays hidden.
  check(forOrg.progress.count >= 1, `Ada's complete days today: ${forOrg.progress.count}`);
  check(typeof forOrg.progress.completed_at === "string", "a personal challenge met, with its time");
  equal(forOrg.completed_by, null, "completed_by with one completion");

  const byMember = await cy.client.POST("/v1/orgs/{org_id}/challenges", { params: { path }, body });
  expectProblem("a member sets a challenge", byMember, 403, "forbidden");

  const backwards = await ben.client.POST("/v1/orgs/{org_id}/challenges", {
    params: { path },
    body: { ...body, starts_on: week, ends_on: date },
  });
  equal(fieldsOf(expectProblem("a challenge ending before it starts", backwards, 422, "validation_failed")), ["ends_on"], "422 field");
  return { forTeam, forOrg };
}

/**
 * After the acts: the team's challenge is met (and stays met although an act
 * was withdrawn), listed newest first, read, and in the team's progress.
 */
async function challengesMet(cy: Person, org: Schemas["OrgView"], team: Schemas["TeamView"], set: Challenges): Promise<void> {
  console.log("challenges: met by the team's acts; read, listed, in the team's progress");
  const read = expectOk(
    "read the team's challenge",
    await cy.client.GET("/v1/challenges/{challenge_id}", { params: { path: { challenge_id: set.forTeam.id } } }),
    200,
  );
  const progress = read.progress;
  equal([read.id, read.title], [set.forTeam.id, set.forTeam.title], "get challenge");
  check(
    progress.target === 3 && progress.count >= progress.target,
    `the team's acts and kudos counted ${progress.count}/${progress.target}`,
  );
  const completedAt = progress.completed_at;
  if (completedAt === null) throw new CheckFailed("a met challenge has no completed_at");
  check(Date.parse(completedAt) >= Date.parse(set.forTeam.created_at), "met before it was set");

  // Personal: Cy has checked nothing in, whatever Ada did.
  const cys = expectOk(
    "read the organisation's challenge",
    await cy.client.GET("/v1/challenges/{challenge_id}", { params: { path: { challenge_id: set.forOrg.id } } }),
    200,
  );
  equal([cys.progress.count, cys.progress.completed_at], [0, null], "Cy's own check-ins");

  // Newest first, one a page.
  const path = { org_id: org.id };
  const first = expectOk(
    "list challenges",
    await cy.client.GET("/v1/orgs/{org_id}/challenges", { params: { path, query: { limit: 1 } } }),
    200,
  );
  equal(first.items.map((c) => c.id), [set.forOrg.id], "the newest challenge first");
  const cursor = first.next_cursor;
  if (cursor === null) throw new CheckFailed("two challenges, one a page, leave a next page");
  const second = expectOk(
    "list challenges, page 2",
    await cy.client.GET("/v1/orgs/{org_id}/challenges", { params: { path, query: { limit: 1, cursor } } }),
    200,
  );
  equal(second.items.map((c) => [c.id, c.progress.count]), [[set.forTeam.id, progress.count]], "the second page");
  equal(second.next_cursor, null, "the last page");

  const teamProgress = expectOk(
    "team progress",
    await cy.client.GET("/v1/teams/{team_id}/progress", { params: { path: { team_id: team.id } } }),
    200,
  );
  equal(
    teamProgress.challenges.map((c) => [c.id, c.progress.count, c.progress.completed_at]),
    [[set.forTeam.id, progress.count, completedAt]],
    "the team's progress shows its own running challenge, not the organisation's",
  );

  const unknown = await cy.client.GET("/v1/challenges/{challenge_id}", { params: { path: { challenge_id: randomUUID() } } });
  expectProblem("an unknown challenge", unknown, 404, "not_found");
}

/** Off until the organisation switches it on (404); then this week and this month. */
async function leaderboard(ada: Person, cy: Person, org: Schemas["OrgView"], team: Schemas["TeamView"], date: string): Promise<void> {
  console.log("leaderboard: off (404), switched on, week and month, period=year (422)");
  const path = { org_id: org.id };
  const off = await cy.client.GET("/v1/orgs/{org_id}/leaderboard", { params: { path } });
  expectProblem("the leaderboard before it is switched on", off, 404, "not_found");

  const on = expectOk(
    "switch the leaderboard on",
    await ada.client.PATCH("/v1/orgs/{org_id}", { params: { path }, body: { team_leaderboard_enabled: true } }),
    200,
  );
  equal([on.team_leaderboard_enabled, on.min_group_size, on.name], [true, 3, org.name], "only the leaderboard changed");

  // The team's acts this week, as its progress counts them; all of them today.
  const { acts } = expectOk(
    "team progress",
    await cy.client.GET("/v1/teams/{team_id}/progress", { params: { path: { team_id: team.id } } }),
    200,
  );
  const members = expectOk(
    "list team members",
    await cy.client.GET("/v1/teams/{team_id}/members", { params: { path: { team_id: team.id } } }),
    200,
  ).items.length;
  check(acts > 0 && members >= on.min_group_size, `${acts} acts, ${members} members`);

  const week = expectOk("this week's leaderboard", await cy.client.GET("/v1/orgs/{org_id}/leaderboard", { params: { path } }), 200);
  equal(week.period, "week", "the default period");
  const weekStart = new Date(`${week.period_start}T00:00:00Z`);
  check(weekStart.getUTCDay() === 1, `this week starts on a Monday, not ${week.period_start}`);
  check(week.period_start <= date && addDays(week.period_start, 6) >= date, `this week (${week.period_start}) holds today`);

  const month = expectOk(
    "this month's leaderboard",
    await cy.client.GET("/v1/orgs/{org_id}/leaderboard", { params: { path, query: { period: "month" } } }),
    200,
  );
  equal([month.period, month.period_start], ["month", `${date.slice(0, 8)}01`], "this month");
  for (const board of [week, month]) {
    equal(
      board.teams.map((t) => [t.rank, t.team_id, t.name, t.member_count, t.acts]),
      [[1, team.id, team.name, members, acts]],
      `the ${board.period} leaderboard`,
    );
    const perMember = board.teams[0]?.acts_per_member ?? Number.NaN;
    check(Math.abs(perMember - acts / members) < 1e-9, `acts_per_member ${perMember}`);
    equal(board.teams_not_shown, 0, `teams not shown this ${board.period}`);
  }

  // `year` is not a LeaderboardPeriod, so the typed query cannot hold it:
  // the request's own query serializer writes it.
  const year = await cy.client.GET("/v1/orgs/{org_id}/leaderboard", { params: { path }, querySerializer: () => "period=year" });
  equal(fieldsOf(expectProblem("period=year", year, 422, "validation_failed")), ["period"], "422 field");
}

/** With Cy gone the team is under min_group_size: counted, not shown. */
async function leaderboardLeavesOutSmallTeams(ada: Person, org: Schemas["OrgView"]): Promise<void> {
  console.log("leaderboard: a team under min_group_size is counted in teams_not_shown");
  const board = expectOk(
    "the leaderboard",
    await ada.client.GET("/v1/orgs/{org_id}/leaderboard", { params: { path: { org_id: org.id } } }),
    200,
  );
  equal([board.teams, board.teams_not_shown], [[], 1], "a team of two is left out and counted");
}

/** XP, level, badges and the ledger are the person's own; the badge catalogue is public. */
async function gameProgress(ada: Person): Promise<void> {
  console.log("game: progress and the badge catalogue");
  const progress = expectOk("my progress", await ada.client.GET("/v1/me/progress"), 200);
  check(progress.xp > 0 && progress.level >= 1 && progress.xp_for_next_level > 0, `progress ${JSON.stringify(progress)}`);
  check(progress.badges.some((badge) => badge.code === "first_step"), "first_step after a complete day");
  const awards = progress.recent_awards;
  check(awards.length > 0 && awards.length <= 20, `${awards.length} recent awards`);
  if (awards.length < 20) {
    equal(awards.reduce((sum, award) => sum + award.xp, 0), progress.xp, "the whole ledger sums to the XP");
  }
  const days = awards.filter((award) => award.source_type === "habit_day");
  check(days.length > 0 && days.every((award) => award.date !== null), "each habit day's award names its day");
  expectProblem("progress without a token", await anonymous.GET("/v1/me/progress"), 401, "unauthorized");

  const catalogue = expectOk("the badge catalogue", await anonymous.GET("/v1/badges"), 200);
  check(catalogue.length === 8 && catalogue.every((badge) => badge.name !== ""), "eight named badges");
}

/** A person logs at most 20 acts a day in a team: the 21st is 429 with Retry-After. */
async function actLimit(ben: Person, team: Schemas["TeamView"], alreadyPosted: number): Promise<void> {
  console.log("acts: the daily limit (429 with Retry-After)");
  for (let n = alreadyPosted + 1; n <= 20; n += 1) {
    await postAct(ben, team, { kind: "act", category: "patience", message: `Small kindness number ${n}.` });
  }
  const over = await ben.client.POST("/v1/teams/{team_id}/acts", {
    params: { path: { team_id: team.id } },
    body: { kind: "act", category: "patience", message: "One too many." },
  });
  expectProblem("the 21st act of the day", over, 429, "act_limit");
  const retryAfter = Number(header(over.response, "Retry-After"));
  check(Number.isInteger(retryAfter) && retryAfter > 0 && retryAfter <= 86400, `Retry-After ${retryAfter}`);
  checkRateLimitHeaders("429 act_limit", over.response);
}

// ---------------------------------------------------------------------------
// The end of the day
// ---------------------------------------------------------------------------

async function logout(ada: Person): Promise<void> {
  console.log("logout");
  const refreshToken = ada.tokens.refresh_token;
  expectNoContent("logout", await ada.client.POST("/v1/auth/logout", { body: { refresh_token: refreshToken } }));
  const after = await anonymous.POST("/v1/auth/refresh", { body: { refresh_token: refreshToken } });
  expectProblem("refresh after logout", after, 401, "invalid_refresh_token");
  expectNoContent("logging out twice", await ada.client.POST("/v1/auth/logout", { body: { refresh_token: refreshToken } }));
}

async function deleteTeam(ada: Person, team: Schemas["TeamView"]): Promise<void> {
  console.log("teams: delete (the access token lives on until it expires)");
  expectNoContent("delete team", await ada.client.DELETE("/v1/teams/{team_id}", { params: { path: { team_id: team.id } } }));
  const gone = await ada.client.GET("/v1/teams/{team_id}", { params: { path: { team_id: team.id } } });
  expectProblem("a deleted team", gone, 404, "not_found");
}

// ---------------------------------------------------------------------------
// A person's choice: take everything, or leave without a trace
// ---------------------------------------------------------------------------

async function exportData(ada: Person, water: Schemas["HabitView"]): Promise<void> {
  console.log("me: export everything");
  const read = await ada.client.GET("/v1/me/export");
  const exported = expectOk("export", read, 200);
  check(header(read.response, "Content-Disposition").startsWith("attachment; filename="), "an attachment");
  equal(header(read.response, "Cache-Control"), "no-store", "the export is not cached");
  equal(exported.schema_version, 1, "schema_version");
  equal(exported.account.id, ada.id, "the export is Ada's");
  check(exported.habits.some((habit) => habit.id === water.id), "the export has the habit");
  check(exported.check_ins.some((checkIn) => checkIn.habit_id === water.id), "the export has its check-ins");
  equal(exported.xp_entries.reduce((sum, entry) => sum + entry.xp, 0), exported.xp_total, "the ledger adds up");
}

async function erase(cy: Person): Promise<void> {
  console.log("me: erase the account (a wrong password first)");
  const wrong = await cy.client.DELETE("/v1/me", { body: { password: "not the password at all" } });
  expectProblem("erasure with a wrong password", wrong, 403, "wrong_password");
  expectOk("still here", await cy.client.GET("/v1/me"), 200);
  expectNoContent("erasure", await cy.client.DELETE("/v1/me", { body: { password: cy.password } }));
  expectProblem("a token of an erased account", await cy.client.GET("/v1/me"), 401, "invalid_token");
  const login = await anonymous.POST("/v1/auth/login", { body: { email: cy.email, password: cy.password } });
  expectProblem("logging in to an erased account", login, 401, "invalid_credentials");
}

// ---------------------------------------------------------------------------
// The scenario
// ---------------------------------------------------------------------------

async function scenario(): Promise<void> {
  const ada = new Person("Ada");
  const ben = new Person("Ben");
  const cy = new Person("Cy");

  await healthAndReadiness();
  await auth(ada, ben, cy);
  await me(ada);
  const habitSet = await habits(ada);
  const day = await today(ada, habitSet);
  await checkIns(ada, habitSet.water, day.date, day.tag);
  await deleteHabit(ada, habitSet.walk);
  await pauses(ada, day.date);
  await batch(ada, habitSet.water, day.date);
  await sync(ada, habitSet, day.date);

  const org = await organisation(ada);
  const team = await createTeam(ada, org);
  await joinWithInvitations(ada, ben, cy, org, team);
  await orgMembers(ada, ben, cy, org);
  await teamMembers(ada, ben, cy, team);
  const challenges = await setChallenges(ada, ben, cy, org, team, day.date);
  await actsAndKudos(ada, ben, cy, team);
  await streakAndProgress(ada, team);
  await challengesMet(cy, org, team, challenges);
  await gameProgress(ada);
  await actLimit(ben, team, 2);
  await leaderboard(ada, cy, org, team, day.date);
  await removeFromTeam(ada, cy, team);
  await leaderboardLeavesOutSmallTeams(ada, org);
  await removeFromOrg(ada, cy, org);
  await formerMember(cy, org, challenges);

  await metrics();
  await logout(ada);
  await deleteTeam(ada, team);
  await exportData(ada, habitSet.water);
  await erase(cy);
}

function coverage(): string[] {
  const all = operationIds();
  const missing = all.filter((id) => !called.has(id));
  console.log(`\noperations called: ${all.length - missing.length} of ${all.length} in openapi.yaml`);
  for (const id of all) {
    const statuses = called.get(id);
    console.log(`  ${statuses === undefined ? "NEVER" : [...statuses].sort().join(",").padEnd(5)}  ${id}`);
  }
  return missing;
}

async function main(): Promise<number> {
  const started = Date.now();
  let failure: unknown;
  try {
    await scenario();
  } catch (e) {
    failure = e;
  }
  const missing = coverage();
  for (const note of notes) console.log(`  note: ${note}`);
  const alwaysSent = optionalButAlwaysSent();
  if (alwaysSent.length > 0) {
    console.log("  optional in the document, yet sent in every answer (could be `required`):");
    for (const name of alwaysSent) console.log(`    ${name}`);
  }

  const failures: string[] = [];
  if (failure !== undefined) {
    failures.push(failure instanceof Error ? (failure.stack ?? failure.message) : String(failure));
  }
  if (missing.length > 0) failures.push(`operations never called: ${missing.join(", ")}`);
  if (mismatches.length > 0) failures.push(`answers that do not match openapi.yaml:\n  ${mismatches.join("\n  ")}`);
  for (const f of failures) console.error(`\nFAILED: ${f}`);
  console.log(`\ntypescript client scenario took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(`${passed} passed, ${failures.length} failed`);
  return failures.length === 0 ? 0 : 1;
}

process.exitCode = await main();
