//! Organisation and invitation fields, parsed.

use super::streak::WeekdaySet;

pub const NAME_MAX_CHARS: usize = 100;
pub const DEFAULT_WORKING_DAYS: [i64; 5] = [1, 2, 3, 4, 5];
pub const DEFAULT_MIN_GROUP_SIZE: i32 = 5;
pub const INVITATION_DEFAULT_DAYS: i64 = 7;
pub const INVITATION_MAX_DAYS: i64 = 90;
pub const INVITATION_MAX_USES: i64 = 1000;

pub fn parse_name(raw: &str) -> Result<String, String> {
    let name = raw.trim();
    let chars = name.chars().count();
    if chars == 0 || chars > NAME_MAX_CHARS || name.chars().any(char::is_control) {
        Err(format!("must be 1 to {NAME_MAX_CHARS} characters"))
    } else {
        Ok(name.to_owned())
    }
}

/// Working days as stored: ISO weekdays, comma separated, Monday first.
pub fn parse_working_days(days: &[i64]) -> Result<String, String> {
    WeekdaySet::parse(days).map(format_working_days)
}

pub fn format_working_days(days: WeekdaySet) -> String {
    days.days()
        .iter()
        .map(u8::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

/// The stored text back as a set (the column only ever holds valid sets).
pub fn stored_working_days(stored: &str) -> Option<WeekdaySet> {
    let days: Vec<i64> = stored
        .split(',')
        .map(str::parse)
        .collect::<Result<_, _>>()
        .ok()?;
    WeekdaySet::parse(&days).ok()
}

/// The privacy threshold of reports: never below 3.
pub fn parse_min_group_size(raw: i64) -> Result<i32, String> {
    match i32::try_from(raw) {
        Ok(size @ 3..=50) => Ok(size),
        _ => Err("must be 3 to 50".to_owned()),
    }
}

pub fn parse_expires_in_days(raw: i64) -> Result<i64, String> {
    if (1..=INVITATION_MAX_DAYS).contains(&raw) {
        Ok(raw)
    } else {
        Err(format!("must be 1 to {INVITATION_MAX_DAYS}"))
    }
}

pub fn parse_max_uses(raw: i64) -> Result<i32, String> {
    if (1..=INVITATION_MAX_USES).contains(&raw) {
        Ok(raw as i32)
    } else {
        Err(format!("must be 1 to {INVITATION_MAX_USES}"))
    }
}

pub const THRESHOLD_MAX: i64 = 100;
pub const WEEKLY_GOAL_MAX: i64 = 10_000;

pub fn parse_threshold(raw: i64) -> Result<i32, String> {
    if (1..=THRESHOLD_MAX).contains(&raw) {
        Ok(raw as i32)
    } else {
        Err(format!("must be 1 to {THRESHOLD_MAX}"))
    }
}

pub fn parse_weekly_goal(raw: i64) -> Result<i32, String> {
    if (1..=WEEKLY_GOAL_MAX).contains(&raw) {
        Ok(raw as i32)
    } else {
        Err(format!("must be 1 to {WEEKLY_GOAL_MAX}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn working_days_are_stored_in_order() {
        assert_eq!(parse_working_days(&[5, 1, 3]).unwrap(), "1,3,5");
        assert!(parse_working_days(&[]).is_err());
        assert_eq!(
            stored_working_days("1,2,3,4,5").map(|d| d.days()),
            Some(vec![1, 2, 3, 4, 5])
        );
    }

    #[test]
    fn the_report_threshold_is_never_below_three() {
        assert!(parse_min_group_size(2).is_err());
        assert_eq!(parse_min_group_size(3), Ok(3));
        assert_eq!(parse_min_group_size(50), Ok(50));
        assert!(parse_min_group_size(51).is_err());
    }
}
