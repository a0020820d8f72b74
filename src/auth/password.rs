//! argon2id password hashing with OWASP's parameters (m = 19 MiB, t = 2,
//! p = 1). Hashing is deliberately slow, so it runs on the blocking pool,
//! never on the async threads, and a [`Hasher`] runs only so many at once:
//! each holds 19 MiB while it runs, so a burst of logins waits its turn
//! instead of taking the process's memory.
//!
//! That memory is argon2's blocks, kept in a pool of one set per turn and
//! reused. Left to allocate its own, argon2 took a fresh 19 MiB for every
//! hash, which the allocator kept in the arena of whichever blocking thread
//! ran it: resident memory grew with every thread that had ever hashed
//! (390 MiB after 100 logins). Hashing and checking in the pool's blocks is
//! what `PasswordHasher::hash_password` and `PasswordVerifier::verify_password`
//! do, with the memory handed in (`hash_password_into_with_memory`); the
//! tests check each against the other.

use std::sync::{Arc, LazyLock, Mutex};

use tokio::sync::Semaphore;

use argon2::{
    Algorithm, Argon2, Block, Params, PasswordHash, PasswordHasher, Version,
    password_hash::{self, Output, ParamsString, Salt, SaltString, rand_core::OsRng},
};

fn params() -> Params {
    Params::new(19 * 1024, 2, 1, None).expect("OWASP argon2 parameters are valid")
}

/// A hash of a random password, verified against when the email is unknown so
/// that a login for an unknown account takes as long as one with a wrong
/// password.
static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params())
        .hash_password(uuid::Uuid::new_v4().as_bytes(), &salt)
        .expect("hashing a random password")
        .to_string()
});

/// Hashes and checks passwords, at most `concurrency` at a time; the others
/// wait for a turn.
pub struct Hasher {
    turns: Arc<Semaphore>,
    memory: Arc<Pool>,
}

/// Sets of argon2 blocks, one per turn at most: a turn takes one (or makes
/// it, the first time) and puts it back, wiped, when it is done. A set grown
/// past this service's parameters, to check a hash made with more memory,
/// is let go rather than kept.
#[derive(Default)]
struct Pool(Mutex<Vec<Vec<Block>>>);

impl Pool {
    fn take(&self) -> Vec<Block> {
        self.0
            .lock()
            .expect("the pool's lock")
            .pop()
            .unwrap_or_default()
    }

    fn give(&self, mut blocks: Vec<Block>) {
        if blocks.len() > params().block_count() {
            return;
        }
        blocks.fill(Block::new());
        self.0.lock().expect("the pool's lock").push(blocks);
    }
}

impl Hasher {
    pub fn new(concurrency: usize) -> Self {
        Self {
            turns: Arc::new(Semaphore::new(concurrency.max(1))),
            memory: Arc::default(),
        }
    }

    pub async fn hash(&self, password: String) -> anyhow::Result<String> {
        self.in_turn(move |blocks| {
            let salt = SaltString::generate(&mut OsRng);
            hash_in(blocks, password.as_bytes(), &salt)
                .map_err(|error| anyhow::anyhow!("hashing a password: {error}"))
        })
        .await
    }

    /// Checks `password` against `stored` (constant time), or against a
    /// dummy hash when there is no account, returning false then.
    pub async fn verify(&self, password: String, stored: Option<String>) -> anyhow::Result<bool> {
        self.in_turn(move |blocks| {
            let account_exists = stored.is_some();
            let stored = stored.unwrap_or_else(|| DUMMY_HASH.clone());
            let parsed = PasswordHash::new(&stored)
                .map_err(|error| anyhow::anyhow!("reading a stored password hash: {error}"))?;
            let matches = verify_in(blocks, password.as_bytes(), &parsed).unwrap_or(false);
            Ok(matches && account_exists)
        })
        .await
    }

    /// Runs `work` on the blocking pool once a turn is free, in the turn's
    /// blocks, holding the turn until it is done.
    async fn in_turn<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut Vec<Block>) -> anyhow::Result<T> + Send + 'static,
    ) -> anyhow::Result<T> {
        let turn = self.turns.clone().acquire_owned().await?;
        let memory = self.memory.clone();
        tokio::task::spawn_blocking(move || {
            let _turn = turn;
            let mut blocks = memory.take();
            let done = work(&mut blocks);
            memory.give(blocks);
            done
        })
        .await?
    }
}

/// The first `params.block_count()` of `blocks`, grown to that many first.
fn sized<'a>(blocks: &'a mut Vec<Block>, params: &Params) -> &'a mut [Block] {
    let count = params.block_count();
    if blocks.len() < count {
        blocks.resize(count, Block::new());
    }
    &mut blocks[..count]
}

/// `password` hashed with `salt` under this service's parameters, as the
/// PHC string `PasswordHasher::hash_password` writes, working in `blocks`.
fn hash_in(
    blocks: &mut Vec<Block>,
    password: &[u8],
    salt: &SaltString,
) -> password_hash::Result<String> {
    let params = params();
    let argon2 = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
    let salt = salt.as_salt();
    let output = output_in(
        blocks,
        &argon2,
        &params,
        password,
        salt,
        Params::DEFAULT_OUTPUT_LEN,
    )?;
    let hash = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params)?,
        salt: Some(salt),
        hash: Some(output),
    };
    Ok(hash.to_string())
}

/// Whether `password` hashes to `stored`'s output under `stored`'s own
/// algorithm, version, parameters and salt, as
/// `PasswordVerifier::verify_password` decides it (`Output`s compare in
/// constant time), working in `blocks`.
fn verify_in(
    blocks: &mut Vec<Block>,
    password: &[u8],
    stored: &PasswordHash,
) -> password_hash::Result<bool> {
    let (Some(salt), Some(expected)) = (stored.salt, stored.hash) else {
        return Ok(false);
    };
    let algorithm = Algorithm::try_from(stored.algorithm)?;
    let version = stored
        .version
        .map(Version::try_from)
        .transpose()?
        .unwrap_or_default();
    let params = Params::try_from(stored)?;
    let argon2 = Argon2::new(algorithm, version, params.clone());
    let computed = output_in(blocks, &argon2, &params, password, salt, expected.len())?;
    Ok(computed == expected)
}

/// The `len` bytes `argon2` (of `params`) derives from `password` and
/// `salt` (decoded from its base64, as `PasswordHasher::hash_password`
/// does), working in `blocks`.
fn output_in(
    blocks: &mut Vec<Block>,
    argon2: &Argon2,
    params: &Params,
    password: &[u8],
    salt: Salt,
    len: usize,
) -> password_hash::Result<Output> {
    let mut salt_bytes = [0u8; 64];
    let salt_bytes = salt.decode_b64(&mut salt_bytes)?;
    Output::init_with(len, |out| {
        Ok(argon2.hash_password_into_with_memory(
            password,
            salt_bytes,
            out,
            sized(blocks, params),
        )?)
    })
}

/// Builds the dummy hash ahead of the first login, off the request path.
pub fn warm_up() {
    LazyLock::force(&DUMMY_HASH);
}

#[cfg(test)]
mod tests {
    use argon2::PasswordVerifier;

    use super::*;

    fn stock() -> Argon2<'static> {
        Argon2::new(Algorithm::Argon2id, Version::V0x13, params())
    }

    #[test]
    fn the_pools_hashes_and_the_stock_ones_verify_each_other() {
        let mut blocks = Vec::new();
        let salt = SaltString::generate(&mut OsRng);
        let ours = hash_in(&mut blocks, b"kettle lantern", &salt).unwrap();
        let theirs = stock()
            .hash_password(b"kettle lantern", &salt)
            .unwrap()
            .to_string();
        assert_eq!(ours, theirs, "the same salt makes the same PHC string");

        let theirs = stock().hash_password(b"meadow 42", &salt).unwrap();
        // The same blocks, reused: nothing of the hash before leaks in.
        assert!(verify_in(&mut blocks, b"meadow 42", &theirs).unwrap());
        assert!(!verify_in(&mut blocks, b"meadow 43", &theirs).unwrap());
        let ours = PasswordHash::new(&ours).unwrap();
        assert!(stock().verify_password(b"kettle lantern", &ours).is_ok());
        assert!(verify_in(&mut blocks, b"kettle lantern", &ours).unwrap());
    }

    #[test]
    fn a_hash_of_other_parameters_is_checked_under_its_own() {
        let salt = SaltString::generate(&mut OsRng);
        let older = Argon2::new(
            Algorithm::Argon2id,
            Version::V0x13,
            Params::new(8 * 1024, 3, 1, None).unwrap(),
        );
        let hash = older.hash_password(b"kettle lantern", &salt).unwrap();
        let mut blocks = Vec::new();
        assert!(verify_in(&mut blocks, b"kettle lantern", &hash).unwrap());
        assert!(!verify_in(&mut blocks, b"kettle lanterns", &hash).unwrap());
    }

    #[tokio::test]
    async fn a_set_grown_for_a_hash_of_more_memory_is_not_kept() {
        let salt = SaltString::generate(&mut OsRng);
        let larger = Params::new(32 * 1024, 1, 1, None).unwrap();
        let hash = Argon2::new(Algorithm::Argon2id, Version::V0x13, larger)
            .hash_password(b"kettle lantern", &salt)
            .unwrap()
            .to_string();
        let hasher = Hasher::new(1);
        assert!(
            hasher
                .verify("kettle lantern".to_owned(), Some(hash))
                .await
                .unwrap()
        );
        assert!(hasher.memory.0.lock().unwrap().is_empty());
        hasher.hash("kettle lantern".to_owned()).await.unwrap();
        assert_eq!(hasher.memory.0.lock().unwrap().len(), 1);
    }

    #[tokio::test]
    async fn the_pool_holds_one_set_of_blocks_per_turn_at_most() {
        let hasher = Arc::new(Hasher::new(2));
        let hash = hasher.hash("kettle lantern".to_owned()).await.unwrap();
        let checks = (0..6).map(|_| {
            let (hasher, hash) = (hasher.clone(), hash.clone());
            tokio::spawn(
                async move { hasher.verify("kettle lantern".to_owned(), Some(hash)).await },
            )
        });
        for check in checks.collect::<Vec<_>>() {
            assert!(check.await.unwrap().unwrap());
        }
        let pool = hasher.memory.0.lock().unwrap();
        assert!(!pool.is_empty() && pool.len() <= 2, "{} sets", pool.len());
        assert!(
            pool.iter()
                .all(|blocks| blocks.len() == params().block_count())
        );
    }

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
