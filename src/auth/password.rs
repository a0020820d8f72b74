//! argon2id password hashing with OWASP's parameters (m = 19 MiB, t = 2,
//! p = 1). Hashing is deliberately slow, so it runs on the blocking pool,
//! never on the async threads, and a [`Hasher`] runs only so many at once:
//! each holds 19 MiB while it runs, so a burst of logins waits its turn
//! instead of taking the process's memory.

use std::sync::{Arc, LazyLock};

use tokio::sync::Semaphore;

use argon2::{
    Algorithm, Argon2, Params, PasswordHash, PasswordHasher, PasswordVerifier, Version,
    password_hash::{SaltString, rand_core::OsRng},
};

fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("OWASP argon2 parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// A hash of a random password, verified against when the email is unknown so
/// that a login for an unknown account takes as long as one with a wrong
/// password.
static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| {
    let salt = SaltString::generate(&mut OsRng);
    argon2()
        .hash_password(uuid::Uuid::new_v4().as_bytes(), &salt)
        .expect("hashing a random password")
        .to_string()
});

/// Hashes and checks passwords, at most `concurrency` at a time; the others
/// wait for a turn.
pub struct Hasher {
    turns: Arc<Semaphore>,
}

impl Hasher {
    pub fn new(concurrency: usize) -> Self {
        Self {
            turns: Arc::new(Semaphore::new(concurrency.max(1))),
        }
    }

    pub async fn hash(&self, password: String) -> anyhow::Result<String> {
        self.in_turn(move || {
            let salt = SaltString::generate(&mut OsRng);
            argon2()
                .hash_password(password.as_bytes(), &salt)
                .map(|hash| hash.to_string())
                .map_err(|error| anyhow::anyhow!("hashing a password: {error}"))
        })
        .await
    }

    /// Checks `password` against `stored` (constant time, inside argon2), or
    /// against a dummy hash when there is no account, returning false then.
    pub async fn verify(&self, password: String, stored: Option<String>) -> anyhow::Result<bool> {
        self.in_turn(move || {
            let account_exists = stored.is_some();
            let stored = stored.unwrap_or_else(|| DUMMY_HASH.clone());
            let parsed = PasswordHash::new(&stored)
                .map_err(|error| anyhow::anyhow!("reading a stored password hash: {error}"))?;
            let matches = argon2()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok();
            Ok(matches && account_exists)
        })
        .await
    }

    /// Runs `work` on the blocking pool once a turn is free, holding the turn
    /// until it is done.
    async fn in_turn<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> anyhow::Result<T> + Send + 'static,
    ) -> anyhow::Result<T> {
        let turn = self.turns.clone().acquire_owned().await?;
        tokio::task::spawn_blocking(move || {
            let _turn = turn;
            work()
        })
        .await?
    }
}

/// Builds the dummy hash ahead of the first login, off the request path.
pub fn warm_up() {
    LazyLock::force(&DUMMY_HASH);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_waits_while_every_turn_is_taken() {
        let hasher = Arc::new(Hasher::new(1));
        let only_turn = hasher.turns.clone().acquire_owned().await.unwrap();
        let waiting = tokio::spawn({
            let hasher = hasher.clone();
            async move { hasher.hash("correct horse battery".to_owned()).await }
        });
        for _ in 0..20 {
            tokio::task::yield_now().await;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        assert!(!waiting.is_finished(), "a hash ran without a turn");
        drop(only_turn);
        let hash = waiting.await.unwrap().unwrap();
        assert!(
            hasher
                .verify("correct horse battery".to_owned(), Some(hash))
                .await
                .unwrap()
        );
        assert_eq!(
            hasher.turns.available_permits(),
            1,
            "every turn is given back"
        );
    }
}
