//! The HTTP edge of each tag: one `#[OpenApi]` impl per tag, with its
//! request and response bodies. A handler parses, authorises (through
//! [`access`], the only place roles become 404 or 403), begins a
//! `service::Unit`, runs one use-case, commits, and views the result; reads
//! go to `store` directly. Nothing calls `api` but the router in `app`, and no
//! tag's file imports another's: what they share is in [`support`] and
//! [`views`].

pub mod access;
pub mod acts;
pub mod auth;
pub mod challenges;
pub mod export;
pub mod game;
pub mod habits;
pub mod leaderboard;
pub mod me;
pub mod operations;
pub mod orgs;
pub mod pauses;
pub mod support;
pub mod sync;
pub mod teams;
pub mod views;

use std::collections::{BTreeSet, HashMap};

use poem::{endpoint::BoxEndpoint, http::Method};
use poem_openapi::{
    OpenApi, Tags,
    registry::{MetaApi, MetaSchema, MetaSchemaRef, Registry},
};

#[derive(Tags)]
pub enum ApiTag {
    /// Accounts and tokens: register, log in, refresh, log out.
    Auth,
    /// The signed-in person's own account.
    Me,
    /// Private self-kindness habits, their check-ins and streaks, and today's
    /// list. Only their owner ever sees them.
    Habits,
    /// Pauses: days on which no habit is due and no streak counts or breaks.
    Pauses,
    /// Offline sync: batched check-ins and the change feed.
    Sync,
    /// Organisations, their members and roles, and invitations.
    Organisations,
    /// Teams within an organisation, their members, streak and weekly
    /// progress.
    Teams,
    /// Acts of kindness and kudos: the team feed, thanks, and the kudos a
    /// person received. Visible to the team they were shared with.
    Acts,
    /// The game: XP, levels and badges, which are their owner's alone, the
    /// badge catalogue, challenges, and the team (never individual)
    /// leaderboard.
    Game,
    /// Health, readiness and metrics for operators.
    Operations,
}

/// Every tag's API, in the document's order.
pub type Apis = (
    auth::AuthApi,
    me::MeApi,
    habits::HabitsApi,
    pauses::PausesApi,
    sync::SyncApi,
    orgs::OrgsApi,
    teams::TeamsApi,
    acts::ActsApi,
    game::GameApi,
    challenges::ChallengesApi,
    leaderboard::LeaderboardApi,
    operations::OperationsApi,
);

/// Every tag's API as published. What the document cannot learn from the
/// types it is told here: a view always carries every field (an absent value
/// is sent as `null`), so every property of a schema that only answers
/// (never read from a request) is `required`; generated clients then type
/// such a field "value or null", not "maybe missing". An operation that
/// takes no credentials declares no `security`.
#[derive(Default)]
pub struct Published(Apis);

impl OpenApi for Published {
    fn meta() -> Vec<MetaApi> {
        Apis::meta()
    }

    fn register(registry: &mut Registry) {
        Apis::register(registry);
        let mut read = BTreeSet::new();
        let requests = Self::meta()
            .into_iter()
            .flat_map(|api| api.paths)
            .flat_map(|path| path.operations)
            .flat_map(|operation| {
                let params = operation.params.into_iter().map(|param| param.schema);
                let bodies = operation
                    .request
                    .into_iter()
                    .flat_map(|request| request.content);
                params
                    .chain(bodies.map(|body| body.schema))
                    .collect::<Vec<_>>()
            });
        for schema in requests {
            mark_read(&schema, registry, &mut read);
        }
        for (name, schema) in &mut registry.schemas {
            if !read.contains(name) {
                schema.required = schema.properties.iter().map(|(field, _)| *field).collect();
            }
        }
    }

    fn add_routes(self, route_table: &mut HashMap<String, HashMap<Method, BoxEndpoint<'static>>>) {
        self.0.add_routes(route_table);
    }
}

pub const DESCRIPTION: &str = "\
The HTTP API of Kindling, a gamified kindness tracker: private self-kindness \
habits, team kindness, aggregated reports. JSON bodies with `snake_case` fields; timestamps are RFC 3339 \
in UTC; calendar days are local dates (`YYYY-MM-DD`); timezones are IANA names.

**Authentication.** Register or log in to receive a short-lived access token \
(a JWT, 15 minutes) and a refresh token (30 days, rotated on every use). Send \
`Authorization: Bearer <access token>`. Reusing a spent refresh token revokes \
that whole login, except within 30 seconds of its first use, while the token \
it was rotated to is unspent: a client that fired it twice (a retry, two \
requests at once) gets that same new refresh token again. However often it is \
refreshed, a login ends 90 days after it began; then the person logs in again.

**Errors.** Every error is an RFC 9457 problem document \
(`application/problem+json`) with a stable `code`; validation failures list \
each invalid field in `errors`. Every response carries `X-Request-Id`.

**Limits.** Bodies are limited to 1 MiB. Requests are limited per caller \
(`RateLimit-Limit` and `RateLimit-Remaining` on every response that counts, \
which is every response but those of the operator endpoints); over a limit \
the answer is 429 with `Retry-After`.";

/// Adds to `read` every named schema that `schema` reads from a request.
fn mark_read(schema: &MetaSchemaRef, registry: &Registry, read: &mut BTreeSet<String>) {
    match schema {
        MetaSchemaRef::Reference(name) => {
            if read.insert(name.clone())
                && let Some(named) = registry.schemas.get(name)
            {
                mark_parts_read(named, registry, read);
            }
        }
        MetaSchemaRef::Inline(inline) => mark_parts_read(inline, registry, read),
    }
}

fn mark_parts_read(schema: &MetaSchema, registry: &Registry, read: &mut BTreeSet<String>) {
    let parts = schema
        .properties
        .iter()
        .map(|(_, part)| part)
        .chain(schema.items.as_deref())
        .chain(schema.additional_properties.as_deref())
        .chain(&schema.one_of)
        .chain(&schema.any_of)
        .chain(&schema.all_of);
    for part in parts {
        mark_read(part, registry, read);
    }
}
