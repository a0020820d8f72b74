//! Free text a person writes: single lines that name someone or something
//! (addresses, names), and notes and messages over several lines.

use unicode_normalization::UnicodeNormalization;
use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};

/// A line as it is compared and stored: NFKC-normalised (full-width and
/// other compatibility forms become the plain letters) and trimmed.
pub fn normalise_line(raw: &str) -> String {
    raw.nfkc().collect::<String>().trim().to_owned()
}

/// A line that names someone or something shows every character it holds:
/// control characters, and invisible or direction-changing format
/// characters (zero-width spaces and joiners, soft hyphens, bidi overrides
/// and isolates), are refused, so no two names that look alike differ.
pub fn check_visible(line: &str) -> Result<(), String> {
    if line
        .chars()
        .any(|c| c.is_control() || c.general_category() == GeneralCategory::Format)
    {
        return Err("must not contain control, invisible or direction characters".to_owned());
    }
    Ok(())
}

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
    fn lines_are_normalised_and_must_show_every_character() {
        assert_eq!(normalise_line("  Ａｎａ ﬁ "), "Ana fi");
        assert!(check_visible("Zoë Ō'Brien-Smith 李").is_ok());
        for bad in [
            "a\u{200b}b",
            "a\u{200d}b",
            "a\u{ad}b",
            "\u{feff}a",
            "a\u{202e}b",
            "a\u{2066}b",
            "a\u{7}b",
        ] {
            assert!(check_visible(bad).is_err(), "{bad:?}");
        }
    }

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
