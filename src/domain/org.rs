//! Organisation and invitation fields, parsed.

use super::text::{check_visible, normalise_line};

pub const NAME_MAX_CHARS: usize = 100;
pub const DEFAULT_WORKING_DAYS: [i64; 5] = [1, 2, 3, 4, 5];
pub const DEFAULT_MIN_GROUP_SIZE: i32 = 5;
pub const INVITATION_DEFAULT_DAYS: i64 = 7;
pub const INVITATION_MAX_DAYS: i64 = 90;
pub const INVITATION_MAX_USES: i64 = 1000;

/// An organisation's or a team's name: NFKC-normalised, 1 to 100
/// characters after trimming, every one of them visible.
pub fn parse_name(raw: &str) -> Result<String, String> {
    let name = normalise_line(raw);
    let chars = name.chars().count();
    if chars == 0 || chars > NAME_MAX_CHARS {
        return Err(format!("must be 1 to {NAME_MAX_CHARS} characters"));
    }
    check_visible(&name)?;
    Ok(name)
}

/// The privacy threshold of reports: never below 3.
pub const MIN_GROUP_SIZE_MIN: i64 = 3;
pub const MIN_GROUP_SIZE_MAX: i64 = 50;

pub fn parse_min_group_size(raw: i64) -> Result<i32, String> {
    if (MIN_GROUP_SIZE_MIN..=MIN_GROUP_SIZE_MAX).contains(&raw) {
        Ok(raw as i32)
    } else {
        Err(format!(
            "must be {MIN_GROUP_SIZE_MIN} to {MIN_GROUP_SIZE_MAX}"
        ))
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
    fn the_report_threshold_is_never_below_three() {
        assert!(parse_min_group_size(2).is_err());
        assert_eq!(parse_min_group_size(3), Ok(3));
        assert_eq!(parse_min_group_size(50), Ok(50));
        assert!(parse_min_group_size(51).is_err());
    }
}
