//! Account fields, parsed: a value of these types is valid by construction.

use chrono_tz::Tz;

use super::text::{check_visible, normalise_line};

/// An email address, NFKC-normalised and lower-cased, so that one address
/// (however it is typed) is one account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let email = normalise_line(raw).to_lowercase();
        let invalid = || Err("must be an email address such as ana@example.com".to_owned());
        if email.len() > 254
            || email.chars().any(char::is_whitespace)
            || check_visible(&email).is_err()
        {
            return invalid();
        }
        match email.split_once('@') {
            Some((local, domain))
                if !local.is_empty()
                    && local.len() <= 64
                    && !domain.contains('@')
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.') =>
            {
                Ok(Self(email))
            }
            _ => invalid(),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A password of 8 to 128 characters. Never logged: `Debug` hides it.
pub struct Password(String);

impl Password {
    pub const MIN_CHARS: usize = 8;
    pub const MAX_CHARS: usize = 128;

    pub fn parse(raw: &str) -> Result<Self, String> {
        let chars = raw.chars().count();
        if (Self::MIN_CHARS..=Self::MAX_CHARS).contains(&chars) {
            Ok(Self(raw.to_owned()))
        } else {
            Err(format!(
                "must be {} to {} characters",
                Self::MIN_CHARS,
                Self::MAX_CHARS
            ))
        }
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(***)")
    }
}

/// A display name: NFKC-normalised, 1 to 80 characters after trimming,
/// every one of them visible.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisplayName(String);

impl DisplayName {
    pub const MAX_CHARS: usize = 80;

    pub fn parse(raw: &str) -> Result<Self, String> {
        let name = normalise_line(raw);
        let chars = name.chars().count();
        if chars == 0 || chars > Self::MAX_CHARS {
            return Err(format!("must be 1 to {} characters", Self::MAX_CHARS));
        }
        check_visible(&name)?;
        Ok(Self(name))
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

/// An IANA timezone name known to chrono-tz, such as `Europe/London`.
pub fn parse_timezone(raw: &str) -> Result<Tz, String> {
    raw.parse::<Tz>()
        .map_err(|_| "unknown timezone; use an IANA name such as Europe/London".to_owned())
}

/// The hour (0–6) at which a person's day begins: with 2, a check-in at 01:30
/// counts for the day before.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayStartHour(i16);

impl DayStartHour {
    /// The latest hour a day may begin at.
    pub const LATEST: i64 = 6;

    pub fn parse(raw: i64) -> Result<Self, String> {
        match i16::try_from(raw) {
            Ok(hour) if (0..=Self::LATEST).contains(&i64::from(hour)) => Ok(Self(hour)),
            _ => Err(format!("must be an hour from 0 to {}", Self::LATEST)),
        }
    }

    pub fn get(self) -> i16 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_trimmed_and_lower_cased() {
        assert_eq!(
            Email::parse("  Ana@Example.COM ").unwrap().as_str(),
            "ana@example.com"
        );
    }

    #[test]
    fn malformed_emails_are_refused() {
        for (raw, why) in [
            ("", "empty"),
            ("ana", "no @"),
            ("@example.com", "no local part"),
            ("ana@example", "no dot in the domain"),
            ("ana@@example.com", "two @"),
            ("an a@example.com", "a space"),
            ("ana@.example.com", "domain starts with a dot"),
        ] {
            assert!(Email::parse(raw).is_err(), "{why}: {raw:?} was accepted");
        }
    }

    #[test]
    fn passwords_are_counted_in_characters() {
        assert!(Password::parse("1234567").is_err());
        assert!(Password::parse("12345678").is_ok());
        assert!(Password::parse(&"é".repeat(128)).is_ok());
        assert!(Password::parse(&"é".repeat(129)).is_err());
    }

    #[test]
    fn timezones_must_be_iana_names() {
        assert!(parse_timezone("Europe/London").is_ok());
        assert!(parse_timezone("Asia/Kolkata").is_ok());
        assert!(parse_timezone("Mars/Olympus").is_err());
        assert!(parse_timezone("").is_err());
    }

    #[test]
    fn the_day_starts_between_midnight_and_six() {
        assert!(DayStartHour::parse(0).is_ok());
        assert!(DayStartHour::parse(6).is_ok());
        assert!(DayStartHour::parse(7).is_err());
        assert!(DayStartHour::parse(-1).is_err());
        assert!(DayStartHour::parse(i64::MAX).is_err());
    }
}
