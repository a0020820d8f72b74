//! Everything the tests share, in one place: the harness that builds the app
//! on a fresh database ([`harness`]) and checks every status it answers
//! against the OpenAPI document ([`openapi`]), small request verbs
//! ([`http`]), route paths ([`paths`]), problem and 422 readers
//! ([`problems`]), and the set-up of organisations and teams ([`orgs`]) and
//! of habits ([`habits`]). A test file imports `crate::support::*` and
//! never another test file.

pub mod habits;
pub mod harness;
pub mod http;
pub mod openapi;
pub mod orgs;
pub mod paths;
pub mod problems;
pub mod tables;

pub use habits::*;
pub use harness::*;
pub use http::*;
pub use openapi::checked;
pub use orgs::*;
pub use paths::*;
pub use problems::*;
pub use tables::*;
