//! Free text a person writes over several lines: notes and messages.

/// Line breaks and tabs are kept; any other control character (NUL, escape,
/// bell…) is refused. No client means one, and PostgreSQL cannot store NUL.
pub fn check_multiline(text: &str) -> Result<(), String> {
    if text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(
            "must not contain control characters other than line breaks and tabs".to_owned(),
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_breaks_and_tabs_are_kept_and_other_control_characters_refused() {
        assert!(check_multiline("one\ntwo\r\n\tthree").is_ok());
        assert!(check_multiline("é ✓ 🙂").is_ok());
        for bad in [
            "nul\u{0}",
            "bell\u{7}",
            "escape\u{1b}[31m",
            "delete\u{7f}",
            "c1\u{85}",
        ] {
            assert!(check_multiline(bad).is_err(), "{bad:?}");
        }
    }
}
