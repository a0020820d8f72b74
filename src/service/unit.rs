//! A unit of work: one write transaction, holding its lock, with the events
//! its use-cases raised, and the one place where reactions to those events
//! are written before the commit.

use chrono::{DateTime, Utc};
use sea_orm::DbErr;

use super::Error;
use crate::{
    domain::Event,
    store::{Lock, WriteTxn, Writer},
};

pub struct Unit {
    txn: WriteTxn,
    events: Vec<Event>,
    /// The instant the use-case happens at.
    pub now: DateTime<Utc>,
}

impl Unit {
    /// Begins the unit, taking `lock`. A person's lock whose account is
    /// gone refuses the request like the token it came with: a write that
    /// waited on the person's erasure writes nothing of theirs after it.
    pub async fn begin(writer: &Writer, lock: Lock, now: DateTime<Utc>) -> Result<Self, Error> {
        let txn = match writer.begin(lock).await {
            Err(DbErr::RecordNotFound(_)) if matches!(lock, Lock::Person(_)) => {
                return Err(Error::account_gone());
            }
            begun => begun?,
        };
        Ok(Self {
            txn,
            events: Vec::new(),
            now,
        })
    }

    /// For the store's reads and writes inside this unit.
    pub fn txn(&self) -> &WriteTxn {
        &self.txn
    }

    pub fn raise(&mut self, event: Event) {
        self.events.push(event);
    }

    /// Writes the reactions to the events raised, then commits: a change
    /// is never stored without its reactions, nor they without it.
    pub async fn commit(self) -> Result<(), Error> {
        react(&self.txn, self.now, &self.events).await?;
        self.txn.commit().await?;
        Ok(())
    }
}

/// Every reaction to a write, inside its transaction: the one call site for
/// what a change sets off (XP and badges, challenges completed; the
/// membership history reports count from, webhook outbox rows and audit
/// rows when they exist).
async fn react(txn: &WriteTxn, now: DateTime<Utc>, events: &[Event]) -> Result<(), Error> {
    for event in events {
        tracing::debug!(?event, "event");
    }
    super::game::react(txn, now, events).await?;
    super::challenges::react(txn, now, events).await
}
