//! Changes to a person's own account, and its erasure.

use std::collections::BTreeMap;

use uuid::Uuid;

use super::{Error, Unit, auth::Gate};
use crate::{
    domain::xp::Award,
    store::{
        self, Lock,
        users::{ProfileChanges, User},
    },
};

/// Award keys renamed by one statement at most, well inside both
/// databases' limits on bound values.
const RENAMED_PER_STATEMENT: usize = 500;

/// Changes the display name, timezone or day start. An account gone since
/// its token was issued is refused like the token.
pub async fn update_profile(
    unit: &mut Unit,
    user_id: Uuid,
    changes: ProfileChanges,
) -> Result<User, Error> {
    store::users::update_profile(unit.txn(), user_id, changes, unit.now)
        .await?
        .ok_or_else(Error::account_gone)
}

/// Erases the account, once its password is confirmed, in one
/// transaction: every row that is only the person's goes (see
/// [`store::users::delete`]), and with it every token, since a token is
/// only accepted while its account exists. An organisation the person
/// owns with nobody else in it goes too; one with other members but no
/// other owner is a 409 `last_owner`, and then nothing changes. The
/// invitations they created are withdrawn, the awards of others that name
/// them (thanks they gave) name nobody, and the failed-password counters of
/// the account are forgotten.
pub async fn erase(gate: &Gate<'_>, user: &User, password: String) -> Result<(), Error> {
    super::auth::confirm_password(gate, user, password).await?;
    let unit = Unit::begin(gate.writer, Lock::Person(user.id), gate.now).await?;
    let owned = store::orgs::owned_by(unit.txn(), user.id).await?;
    // Locked before they are counted, so that nobody joins an organisation
    // that is about to go, nor is left in one without an owner.
    for org in &owned {
        store::orgs::lock(unit.txn(), org.id).await?;
    }
    for org in &owned {
        match store::orgs::others(unit.txn(), org.id, user.id).await? {
            (0, _) => store::orgs::delete(unit.txn(), org.id).await?,
            (_, 0) => {
                return Err(Error::conflict(
                    "last_owner",
                    format!(
                        "You are the only owner of {:?}, which has other members: make one of \
                         them owner first.",
                        org.name
                    ),
                ));
            }
            _ => {}
        }
    }
    store::orgs::delete_invitations_by(unit.txn(), user.id).await?;
    // The thanks they gave stay earned by the authors, named by an id of
    // no one: one per erasure, so that the renamed keys stay distinct. One
    // statement per author and few hundred keys.
    let pseudonym = Uuid::new_v4();
    let mut thanks: BTreeMap<Uuid, Vec<String>> = BTreeMap::new();
    for (act_id, author_id) in store::xp::thanked_by(unit.txn(), user.id).await? {
        let key = Award::thanks_received(author_id, act_id, user.id).key();
        thanks.entry(author_id).or_default().push(key);
    }
    for (author_id, keys) in thanks {
        for keys in keys.chunks(RENAMED_PER_STATEMENT) {
            store::xp::rename_in_keys(unit.txn(), author_id, keys, user.id, pseudonym).await?;
        }
    }
    store::rate_limits::clear_prefixed(unit.txn(), &super::auth::account_key(&user.email)).await?;
    store::users::delete(unit.txn(), user.id).await?;
    unit.commit().await
}
