//! Authentication: password hashing, access and refresh tokens, and the
//! bearer security scheme that guards operations.

pub mod password;
pub mod scheme;
pub mod tokens;
