//! A JSON answer written while it is read from the database, so that a
//! large one never sits in memory whole. The document describes it as the
//! object `T` it adds up to.

use std::marker::PhantomData;

use poem::{Body, IntoResponse, Response};
use poem_openapi::{
    payload::Payload,
    registry::{MetaSchemaRef, Registry},
    types::Type,
};

/// A body of JSON that adds up to one `T`.
pub struct StreamedJson<T>(Body, PhantomData<fn() -> T>);

impl<T> StreamedJson<T> {
    pub fn new(body: Body) -> Self {
        Self(body, PhantomData)
    }
}

impl<T: Type> Payload for StreamedJson<T> {
    const CONTENT_TYPE: &'static str = "application/json; charset=utf-8";

    fn schema_ref() -> MetaSchemaRef {
        T::schema_ref()
    }

    fn register(registry: &mut Registry) {
        T::register(registry);
    }
}

impl<T: Type> IntoResponse for StreamedJson<T> {
    fn into_response(self) -> Response {
        Response::builder()
            .content_type(Self::CONTENT_TYPE)
            .body(self.0)
    }
}
