//! Access tokens (HS256 JWTs, 15 minutes) and refresh tokens (256 random bits,
//! stored only as SHA-256 hashes).
//!
//! The algorithm is pinned, and `exp`, `iat`, `iss`, `aud`, `sub` and `jti` are
//! all required with the right types: a token without `aud`, with a string
//! `exp`, signed with `none` or another key, or altered, is refused. Expiry is
//! checked against the service's clock so tests can move time.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::{DateTime, Duration, Utc};
use hmac::{Hmac, Mac};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, encode};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

pub const ISSUER: &str = "kindling";
pub const AUDIENCE: &str = "kindling-api";
pub const ACCESS_TOKEN_TTL: Duration = Duration::minutes(15);
pub const REFRESH_TOKEN_TTL: Duration = Duration::days(30);
/// However often it is refreshed, a login ends this long after it began:
/// then the person logs in again.
pub const LOGIN_LIFETIME: Duration = Duration::days(90);
/// How long after a refresh token is spent the same token still gets the
/// pair its first use got: a client that fired it twice (a retry after a
/// lost answer, two requests at once) is not logged out for it.
pub const REFRESH_REUSE_GRACE: Duration = Duration::seconds(30);

/// When a refresh token issued at `now`, in a login begun at `login_began`,
/// stops working: 30 days on, but never after the login's end.
pub fn refresh_expires_at(now: DateTime<Utc>, login_began: DateTime<Utc>) -> DateTime<Utc> {
    (now + REFRESH_TOKEN_TTL).min(login_began + LOGIN_LIFETIME)
}
/// Shortest accepted signing secret, in bytes (HS256 wants 256 bits).
pub const MIN_SECRET_BYTES: usize = 32;
/// Tolerated clock difference between instances, for `iat`.
const LEEWAY: Duration = Duration::seconds(60);

/// Why an access token was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    /// Forged, altered, malformed, or with a claim missing or wrong.
    #[error("the access token is not valid")]
    Invalid,
    #[error("the access token has expired")]
    Expired,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct Claims {
    pub sub: Uuid,
    pub exp: i64,
    pub iat: i64,
    pub iss: String,
    pub aud: String,
    pub jti: Uuid,
}

impl Claims {
    /// The claims of an access token for `user_id`, issued `now`, with the
    /// id `jti`.
    pub fn access(user_id: Uuid, now: DateTime<Utc>, jti: Uuid) -> Self {
        Self {
            sub: user_id,
            exp: (now + ACCESS_TOKEN_TTL).timestamp(),
            iat: now.timestamp(),
            iss: ISSUER.to_owned(),
            aud: AUDIENCE.to_owned(),
            jti,
        }
    }
}

pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    /// Keys the refresh token that follows a spent one (see
    /// [`TokenKeys::successor`]).
    successors: Hmac<Sha256>,
}

impl TokenKeys {
    pub fn new(secret: &[u8]) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_required_spec_claims(&["exp", "iat", "iss", "aud", "sub"]);
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        // Expiry is compared with the injected clock below.
        validation.validate_exp = false;
        Self {
            successors: Hmac::new_from_slice(secret).expect("HMAC takes a key of any length"),
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
        }
    }

    pub fn issue_access(
        &self,
        user_id: Uuid,
        now: DateTime<Utc>,
    ) -> Result<String, jsonwebtoken::errors::Error> {
        self.sign(&Claims::access(user_id, now, Uuid::now_v7()))
    }

    /// The access token that carries `claims`.
    pub fn sign(&self, claims: &Claims) -> Result<String, jsonwebtoken::errors::Error> {
        encode(&Header::new(Algorithm::HS256), claims, &self.encoding)
    }

    pub fn verify_access(&self, token: &str, now: DateTime<Utc>) -> Result<Claims, TokenError> {
        let claims = decode::<Claims>(token, &self.decoding, &self.validation)
            .map_err(|_| TokenError::Invalid)?
            .claims;
        if claims.exp <= now.timestamp() {
            return Err(TokenError::Expired);
        }
        if claims.iat > (now + LEEWAY).timestamp() {
            return Err(TokenError::Invalid);
        }
        Ok(claims)
    }

    /// The refresh token issued when `spent` is spent: an HMAC of it under
    /// the signing secret, so that a retry within the grace gets the same
    /// token back although only hashes are stored, and nobody without the
    /// secret can tell it from a random one.
    pub fn successor(&self, spent: &str) -> String {
        let mut mac = self.successors.clone();
        mac.update(b"kindling refresh successor\0");
        mac.update(spent.as_bytes());
        URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
    }
}

/// A new opaque bearer secret (a refresh token, an invitation code): 256
/// random bits, base64url.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// What is stored of a refresh token (or any other bearer secret).
pub fn hash_secret(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// A new random signing secret, for when none is configured.
pub fn new_signing_secret() -> String {
    let mut bytes = [0u8; 48];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refresh_token_lasts_thirty_days_but_never_past_the_end_of_its_login() {
        let began = DateTime::parse_from_rfc3339("2026-01-01T00:00:00Z")
            .unwrap()
            .to_utc();
        assert_eq!(refresh_expires_at(began, began), began + Duration::days(30));
        let day = |n| began + Duration::days(n);
        assert_eq!(refresh_expires_at(day(59), began), day(89));
        assert_eq!(refresh_expires_at(day(60), began), day(90));
        assert_eq!(refresh_expires_at(day(85), began), day(90));
    }

    fn keys() -> TokenKeys {
        TokenKeys::new(b"a test secret that is long enough!!")
    }

    #[test]
    fn a_token_verifies_until_it_expires() {
        let now = Utc::now();
        let user = Uuid::now_v7();
        let token = keys().issue_access(user, now).unwrap();
        assert_eq!(keys().verify_access(&token, now).unwrap().sub, user);
        let later = now + ACCESS_TOKEN_TTL;
        assert_eq!(
            keys().verify_access(&token, later).unwrap_err(),
            TokenError::Expired
        );
    }

    #[test]
    fn a_token_from_another_key_is_refused() {
        let now = Utc::now();
        let token = TokenKeys::new(b"another secret, also long enough!!")
            .issue_access(Uuid::now_v7(), now)
            .unwrap();
        assert_eq!(
            keys().verify_access(&token, now).unwrap_err(),
            TokenError::Invalid
        );
    }

    #[test]
    fn refresh_tokens_are_unique_and_hash_stably() {
        let (a, b) = (random_token(), random_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert_eq!(hash_secret(&a), hash_secret(&a));
        assert_ne!(hash_secret(&a), hash_secret(&b));
    }
}
