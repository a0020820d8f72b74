//! Authentication's primitives: password hashing and access and refresh
//! tokens. No state and no HTTP: called by `service`, and by the bearer
//! scheme at the edge.

pub mod password;
pub mod tokens;
