//! Acts of kindness and kudos (API.md, "Acts of kindness and kudos"): their
//! fields, parsed, and who may see one.

use std::collections::BTreeSet;

use uuid::Uuid;

pub const KINDS: &[&str] = &["act", "kudos"];
pub const CATEGORIES: &[&str] = &[
    "listening",
    "encouragement",
    "help",
    "appreciation",
    "inclusion",
    "patience",
    "celebration",
    "support",
    "other",
];
pub const VISIBILITIES: &[&str] = &["team", "recipients"];

pub const MESSAGE_MAX_CHARS: usize = 500;
pub const MAX_RECIPIENTS: usize = 10;
/// Acts a person may log in one team on one of the organisation's days.
pub const MAX_ACTS_PER_DAY: u32 = 20;

/// `act`: something the author did or noticed; `kudos`: appreciation of
/// named colleagues.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Act,
    Kudos,
}

impl Kind {
    pub fn parse(raw: &str) -> Result<Self, String> {
        match raw {
            "act" => Ok(Self::Act),
            "kudos" => Ok(Self::Kudos),
            _ => Err(format!("must be one of {}", KINDS.join(", "))),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Act => "act",
            Self::Kudos => "kudos",
        }
    }
}

/// Who sees an act besides its author and recipients.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visibility {
    /// Every member of the team.
    Team,
    /// Nobody else.
    Recipients,
}

impl Visibility {
    pub fn parse(raw: &str) -> Result<Self, String> {
        match raw {
            "team" => Ok(Self::Team),
            "recipients" => Ok(Self::Recipients),
            _ => Err(format!("must be one of {}", VISIBILITIES.join(", "))),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Team => "team",
            Self::Recipients => "recipients",
        }
    }
}

pub fn parse_category(raw: &str) -> Result<String, String> {
    if CATEGORIES.contains(&raw) {
        Ok(raw.to_owned())
    } else {
        Err(format!("must be one of {}", CATEGORIES.join(", ")))
    }
}

/// 1 to 500 characters once surrounding whitespace is trimmed; line breaks
/// and tabs are kept, other control characters refused.
pub fn parse_message(raw: &str) -> Result<String, String> {
    let message = raw.trim();
    let chars = message.chars().count();
    if chars == 0 || chars > MESSAGE_MAX_CHARS {
        return Err(format!("must be 1 to {MESSAGE_MAX_CHARS} characters"));
    }
    if message
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(
            "must not contain control characters other than line breaks and tabs".to_owned(),
        );
    }
    Ok(message.to_owned())
}

/// The recipients of an act of `kind` by `author`: kudos name 1 to 10
/// distinct people other than the author; a plain act names nobody.
pub fn parse_recipients(kind: Kind, author: Uuid, ids: &[Uuid]) -> Result<BTreeSet<Uuid>, String> {
    let recipients: BTreeSet<Uuid> = ids.iter().copied().collect();
    if recipients.len() != ids.len() {
        return Err("must not name anyone twice".to_owned());
    }
    match kind {
        Kind::Act if !recipients.is_empty() => {
            Err("only kudos name recipients; send kind `kudos`".to_owned())
        }
        Kind::Kudos if recipients.is_empty() || recipients.len() > MAX_RECIPIENTS => Err(format!(
            "kudos name 1 to {MAX_RECIPIENTS} members of the organisation"
        )),
        Kind::Kudos if recipients.contains(&author) => {
            Err("kudos to oneself are not possible; name colleagues".to_owned())
        }
        _ => Ok(recipients),
    }
}

/// `recipients` visibility needs somebody to show the act to.
pub fn check_visibility(kind: Kind, visibility: Visibility) -> Result<Visibility, String> {
    if kind == Kind::Act && visibility == Visibility::Recipients {
        Err("only kudos have recipients to be seen by; use `team`".to_owned())
    } else {
        Ok(visibility)
    }
}

/// A new act, valid by construction. Equal fields make a replay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActFields {
    pub kind: Kind,
    pub category: String,
    pub message: String,
    pub recipients: BTreeSet<Uuid>,
    pub visibility: Visibility,
}

/// How the caller stands to one act.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Viewer {
    pub is_author: bool,
    pub is_recipient: bool,
    pub in_team: bool,
}

/// The author and the recipients always see an act (a recipient may be in
/// another team of the organisation); the team's members see `team` acts.
pub fn may_see(visibility: Visibility, viewer: Viewer) -> bool {
    viewer.is_author || viewer.is_recipient || (viewer.in_team && visibility == Visibility::Team)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_message_is_trimmed_and_between_1_and_500_characters() {
        assert_eq!(parse_message("  thanks!\n").unwrap(), "thanks!");
        assert!(parse_message("   ").is_err());
        assert!(parse_message(&"é".repeat(500)).is_ok());
        assert!(parse_message(&"é".repeat(501)).is_err());
        assert!(parse_message("line one\nline two\tend").is_ok());
        assert!(parse_message("bell\u{7}").is_err());
    }

    #[test]
    fn kudos_name_colleagues_and_acts_name_nobody() {
        let author = Uuid::now_v7();
        let colleague = Uuid::now_v7();
        assert_eq!(
            parse_recipients(Kind::Kudos, author, &[colleague]).unwrap(),
            BTreeSet::from([colleague])
        );
        assert!(parse_recipients(Kind::Kudos, author, &[]).is_err());
        assert!(parse_recipients(Kind::Kudos, author, &[author]).is_err());
        assert!(parse_recipients(Kind::Kudos, author, &[colleague, colleague]).is_err());
        let eleven: Vec<Uuid> = (0..11).map(|_| Uuid::now_v7()).collect();
        assert!(parse_recipients(Kind::Kudos, author, &eleven[..10]).is_ok());
        assert!(parse_recipients(Kind::Kudos, author, &eleven).is_err());
        assert!(parse_recipients(Kind::Act, author, &[]).unwrap().is_empty());
        assert!(parse_recipients(Kind::Act, author, &[colleague]).is_err());
        assert!(check_visibility(Kind::Act, Visibility::Recipients).is_err());
        assert!(check_visibility(Kind::Kudos, Visibility::Recipients).is_ok());
    }

    #[test]
    fn names_round_trip() {
        for kind in [Kind::Act, Kind::Kudos] {
            assert_eq!(Kind::parse(kind.as_str()), Ok(kind));
        }
        for visibility in [Visibility::Team, Visibility::Recipients] {
            assert_eq!(Visibility::parse(visibility.as_str()), Ok(visibility));
        }
        assert!(Kind::parse("gift").is_err());
        assert!(Visibility::parse("everyone").is_err());
        assert!(parse_category("gossip").is_err());
    }

    fn viewers() -> impl Strategy<Value = Viewer> {
        (any::<bool>(), any::<bool>(), any::<bool>()).prop_map(
            |(is_author, is_recipient, in_team)| Viewer {
                is_author,
                is_recipient,
                in_team,
            },
        )
    }

    proptest! {
        #[test]
        fn nobody_outside_the_team_sees_an_act_that_does_not_name_them(viewer in viewers()) {
            let outsider = Viewer { in_team: false, ..viewer };
            for visibility in [Visibility::Team, Visibility::Recipients] {
                prop_assert_eq!(
                    may_see(visibility, outsider),
                    viewer.is_author || viewer.is_recipient
                );
            }
        }

        #[test]
        fn a_recipients_act_is_seen_by_exactly_its_author_and_recipients(viewer in viewers()) {
            prop_assert_eq!(
                may_see(Visibility::Recipients, viewer),
                viewer.is_author || viewer.is_recipient
            );
            // Widening to the team never hides it from anyone.
            prop_assert!(may_see(Visibility::Team, viewer) >= may_see(Visibility::Recipients, viewer));
        }

        #[test]
        fn recipients_are_kept_exactly_when_valid(
            count in 0usize..14,
            with_author in any::<bool>(),
            repeat in any::<bool>(),
        ) {
            let author = Uuid::now_v7();
            let mut ids: Vec<Uuid> = (0..count).map(|_| Uuid::now_v7()).collect();
            if with_author { ids.push(author); }
            if repeat && !ids.is_empty() { ids.push(ids[0]); }
            let valid = !ids.is_empty() && ids.len() <= MAX_RECIPIENTS && !with_author && !repeat;
            let parsed = parse_recipients(Kind::Kudos, author, &ids);
            prop_assert_eq!(parsed.is_ok(), valid);
            if let Ok(set) = parsed {
                prop_assert_eq!(set.len(), ids.len());
            }
        }
    }
}
