//! Acts of kindness and kudos (API.md, "Acts of kindness and kudos"): their
//! fields, parsed, and who may see one.

use std::collections::BTreeSet;

use strum::{EnumString, IntoStaticStr, VariantArray, VariantNames};
use uuid::Uuid;

use super::{access::Decision, text::check_multiline};

pub const MESSAGE_MAX_CHARS: usize = 500;
pub const MAX_RECIPIENTS: usize = 10;
/// Acts a person may log in one team on one of the organisation's days.
pub const MAX_ACTS_PER_DAY: u32 = 20;

/// `act`: something the author did or noticed; `kudos`: appreciation of
/// named colleagues.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, EnumString, IntoStaticStr, VariantArray, VariantNames,
)]
#[strum(serialize_all = "snake_case")]
pub enum Kind {
    Act,
    Kudos,
}

/// Who sees an act besides its author and recipients.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, EnumString, IntoStaticStr, VariantArray, VariantNames,
)]
#[strum(serialize_all = "snake_case")]
pub enum Visibility {
    /// Every member of the team.
    Team,
    /// Nobody else.
    Recipients,
}

/// What kind of kindness an act was.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, EnumString, IntoStaticStr, VariantArray, VariantNames,
)]
#[strum(serialize_all = "snake_case")]
pub enum Category {
    Listening,
    Encouragement,
    Help,
    Appreciation,
    Inclusion,
    Patience,
    Celebration,
    Support,
    Other,
}

/// 1 to 500 characters once surrounding whitespace is trimmed; line breaks
/// and tabs are kept, other control characters refused.
pub fn parse_message(raw: &str) -> Result<String, String> {
    let message = raw.trim();
    let chars = message.chars().count();
    if chars == 0 || chars > MESSAGE_MAX_CHARS {
        return Err(format!("must be 1 to {MESSAGE_MAX_CHARS} characters"));
    }
    check_multiline(message)?;
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
    pub category: Category,
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

/// Something a person may try to do with one act.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActAction {
    Read,
    /// Only its author withdraws an act.
    Withdraw,
    /// Only a recipient thanks the author.
    Thank,
}

/// Whoever may not see the act is told nothing of it (hidden); whoever sees
/// it but may not do this is forbidden.
pub fn decide(visibility: Visibility, viewer: Viewer, action: ActAction) -> Decision {
    if !may_see(visibility, viewer) {
        return Decision::Hide;
    }
    let allowed = match action {
        ActAction::Read => true,
        ActAction::Withdraw => viewer.is_author,
        ActAction::Thank => viewer.is_recipient,
    };
    if allowed {
        Decision::Allow
    } else {
        Decision::Forbid
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::names::Named;
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
    fn names_are_api_md_s_and_round_trip() {
        assert_eq!(Kind::names(), ["act", "kudos"]);
        assert_eq!(Visibility::names(), ["team", "recipients"]);
        assert_eq!(
            Category::names(),
            [
                "listening",
                "encouragement",
                "help",
                "appreciation",
                "inclusion",
                "patience",
                "celebration",
                "support",
                "other"
            ]
        );
        for kind in Kind::all() {
            assert_eq!(Kind::parse(kind.as_str()), Ok(*kind));
        }
        for visibility in Visibility::all() {
            assert_eq!(Visibility::parse(visibility.as_str()), Ok(*visibility));
        }
        for category in Category::all() {
            assert_eq!(Category::parse(category.as_str()), Ok(*category));
        }
        assert!(Kind::parse("gift").is_err());
        assert!(Visibility::parse("everyone").is_err());
        assert_eq!(
            Category::parse("gossip").unwrap_err(),
            "must be one of listening, encouragement, help, appreciation, inclusion, patience, celebration, support, other"
        );
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
        fn only_the_author_withdraws_and_only_a_recipient_thanks_what_they_see(
            viewer in viewers(),
            team_visible in any::<bool>(),
        ) {
            let visibility = if team_visible { Visibility::Team } else { Visibility::Recipients };
            let seen = may_see(visibility, viewer);
            let expected = |allowed: bool| match (seen, allowed) {
                (false, _) => Decision::Hide,
                (true, true) => Decision::Allow,
                (true, false) => Decision::Forbid,
            };
            prop_assert_eq!(decide(visibility, viewer, ActAction::Read), expected(true));
            prop_assert_eq!(decide(visibility, viewer, ActAction::Withdraw), expected(viewer.is_author));
            prop_assert_eq!(decide(visibility, viewer, ActAction::Thank), expected(viewer.is_recipient));
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
