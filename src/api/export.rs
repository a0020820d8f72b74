//! `GET /v1/me/export`: everything the service holds about the caller, as
//! one JSON document. It is written while it is read, a page of rows at a
//! time from one snapshot of the database, so that years of history never
//! sit in memory at once; [`ExportDocument`] is the shape it adds up to.

use std::{future::Future, io, time::Duration};

use chrono::{DateTime, Utc};
use poem::Body;
use poem_openapi::{
    Object,
    types::{Example, ToJSON},
};
use sea_orm::{DatabaseTransaction, DbErr};
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;
use tracing::Instrument;
use uuid::Uuid;

use super::{
    acts::FORMER_COLLEAGUE,
    game::{AwardView, EarnedBadge},
    pauses::PauseView,
    support::{choice::Choice, day::Day, examples, timestamp::Timestamp},
    views::{HabitData, UserView},
};
use crate::{
    domain::{
        access::{OrgRole, TeamRole},
        act::{self, Kind, Visibility},
        xp::Badge,
    },
    store::{self, users::User},
};

/// The version of [`ExportDocument`]'s shape: it goes up by one whenever a
/// field is renamed, removed or changes meaning.
pub const SCHEMA_VERSION: i32 = 1;

/// Rows read per query, and so the most any one page holds in memory.
const PAGE: u64 = 500;

/// Bytes gathered before they are sent on.
const CHUNK: usize = 64 * 1024;

/// How long a client may leave a chunk unread before the export gives up,
/// so that a stalled download does not keep its database connection and
/// snapshot.
const STALL: Duration = Duration::from_secs(30);

/// Everything Kindling holds about the person: their account, their private
/// habits with every check-in, note and mood, their pauses, memberships,
/// what they wrote and received, their XP and badges, and their logins.
/// Deleted habits, undone days and withdrawn acts appear as the tombstones
/// the service keeps of them.
#[derive(Debug, Object)]
#[oai(example)]
pub struct ExportDocument {
    /// The version of this document's shape; it goes up by one whenever a
    /// field is renamed, removed or changes meaning.
    pub schema_version: i32,
    /// When the export was taken: every list is as it stood then.
    pub exported_at: Timestamp,
    pub account: UserView,
    /// The person's XP: the sum of their ledger, `xp_entries`.
    pub xp_total: i64,
    /// Every login (a family of refresh tokens), oldest first; no token is
    /// in it.
    pub logins: Vec<ExportLogin>,
    /// Every habit, archived ones too, in id order.
    pub habits: Vec<ExportHabit>,
    /// What is kept of deleted habits (which took their check-ins with
    /// them): the id and when, in the order they were deleted.
    pub deleted_habits: Vec<ExportDeletedHabit>,
    /// Every check-in, with its note and mood, habit by habit and day by
    /// day.
    pub check_ins: Vec<ExportCheckIn>,
    /// What is kept of the days the person undid: the habit, the day and
    /// when, in the order they were undone.
    pub undone_check_ins: Vec<ExportUndoneCheckIn>,
    /// Every pause, in id order.
    pub pauses: Vec<PauseView>,
    /// The organisations the person belongs to.
    pub organisations: Vec<ExportOrgMembership>,
    /// The teams the person belongs to.
    pub teams: Vec<ExportTeamMembership>,
    /// The acts and kudos the person wrote, team by team and day by day;
    /// withdrawn ones as tombstones with no message.
    pub acts: Vec<ExportAct>,
    /// The kudos (and acts) that name the person as a recipient, oldest
    /// first, with their thanks.
    pub received: Vec<ExportReceived>,
    /// The XP ledger, oldest first.
    pub xp_entries: Vec<ExportXpEntry>,
    /// The badges earned, in the order they were earned.
    pub badges: Vec<EarnedBadge>,
    /// The invitations the person created (their codes are never kept).
    pub invitations: Vec<ExportInvitation>,
}

impl Example for ExportDocument {
    fn example() -> Self {
        Self {
            schema_version: SCHEMA_VERSION,
            exported_at: examples::at("2026-11-30T18:02:11Z"),
            account: UserView::example(),
            xp_total: 15,
            logins: vec![ExportLogin::example()],
            habits: vec![ExportHabit::example()],
            deleted_habits: vec![ExportDeletedHabit::example()],
            check_ins: vec![ExportCheckIn::example()],
            undone_check_ins: vec![ExportUndoneCheckIn::example()],
            pauses: vec![PauseView::example()],
            organisations: vec![ExportOrgMembership::example()],
            teams: vec![ExportTeamMembership::example()],
            acts: vec![ExportAct::example()],
            received: vec![ExportReceived::example()],
            xp_entries: vec![ExportXpEntry::example()],
            badges: vec![EarnedBadge::example()],
            invitations: vec![ExportInvitation::example()],
        }
    }
}

/// One login: when it began, its latest refresh, and how it ended.
#[derive(Debug, Object)]
#[oai(example)]
pub struct ExportLogin {
    /// The login's id (its refresh-token family).
    pub family_id: Uuid,
    /// When the person logged in.
    pub began_at: Timestamp,
    /// When it was last refreshed (or began, if never).
    pub last_used_at: Timestamp,
    /// When its latest refresh token stops working.
    pub expires_at: Timestamp,
    /// When it was ended by a logout or a reused token, if it was.
    #[oai(nullable)]
    pub revoked_at: Option<Timestamp>,
}

impl Example for ExportLogin {
    fn example() -> Self {
        Self {
            family_id: uuid::uuid!("01a09efb-d8a1-7c12-9a0e-4f1e2d3c4b5a"),
            began_at: examples::at(examples::ANA_JOINED),
            last_used_at: examples::at("2026-11-30T07:58:40Z"),
            expires_at: examples::at("2026-12-13T08:15:00Z"),
            revoked_at: None,
        }
    }
}

impl From<store::export::Login> for ExportLogin {
    fn from(login: store::export::Login) -> Self {
        Self {
            family_id: login.family_id,
            began_at: login.began_at.into(),
            last_used_at: login.last_used_at.into(),
            expires_at: login.expires_at.into(),
            revoked_at: login.revoked_at.map(Timestamp),
        }
    }
}

/// A habit with the day its streak may start.
#[derive(Debug, Object)]
#[oai(example)]
pub struct ExportHabit {
    #[oai(flatten)]
    pub habit: HabitData,
    /// The local date it was created (its streak starts there, or on an
    /// earlier backfilled day).
    pub starts_on: Day,
}

impl Example for ExportHabit {
    fn example() -> Self {
        Self {
            habit: HabitData::example(),
            starts_on: examples::day("2026-10-02"),
        }
    }
}

impl From<store::habits::Habit> for ExportHabit {
    fn from(habit: store::habits::Habit) -> Self {
        Self {
            starts_on: Day(habit.starts_on),
            habit: habit.into(),
        }
    }
}

/// What is kept of a deleted habit.
#[derive(Debug, Object)]
#[oai(example)]
pub struct ExportDeletedHabit {
    /// The habit's id.
    pub habit_id: Uuid,
    /// When it was deleted.
    pub deleted_at: Timestamp,
}

impl Example for ExportDeletedHabit {
    fn example() -> Self {
        Self {
            habit_id: examples::DELETED_HABIT,
            deleted_at: examples::at("2026-11-21T20:14:09Z"),
        }
    }
}

/// One day's check-in of a habit.
#[derive(Debug, Object)]
#[oai(example)]
pub struct ExportCheckIn {
    /// The check-in's id.
    pub id: Uuid,
    /// The habit.
    pub habit_id: Uuid,
    /// The local date.
    pub date: Day,
    /// How many times.
    pub count: i32,
    /// Mood 1 to 5, if given.
    #[oai(nullable, validator(minimum(value = "1"), maximum(value = "5")))]
    pub mood: Option<i32>,
    /// The private note, if any.
    #[oai(nullable)]
    pub note: Option<String>,
    /// When it was first recorded.
    pub created_at: Timestamp,
    /// When it last changed.
    pub updated_at: Timestamp,
}

impl Example for ExportCheckIn {
    fn example() -> Self {
        Self {
            id: uuid::uuid!("01a2c4e1-0b7d-7f30-8c61-3f2a9d1e5b70"),
            habit_id: examples::HABIT,
            date: examples::today(),
            count: 3,
            mood: Some(4),
            note: Some("A full bottle on my desk made it easy.".to_owned()),
            created_at: examples::at("2026-11-30T09:12:44Z"),
            updated_at: examples::at("2026-11-30T16:05:27Z"),
        }
    }
}

impl From<entity::check_ins::Model> for ExportCheckIn {
    fn from(row: entity::check_ins::Model) -> Self {
        Self {
            id: row.id,
            habit_id: row.habit_id,
            date: Day(row.local_date),
            count: row.count,
            mood: row.mood.map(i32::from),
            note: row.note,
            created_at: row.created_at.into(),
            updated_at: row.updated_at.into(),
        }
    }
}

/// What is kept of an undone day.
#[derive(Debug, Object)]
#[oai(example)]
pub struct ExportUndoneCheckIn {
    /// The habit.
    pub habit_id: Uuid,
    /// The local date that was undone.
    pub date: Day,
    /// When it was undone.
    pub undone_at: Timestamp,
}

impl Example for ExportUndoneCheckIn {
    fn example() -> Self {
        Self {
            habit_id: examples::HABIT,
            date: examples::day("2026-11-28"),
            undone_at: examples::at("2026-11-28T21:40:02Z"),
        }
    }
}

/// A membership of an organisation.
#[derive(Debug, Object)]
#[oai(example)]
pub struct ExportOrgMembership {
    /// The organisation's id.
    pub org_id: Uuid,
    /// Its name.
    pub name: String,
    pub role: Choice<OrgRole>,
    /// When the person joined.
    pub joined_at: Timestamp,
}

impl Example for ExportOrgMembership {
    fn example() -> Self {
        Self {
            org_id: examples::ORG,
            name: examples::ORG_NAME.to_owned(),
            role: Choice::of(OrgRole::Member),
            joined_at: examples::at(examples::ANA_JOINED),
        }
    }
}

/// A membership of a team.
#[derive(Debug, Object)]
#[oai(example)]
pub struct ExportTeamMembership {
    /// The team's id.
    pub team_id: Uuid,
    /// Its organisation's id.
    pub org_id: Uuid,
    /// Its name.
    pub name: String,
    pub role: Choice<TeamRole>,
    /// When the person joined.
    pub joined_at: Timestamp,
}

impl Example for ExportTeamMembership {
    fn example() -> Self {
        Self {
            team_id: examples::TEAM,
            org_id: examples::ORG,
            name: examples::TEAM_NAME.to_owned(),
            role: Choice::of(TeamRole::Member),
            joined_at: examples::at(examples::ANA_JOINED),
        }
    }
}

/// An act of kindness or kudos the person wrote.
#[derive(Debug, Object)]
#[oai(example)]
pub struct ExportAct {
    /// The act's id.
    pub id: Uuid,
    /// The team it was shared with.
    pub team_id: Uuid,
    pub kind: Choice<Kind>,
    pub category: Choice<act::Category>,
    /// What the person wrote; empty once withdrawn.
    pub message: String,
    pub visibility: Choice<Visibility>,
    /// Whom the kudos named, in id order; empty for a plain act and once
    /// withdrawn.
    pub recipient_ids: Vec<Uuid>,
    /// The organisation's local date it counts for.
    pub local_date: Day,
    /// When it was logged.
    pub created_at: Timestamp,
    /// When it was withdrawn, if it was.
    #[oai(nullable)]
    pub withdrawn_at: Option<Timestamp>,
}

impl Example for ExportAct {
    fn example() -> Self {
        Self {
            id: examples::ACT,
            team_id: examples::TEAM,
            kind: Choice::of(Kind::Kudos),
            category: Choice::of(act::Category::Help),
            message: "Thank you for staying on to help me clear the refund queue.".to_owned(),
            visibility: Choice::of(Visibility::Team),
            recipient_ids: vec![examples::BEN],
            local_date: examples::today(),
            created_at: examples::at("2026-11-30T10:12:03Z"),
            withdrawn_at: None,
        }
    }
}

impl From<(store::acts::Act, Vec<Uuid>)> for ExportAct {
    fn from((act, recipient_ids): (store::acts::Act, Vec<Uuid>)) -> Self {
        Self {
            id: act.id,
            team_id: act.team_id,
            kind: Choice::of(act.kind),
            category: Choice::of(act.category),
            message: act.message,
            visibility: Choice::of(act.visibility),
            recipient_ids,
            local_date: Day(act.local_date),
            created_at: act.created_at.into(),
            withdrawn_at: act.withdrawn_at.map(Timestamp),
        }
    }
}

/// Kudos (or an act) that named the person.
#[derive(Debug, Object)]
#[oai(example)]
pub struct ExportReceived {
    /// The act's id.
    pub act_id: Uuid,
    /// The team it was shared in.
    pub team_id: Uuid,
    pub kind: Choice<Kind>,
    pub category: Choice<act::Category>,
    /// What its author wrote.
    pub message: String,
    pub visibility: Choice<Visibility>,
    /// The author's name as colleagues see it, or "a former colleague".
    pub from: String,
    /// When it was logged.
    pub created_at: Timestamp,
    /// When the person thanked its author, if they did.
    #[oai(nullable)]
    pub thanked_at: Option<Timestamp>,
}

impl Example for ExportReceived {
    fn example() -> Self {
        Self {
            act_id: examples::ACT,
            team_id: examples::TEAM,
            kind: Choice::of(Kind::Kudos),
            category: Choice::of(act::Category::Help),
            message: "Thank you for staying on to help me clear the refund queue.".to_owned(),
            visibility: Choice::of(Visibility::Team),
            from: examples::BEN_NAME.to_owned(),
            created_at: examples::at("2026-11-30T10:12:03Z"),
            thanked_at: Some(examples::at("2026-11-30T10:41:19Z")),
        }
    }
}

impl From<store::export::Received> for ExportReceived {
    fn from(received: store::export::Received) -> Self {
        let act = received.act;
        Self {
            act_id: act.id,
            team_id: act.team_id,
            kind: Choice::of(act.kind),
            category: Choice::of(act.category),
            message: act.message,
            visibility: Choice::of(act.visibility),
            from: received
                .author_name
                .unwrap_or_else(|| FORMER_COLLEAGUE.to_owned()),
            created_at: act.created_at.into(),
            thanked_at: received.thanked_at.map(Timestamp),
        }
    }
}

/// One entry of the XP ledger, with its id.
#[derive(Debug, Object)]
#[oai(example)]
pub struct ExportXpEntry {
    /// The entry's id.
    pub id: Uuid,
    #[oai(flatten)]
    pub award: AwardView,
}

impl Example for ExportXpEntry {
    fn example() -> Self {
        Self {
            id: uuid::uuid!("01a2c4e1-0b90-7a44-9d2b-6c8e1f0a3b12"),
            award: AwardView::example(),
        }
    }
}

/// An invitation the person created.
#[derive(Debug, Object)]
#[oai(example)]
pub struct ExportInvitation {
    /// The invitation's id.
    pub id: Uuid,
    /// The organisation it invites to.
    pub org_id: Uuid,
    pub role: Choice<OrgRole>,
    /// The team it also joins, if any.
    #[oai(nullable)]
    pub team_id: Option<Uuid>,
    /// How many people may join with it.
    pub max_uses: i32,
    /// How many have.
    pub uses: i32,
    /// When it stops working.
    pub expires_at: Timestamp,
    /// When it was created.
    pub created_at: Timestamp,
}

impl Example for ExportInvitation {
    fn example() -> Self {
        Self {
            id: uuid::uuid!("01a2c4e1-0bb3-7d55-8e3c-7d9f2a1b4c23"),
            org_id: examples::ORG,
            role: Choice::of(OrgRole::Member),
            team_id: Some(examples::TEAM),
            max_uses: 10,
            uses: 2,
            expires_at: examples::at("2026-12-07T10:30:00Z"),
            created_at: examples::at("2026-11-30T10:30:00Z"),
        }
    }
}

/// Why writing stopped early.
enum Stop {
    /// The client went away: nothing to do.
    Gone,
    /// The client stopped reading for [`STALL`].
    Stalled,
    Failed(DbErr),
}

impl From<DbErr> for Stop {
    fn from(error: DbErr) -> Self {
        Self::Failed(error)
    }
}

type Chunk = Result<Vec<u8>, io::Error>;

/// The body being written: JSON gathered into chunks of [`CHUNK`] bytes,
/// each sent on when full. The channel holds two, so a slow reader holds
/// the writer back rather than letting the export pile up, and one that
/// stops reading for [`STALL`] ends it.
struct Out {
    sender: mpsc::Sender<Chunk>,
    buffer: Vec<u8>,
}

impl Out {
    fn raw(&mut self, text: &str) {
        self.buffer.extend_from_slice(text.as_bytes());
    }

    /// `"name":value`, after a comma unless it is the first field.
    fn field(&mut self, name: &str, value: &impl ToJSON) {
        if self.buffer.last() != Some(&b'{') {
            self.raw(",");
        }
        self.raw(&format!("\"{name}\":"));
        self.value(value);
    }

    fn value(&mut self, value: &impl ToJSON) {
        let json = value.to_json().unwrap_or_default();
        serde_json::to_writer(&mut self.buffer, &json).expect("a JSON value serialises");
    }

    async fn flush(&mut self, at_least: usize) -> Result<(), Stop> {
        if self.buffer.len() < at_least {
            return Ok(());
        }
        let chunk = std::mem::replace(&mut self.buffer, Vec::with_capacity(CHUNK));
        match tokio::time::timeout(STALL, self.sender.send(Ok(chunk))).await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(_)) => Err(Stop::Gone),
            Err(_) => Err(Stop::Stalled),
        }
    }

    /// `"name":[…]`: every row `fetch` reads, a page at a time after the
    /// key of the page's last row, each written as `view` makes it.
    async fn list<R, K, V, F, Fut>(
        &mut self,
        name: &str,
        mut fetch: F,
        key: impl Fn(&R) -> K,
        view: impl Fn(R) -> V,
    ) -> Result<(), Stop>
    where
        K: Copy,
        F: FnMut(Option<K>) -> Fut,
        Fut: Future<Output = Result<Vec<R>, DbErr>>,
        V: ToJSON,
    {
        self.raw(&format!(",\"{name}\":["));
        let mut after = None;
        loop {
            let rows = fetch(after).await?;
            let last_page = (rows.len() as u64) < PAGE;
            for row in rows {
                if after.is_some() {
                    self.raw(",");
                }
                after = Some(key(&row));
                self.value(&view(row));
            }
            self.flush(CHUNK).await?;
            if last_page {
                break;
            }
        }
        self.raw("]");
        Ok(())
    }
}

/// The person's export as a body, read from `snapshot` (a transaction
/// begun, and the account read, before the answer's status was sent).
/// A failure half-way is logged and breaks the body off, so that the
/// client sees a broken transfer rather than a short document.
pub fn body(snapshot: DatabaseTransaction, user: User, now: DateTime<Utc>) -> Body {
    let (sender, receiver) = mpsc::channel(2);
    let out = Out {
        sender,
        buffer: Vec::with_capacity(CHUNK),
    };
    tokio::spawn(
        async move {
            let mut out = out;
            match write(&mut out, &snapshot, user, now).await {
                Ok(()) | Err(Stop::Gone) => {}
                Err(Stop::Stalled) => {
                    tracing::info!("the export stalled: the client stopped reading")
                }
                Err(Stop::Failed(error)) => {
                    tracing::error!(%error, "the export broke off");
                    let _ = out
                        .sender
                        .send(Err(io::Error::other("export failed")))
                        .await;
                }
            }
        }
        .in_current_span(),
    );
    Body::from_bytes_stream(ReceiverStream::new(receiver))
}

/// Writes the whole document, in the order of [`ExportDocument`]'s fields.
async fn write(
    out: &mut Out,
    db: &DatabaseTransaction,
    user: User,
    now: DateTime<Utc>,
) -> Result<(), Stop> {
    use store::export as rows;
    let id = user.id;
    let xp_total = store::xp::balance(db, id).await?;
    out.raw("{");
    out.field("schema_version", &SCHEMA_VERSION);
    out.field("exported_at", &Timestamp(now));
    out.field("account", &UserView::from(user));
    out.field("xp_total", &xp_total);
    out.list(
        "logins",
        |after| rows::logins(db, id, after, PAGE),
        |login| login.family_id,
        ExportLogin::from,
    )
    .await?;
    out.list(
        "habits",
        |after| rows::habits(db, id, after, PAGE),
        |habit| habit.id,
        ExportHabit::from,
    )
    .await?;
    out.list(
        "deleted_habits",
        |after| rows::deleted_habits(db, id, after, PAGE),
        |tombstone| (tombstone.sync_seq, tombstone.id),
        |tombstone| ExportDeletedHabit {
            habit_id: tombstone.habit_id,
            deleted_at: tombstone.deleted_at.into(),
        },
    )
    .await?;
    out.list(
        "check_ins",
        |after| rows::check_ins(db, id, after, PAGE),
        |check_in| (check_in.habit_id, check_in.local_date),
        ExportCheckIn::from,
    )
    .await?;
    out.list(
        "undone_check_ins",
        |after| rows::undone_check_ins(db, id, after, PAGE),
        |undone| undone.position,
        |undone| ExportUndoneCheckIn {
            habit_id: undone.habit_id,
            date: Day(undone.date),
            undone_at: undone.undone_at.into(),
        },
    )
    .await?;
    out.list(
        "pauses",
        |after| rows::pauses(db, id, after, PAGE),
        |pause| pause.id,
        PauseView::from,
    )
    .await?;
    out.list(
        "organisations",
        |after| rows::org_memberships(db, id, after, PAGE),
        |(membership, _)| membership.org_id,
        |(membership, name)| ExportOrgMembership {
            org_id: membership.org_id,
            name,
            role: Choice::of(membership.role),
            joined_at: membership.joined_at.into(),
        },
    )
    .await?;
    out.list(
        "teams",
        |after| rows::team_memberships(db, id, after, PAGE),
        |(membership, _)| membership.team_id,
        |(membership, team)| ExportTeamMembership {
            team_id: membership.team_id,
            org_id: team.org_id,
            name: team.name,
            role: Choice::of(membership.role),
            joined_at: membership.joined_at.into(),
        },
    )
    .await?;
    out.list(
        "acts",
        |after| rows::acts(db, id, after, PAGE),
        |(act, _)| (act.team_id, act.local_date, act.id),
        ExportAct::from,
    )
    .await?;
    out.list(
        "received",
        |after| rows::received(db, id, after, PAGE),
        |received| received.position,
        ExportReceived::from,
    )
    .await?;
    out.list(
        "xp_entries",
        |after| rows::xp_entries(db, id, after, PAGE),
        |(entry_id, entry)| (entry.created_at, *entry_id),
        |(entry_id, entry)| ExportXpEntry {
            id: entry_id,
            award: entry.into(),
        },
    )
    .await?;
    let badges: Vec<EarnedBadge> = store::xp::badges(db, id)
        .await?
        .into_iter()
        .map(|(code, earned_at): (Badge, _)| EarnedBadge {
            code: Choice::of(code),
            earned_at: earned_at.into(),
        })
        .collect();
    out.field("badges", &badges);
    out.list(
        "invitations",
        |after| rows::invitations(db, id, after, PAGE),
        |created| created.invitation.id,
        |created| {
            let invitation = created.invitation;
            ExportInvitation {
                id: invitation.id,
                org_id: invitation.org_id,
                role: Choice::of(invitation.role),
                team_id: invitation.team_id,
                max_uses: invitation.max_uses,
                uses: created.uses,
                expires_at: invitation.expires_at.into(),
                created_at: created.created_at.into(),
            }
        },
    )
    .await?;
    out.raw("}");
    out.flush(0).await
}
