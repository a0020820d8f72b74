//! Accounts and logins: registration, login with its failure limits, refresh
//! with rotation and reuse detection, logout. Each of these is several
//! transactions on purpose: an attempt is counted (and committed) before a
//! slow password check that no transaction should wait on.

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::{Error, Unit};
use crate::{
    auth::{
        password::Hasher,
        tokens::{REFRESH_REUSE_GRACE, TokenKeys, hash_secret, random_token, refresh_expires_at},
    },
    domain::{
        Event,
        account::{DisplayName, Email, Password},
    },
    infra::config::LimitSettings,
    store::{
        self, Lock, WriteTxn, Writer,
        constraints::{OnUnique, USERS_EMAIL_KEY},
        users::{NewUser, User},
    },
};

/// Window of the failed-login limits.
const LOGIN_WINDOW: Duration = Duration::minutes(15);
/// Window of the registration limit.
const REGISTRATION_WINDOW: Duration = Duration::hours(1);

/// A signed-in person and a fresh token pair.
pub struct Session {
    pub user: User,
    pub access_token: String,
    pub refresh_token: String,
}

pub struct Registration {
    pub email: Email,
    pub password: Password,
    pub display_name: DisplayName,
    pub timezone: Tz,
}

/// Who is asking, and what they may do: the keys tokens are signed with,
/// the hasher passwords wait their turn for, and the limits attempts are
/// held to.
pub struct Gate<'a> {
    pub writer: &'a Writer,
    pub keys: &'a TokenKeys,
    pub hasher: &'a Hasher,
    pub limits: &'a LimitSettings,
    /// The client's address, as the limits count it.
    pub client: &'a str,
    pub now: DateTime<Utc>,
}

/// Creates the account and signs it in. At most so many registrations per
/// client address per hour, counted whether or not they succeed.
pub async fn register(gate: &Gate<'_>, registration: Registration) -> Result<Session, Error> {
    let limit = gate.limits.registrations_per_address.get();
    let key = format!("register:addr:{}", gate.client);
    let (window_start, retry_after) = store::rate_limits::window(gate.now, REGISTRATION_WINDOW);
    let [hits] = hit(gate, [&key], window_start).await?;
    if hits > limit {
        return Err(Error::Limited {
            code: "too_many_registrations",
            limit,
            retry_after_secs: retry_after,
        });
    }
    let password_hash = gate.hasher.hash(registration.password.into_inner()).await?;
    let mut unit = Unit::begin(gate.writer, Lock::Nothing, gate.now).await?;
    let new_user = NewUser {
        email: registration.email,
        password_hash,
        display_name: registration.display_name,
        timezone: registration.timezone,
    };
    let user = store::users::insert(unit.txn(), new_user, gate.now)
        .await
        .on_unique(&USERS_EMAIL_KEY, || {
            Error::conflict("email_taken", "An account with this email address exists.")
        })?;
    unit.raise(Event::AccountCreated { user_id: user.id });
    let refresh_token = begin_login(unit.txn(), user.id, gate.now).await?;
    unit.commit().await?;
    session(gate.keys, gate.now, user, refresh_token)
}

/// Exchanges email and password for a token pair, starting a new login. An
/// unknown email and a wrong password are refused alike, in the same time.
/// Each attempt counts against the account, the account from this address,
/// and the address before the password is checked, so parallel guesses
/// cannot slip past the limits; a success takes its counts back.
pub async fn login(
    gate: &Gate<'_>,
    reader: &impl ConnectionTrait,
    email: &str,
    password: String,
) -> Result<Session, Error> {
    let parsed = Email::parse(email).ok();
    // Keyed by what was typed, so the counter exists alike for accounts
    // that do and do not exist.
    let typed = parsed
        .as_ref()
        .map_or_else(|| email.trim().to_lowercase(), |e| e.as_str().to_owned());
    let attempt = PasswordAttempt::count(gate, &typed).await?;

    let user = match &parsed {
        Some(email) => store::users::find_by_email(reader, email).await?,
        None => None,
    };
    let stored_hash = user.as_ref().map(|user| user.password_hash.clone());
    let verified = gate.hasher.verify(password, stored_hash).await?;
    let Some(user) = user.filter(|_| verified) else {
        return Err(wrong_credentials());
    };

    // The person's lock first, as every write of theirs: an erasure that
    // began meanwhile has taken the account, and with it this login.
    let unit = match Unit::begin(gate.writer, Lock::Person(user.id), gate.now).await {
        Err(Error::Unauthenticated { .. }) => return Err(wrong_credentials()),
        begun => begun?,
    };
    attempt.take_back(unit.txn()).await?;
    let refresh_token = begin_login(unit.txn(), user.id, gate.now).await?;
    unit.commit().await?;
    session(gate.keys, gate.now, user, refresh_token)
}

fn wrong_credentials() -> Error {
    Error::Unauthenticated {
        code: "invalid_credentials",
        detail: "The email or the password is wrong.",
    }
}

/// Spends a refresh token for a new pair. A token spent before is taken as
/// stolen: its whole login is revoked.
pub async fn refresh(
    writer: &Writer,
    keys: &TokenKeys,
    refresh_token: &str,
    now: DateTime<Utc>,
) -> Result<Session, Error> {
    let invalid = || Error::Unauthenticated {
        code: "invalid_refresh_token",
        detail: "The refresh token is unknown, revoked or expired; log in again.",
    };
    let unit = Unit::begin(writer, Lock::Nothing, now).await?;
    let token_hash = hash_secret(refresh_token);
    let token = store::refresh_tokens::find_by_hash(unit.txn(), &token_hash)
        .await?
        .filter(|token| token.revoked_at.is_none() && token.expires_at > now)
        .ok_or_else(invalid)?;
    // The person's lock before anything is written, as every write of
    // theirs takes it first: an erasure that began meanwhile has taken the
    // account and this token with it.
    if !store::users::lock(unit.txn(), token.user_id).await? {
        return Err(invalid());
    }
    let user = store::users::find(unit.txn(), token.user_id)
        .await?
        .ok_or_else(invalid)?;
    let successor = keys.successor(refresh_token);
    if !store::refresh_tokens::spend(unit.txn(), token.id, now).await? {
        // Read again: a refresh racing this one may have spent it since.
        let spent_at = store::refresh_tokens::find_by_hash(unit.txn(), &token_hash)
            .await?
            .and_then(|token| token.used_at);
        let next = store::refresh_tokens::find_by_hash(unit.txn(), &hash_secret(&successor))
            .await?
            .filter(|next| next.used_at.is_none() && next.revoked_at.is_none());
        if let (Some(spent_at), Some(_)) = (spent_at, next)
            && now - spent_at <= REFRESH_REUSE_GRACE
        {
            unit.commit().await?;
            return session(keys, now, user, successor);
        }
        store::refresh_tokens::revoke_family(unit.txn(), token.family_id, now).await?;
        unit.commit().await?;
        return Err(Error::Unauthenticated {
            code: "refresh_token_reused",
            detail: "This refresh token was already used, so this login has been revoked; log in again.",
        });
    }
    let began = store::refresh_tokens::family_began(unit.txn(), token.family_id)
        .await?
        .unwrap_or(token.created_at);
    store::refresh_tokens::insert(
        unit.txn(),
        user.id,
        token.family_id,
        hash_secret(&successor),
        now,
        refresh_expires_at(now, began),
    )
    .await?;
    unit.commit().await?;
    session(keys, now, user, successor)
}

/// Revokes the login the refresh token belongs to, if it is one.
pub async fn logout(writer: &Writer, refresh_token: &str, now: DateTime<Utc>) -> Result<(), Error> {
    let unit = Unit::begin(writer, Lock::Nothing, now).await?;
    if let Some(token) =
        store::refresh_tokens::find_by_hash(unit.txn(), &hash_secret(refresh_token)).await?
    {
        store::refresh_tokens::revoke_family(unit.txn(), token.family_id, now).await?;
    }
    unit.commit().await
}

/// A password typed for an account: at login, or to erase it. Each
/// attempt counts against the account, the account from this address, and
/// the address, before the password is checked, so parallel guesses cannot
/// slip past the limits, and guesses through either door share them.
struct PasswordAttempt {
    account_key: String,
    pair_key: String,
    address_key: String,
    window_start: DateTime<Utc>,
}

impl PasswordAttempt {
    /// Counts an attempt for the account `email` names (lower-cased), or
    /// refuses it when its limits are spent.
    async fn count(gate: &Gate<'_>, email: &str) -> Result<Self, Error> {
        let account_key = account_key(email);
        let pair_key = format!("{account_key}:addr:{}", gate.client);
        let address_key = format!("login:addr:{}", gate.client);
        let (window_start, retry_after) = store::rate_limits::window(gate.now, LOGIN_WINDOW);
        let [account_hits, pair_hits, address_hits] =
            hit(gate, [&account_key, &pair_key, &address_key], window_start).await?;
        let account_limit = gate.limits.login_failures_per_account.get();
        let address_limit = gate.limits.login_failures_per_address.get();
        // An account over its limit is locked only for the addresses its
        // failures came from: from a clean address, the person still gets
        // one try per window, so a guesser elsewhere cannot lock them out.
        let locked_here = account_hits > account_limit && pair_hits > 1;
        for (over, limit) in [
            (locked_here, account_limit),
            (address_hits > address_limit, address_limit),
        ] {
            if over {
                return Err(Error::Limited {
                    code: "too_many_login_attempts",
                    limit,
                    retry_after_secs: retry_after,
                });
            }
        }
        Ok(Self {
            account_key,
            pair_key,
            address_key,
            window_start,
        })
    }

    /// The password was right: the attempt takes its counts back.
    async fn take_back(&self, txn: &WriteTxn) -> Result<(), Error> {
        store::rate_limits::clear(txn, &self.account_key).await?;
        store::rate_limits::clear(txn, &self.pair_key).await?;
        store::rate_limits::unhit(txn, &self.address_key, self.window_start).await?;
        Ok(())
    }
}

/// The key the failed-password limit counts an account's attempts under:
/// a hash of its email, so that the counter names no address.
pub(super) fn account_key(email: &str) -> String {
    format!("login:account:{}", hash_secret(email))
}

/// Checks the signed-in person's password before something that needs it
/// (erasing the account), counted and limited with the logins of the
/// account; a wrong one is a 403 `wrong_password`, a right one takes its
/// count back.
pub(super) async fn confirm_password(
    gate: &Gate<'_>,
    user: &User,
    password: String,
) -> Result<(), Error> {
    let attempt = PasswordAttempt::count(gate, &user.email).await?;
    let stored = Some(user.password_hash.clone());
    if !gate.hasher.verify(password, stored).await? {
        return Err(Error::Refused {
            code: "wrong_password",
            detail: "The password is wrong.",
        });
    }
    let unit = Unit::begin(gate.writer, Lock::Nothing, gate.now).await?;
    attempt.take_back(unit.txn()).await?;
    unit.commit().await
}

/// Counts one attempt under each of `keys`, in one transaction committed at
/// once so that the counts hold whatever happens next; the window's
/// attempts so far under each.
async fn hit<const N: usize>(
    gate: &Gate<'_>,
    keys: [&str; N],
    window_start: DateTime<Utc>,
) -> Result<[u32; N], Error> {
    let unit = Unit::begin(gate.writer, Lock::Nothing, gate.now).await?;
    let mut hits = [0; N];
    for (count, key) in hits.iter_mut().zip(keys) {
        *count = store::rate_limits::hit(unit.txn(), key, window_start).await?;
    }
    unit.commit().await?;
    Ok(hits)
}

/// The first refresh token of a new login (a new family).
async fn begin_login(txn: &WriteTxn, user_id: Uuid, now: DateTime<Utc>) -> Result<String, Error> {
    let token = random_token();
    let expires_at = refresh_expires_at(now, now);
    store::refresh_tokens::insert(
        txn,
        user_id,
        Uuid::now_v7(),
        hash_secret(&token),
        now,
        expires_at,
    )
    .await?;
    Ok(token)
}

fn session(
    keys: &TokenKeys,
    now: DateTime<Utc>,
    user: User,
    refresh_token: String,
) -> Result<Session, Error> {
    Ok(Session {
        access_token: keys.issue_access(user.id, now).map_err(Error::internal)?,
        user,
        refresh_token,
    })
}
