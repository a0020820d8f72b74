//! Challenges (API.md, "Gamification"): their fields, parsed, when one is
//! active, and what its progress shows to whom.

use chrono::{Duration, NaiveDate};
use strum::{EnumString, IntoStaticStr, VariantArray, VariantNames};

use super::text::{check_multiline, check_visible, normalise_line};

pub const TITLE_MAX_CHARS: usize = 120;
pub const DESCRIPTION_MAX_CHARS: usize = 1000;
pub const TARGET_MAX: i64 = 100_000;
/// The longest a challenge runs: `ends_on` at most this many days after
/// `starts_on`.
pub const MAX_SPAN_DAYS: i64 = 92;

/// What a challenge counts.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, EnumString, IntoStaticStr, VariantArray, VariantNames,
)]
#[strum(serialize_all = "snake_case")]
pub enum Metric {
    /// `team`-visible acts and kudos of its scope, together.
    Acts,
    /// Complete habit days, each person their own.
    CheckIns,
}

/// 1 to 120 characters after trimming, every one visible.
pub fn parse_title(raw: &str) -> Result<String, String> {
    let title = normalise_line(raw);
    let chars = title.chars().count();
    if chars == 0 || chars > TITLE_MAX_CHARS {
        return Err(format!("must be 1 to {TITLE_MAX_CHARS} characters"));
    }
    check_visible(&title)?;
    Ok(title)
}

/// Up to 1000 characters, trimmed; line breaks kept. An empty one is none.
pub fn parse_description(raw: &str) -> Result<Option<String>, String> {
    let description = raw.trim();
    if description.chars().count() > DESCRIPTION_MAX_CHARS {
        return Err(format!(
            "must be at most {DESCRIPTION_MAX_CHARS} characters"
        ));
    }
    check_multiline(description)?;
    Ok((!description.is_empty()).then(|| description.to_owned()))
}

pub fn parse_target(raw: i64) -> Result<i32, String> {
    if (1..=TARGET_MAX).contains(&raw) {
        Ok(raw as i32)
    } else {
        Err(format!("must be 1 to {TARGET_MAX}"))
    }
}

/// A challenge runs from `starts_on` to `ends_on`, both included: at most
/// 92 days apart, and not over before it is set (`today` is the
/// organisation's). It may have begun already: a challenge for this month
/// can be set on its third day. What is wrong is `ends_on`'s message.
pub fn check_ends_on(
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    today: NaiveDate,
) -> Result<(), String> {
    if ends_on < starts_on {
        return Err("must not be before starts_on".to_owned());
    }
    if ends_on > starts_on + Duration::days(MAX_SPAN_DAYS) {
        return Err(format!(
            "must be at most {MAX_SPAN_DAYS} days after starts_on"
        ));
    }
    if ends_on < today {
        return Err("must not be before today (the organisation's)".to_owned());
    }
    Ok(())
}

/// Whether a challenge from `starts_on` to `ends_on` is running on `today`.
pub fn is_active(starts_on: NaiveDate, ends_on: NaiveDate, today: NaiveDate) -> bool {
    (starts_on..=ends_on).contains(&today)
}

/// How many people completed a personal challenge, as it may be shown: not
/// until at least `min_group_size` have, so that nobody's own progress can
/// be read off the figure.
pub fn completed_by_shown(completed: u64, min_group_size: i32) -> Option<u64> {
    (completed >= u64::try_from(min_group_size).unwrap_or(u64::MAX)).then_some(completed)
}

/// When a count of `target` was first reached, given when each thing
/// counted was recorded (`recorded`, in any order): the `target`-th
/// earliest, or `None` short of the target.
pub fn reached_at<T: Ord + Copy>(mut recorded: Vec<T>, target: i32) -> Option<T> {
    let index = usize::try_from(target).ok()?.checked_sub(1)?;
    if recorded.len() <= index {
        return None;
    }
    let (_, nth, _) = recorded.select_nth_unstable(index);
    Some(*nth)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::names::Named;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn a_title_is_1_to_120_visible_characters() {
        assert_eq!(parse_title("  Kind June  "), Ok("Kind June".to_owned()));
        assert!(parse_title(" ").is_err());
        assert!(parse_title(&"a".repeat(120)).is_ok());
        assert!(parse_title(&"a".repeat(121)).is_err());
        assert!(parse_title("Kind\u{200B}June").is_err());
    }

    #[test]
    fn a_description_is_at_most_1000_characters_and_blank_is_none() {
        assert_eq!(parse_description("  "), Ok(None));
        assert_eq!(
            parse_description("Two\nlines"),
            Ok(Some("Two\nlines".to_owned()))
        );
        assert!(parse_description(&"a".repeat(1000)).is_ok());
        assert!(parse_description(&"a".repeat(1001)).is_err());
        assert!(parse_description("bell\u{7}").is_err());
    }

    #[test]
    fn a_target_is_1_to_100000() {
        assert!(parse_target(0).is_err());
        assert_eq!(parse_target(1), Ok(1));
        assert_eq!(parse_target(100_000), Ok(100_000));
        assert!(parse_target(100_001).is_err());
    }

    #[test]
    fn a_challenge_runs_at_most_92_days_and_is_not_over_when_set() {
        let today = day("2026-12-03");
        assert!(check_ends_on(day("2026-12-01"), day("2026-12-31"), today).is_ok());
        assert!(check_ends_on(day("2026-12-03"), day("2026-12-03"), today).is_ok());
        assert!(check_ends_on(day("2026-12-03"), day("2027-03-05"), today).is_ok());
        assert!(check_ends_on(day("2026-12-03"), day("2027-03-06"), today).is_err());
        assert!(check_ends_on(day("2026-12-05"), day("2026-12-04"), today).is_err());
        assert!(check_ends_on(day("2026-11-01"), day("2026-12-02"), today).is_err());
    }

    #[test]
    fn a_challenge_is_active_on_its_first_and_last_day() {
        let (from, to) = (day("2026-12-01"), day("2026-12-31"));
        assert!(!is_active(from, to, day("2026-11-30")));
        assert!(is_active(from, to, from));
        assert!(is_active(from, to, to));
        assert!(!is_active(from, to, day("2027-01-01")));
    }

    #[test]
    fn completions_show_from_min_group_size_people() {
        assert_eq!(completed_by_shown(0, 5), None);
        assert_eq!(completed_by_shown(4, 5), None);
        assert_eq!(completed_by_shown(5, 5), Some(5));
        assert_eq!(completed_by_shown(9, 3), Some(9));
    }

    #[test]
    fn the_target_is_reached_by_the_target_th_earliest_record() {
        assert_eq!(reached_at(vec![5, 1, 3], 2), Some(3));
        assert_eq!(reached_at(vec![5, 1, 3], 3), Some(5));
        assert_eq!(reached_at(vec![5, 1, 3], 4), None);
        assert_eq!(reached_at(Vec::<i32>::new(), 1), None);
    }

    #[test]
    fn metrics_are_named_as_api_md_names_them() {
        assert_eq!(Metric::names(), ["acts", "check_ins"]);
    }
}
