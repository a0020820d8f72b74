//! Closed sets of names (roles, kinds, visibilities, categories…), each
//! written once, as an enum: strum derives parsing, each value's name and the
//! list of them, so a new value is one line. Values are stored and sent by
//! their snake_case names.

use std::str::FromStr;

use strum::{VariantArray, VariantNames};

/// A value from a fixed list of names. Implemented for every enum that
/// derives `EnumString`, `IntoStaticStr`, `VariantArray` and `VariantNames`.
pub trait Named:
    Copy + Eq + FromStr + VariantArray + VariantNames + Into<&'static str> + 'static
{
    /// The value named `raw`, or the message for a field that names none.
    fn parse(raw: &str) -> Result<Self, String> {
        raw.parse()
            .map_err(|_| format!("must be one of {}", Self::names().join(", ")))
    }

    /// The value's name, as stored and sent.
    fn as_str(self) -> &'static str {
        self.into()
    }

    /// Every value, in the enum's order.
    fn all() -> &'static [Self] {
        <Self as VariantArray>::VARIANTS
    }

    /// Every value's name, in the enum's order.
    fn names() -> &'static [&'static str] {
        <Self as VariantNames>::VARIANTS
    }
}

impl<T> Named for T where
    T: Copy + Eq + FromStr + VariantArray + VariantNames + Into<&'static str> + 'static
{
}
