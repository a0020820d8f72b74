//! The general request limit: so many requests per caller per minute, counted
//! by each instance in memory with governor's GCRA.
//!
//! This one is per instance on purpose: checking a shared counter on every
//! request would cost a database round-trip per request, and this limit
//! protects an instance's capacity rather than an account. Behind a load
//! balancer with N instances a caller may reach up to N times the limit. The
//! limits that protect accounts (failed logins, registrations) are kept in the
//! database instead and hold across instances.

use std::num::NonZeroU32;

use governor::{
    Quota, RateLimiter,
    clock::{Clock, DefaultClock},
    middleware::StateInformationMiddleware,
    state::keyed::DefaultKeyedStateStore,
};

use super::problem::ApiError;

type Keyed =
    RateLimiter<String, DefaultKeyedStateStore<String>, DefaultClock, StateInformationMiddleware>;

pub struct RequestLimiter {
    limiter: Keyed,
    per_minute: NonZeroU32,
}

/// How much of the limit is left after an allowed request.
pub struct Allowance {
    pub limit: u32,
    pub remaining: u32,
}

impl RequestLimiter {
    pub fn per_minute(per_minute: NonZeroU32) -> Self {
        Self {
            limiter: RateLimiter::keyed(Quota::per_minute(per_minute))
                .with_middleware::<StateInformationMiddleware>(),
            per_minute,
        }
    }

    pub fn check(&self, caller: &str) -> Result<Allowance, ApiError> {
        match self.limiter.check_key(&caller.to_owned()) {
            Ok(snapshot) => Ok(Allowance {
                limit: self.per_minute.get(),
                remaining: snapshot.remaining_burst_capacity(),
            }),
            Err(not_until) => {
                let wait = not_until.wait_time_from(self.limiter.clock().now());
                Err(ApiError::rate_limited(
                    "rate_limited",
                    self.per_minute.get(),
                    wait.as_secs_f64().ceil() as u64,
                ))
            }
        }
    }

    /// Forgets callers whose allowance is full again, to bound memory.
    pub fn forget_idle(&self) {
        self.limiter.retain_recent();
        self.limiter.shrink_to_fit();
    }
}
