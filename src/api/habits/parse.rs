//! A habit's create and change requests, parsed into the domain's fields,
//! every invalid field named in one 422.

use poem_openapi::types::MaybeUndefined;

use super::bodies::{CreateHabitRequest, UpdateHabitRequest};
use crate::{
    api::support::{bounded::Int, choice::Choice, fields::Fields, schedule::ScheduleBody},
    domain::{
        habit::{self, Category, HabitChanges, HabitFields},
        streak::Schedule,
    },
    http::problem::ApiError,
};

/// A create is a change of every field from the defaults: title, category
/// and schedule are always given, the rest default as [`HabitFields`] says.
pub fn new_habit(body: &CreateHabitRequest) -> Result<HabitFields, ApiError> {
    let changes = changes(HabitInput {
        title: Some(&body.title),
        category: Some(&body.category),
        schedule: Some(&body.schedule),
        target_per_day: Some(body.target_per_day.map_or(1, Int::get)),
        reminder_time: MaybeUndefined::from_opt_undefined(
            body.reminder_time.clone().map(|time| time.0),
        ),
        colour: MaybeUndefined::from_opt_undefined(body.colour.clone().map(|colour| colour.0)),
        icon: MaybeUndefined::from_opt_undefined(body.icon.clone().map(|icon| icon.0)),
    })?;
    Ok(changes.apply_to(HabitFields::defaults()))
}

/// A PATCH's changes; `archived` is read apart.
pub fn habit_changes(body: &UpdateHabitRequest) -> Result<HabitChanges, ApiError> {
    changes(HabitInput {
        title: body.title.as_deref(),
        category: body.category.as_ref(),
        schedule: body.schedule.as_ref(),
        target_per_day: body.target_per_day.map(Int::get),
        reminder_time: body.reminder_time.clone().map_value(|time| time.0),
        colour: body.colour.clone().map_value(|colour| colour.0),
        icon: body.icon.clone().map_value(|icon| icon.0),
    })
}

/// A habit's settable fields as a create or a change sends them.
struct HabitInput<'a> {
    title: Option<&'a str>,
    category: Option<&'a Choice<Category>>,
    schedule: Option<&'a ScheduleBody>,
    target_per_day: Option<i64>,
    reminder_time: MaybeUndefined<String>,
    colour: MaybeUndefined<String>,
    icon: MaybeUndefined<String>,
}

fn changes(input: HabitInput) -> Result<HabitChanges, ApiError> {
    let mut fields = Fields::default();
    let title = fields.check_optional("title", input.title, habit::parse_title);
    let category = fields.check_optional("category", input.category, Choice::parse);
    let schedule = match input.schedule {
        None => Some(None),
        Some(schedule) => schedule_of(&mut fields, schedule).map(Some),
    };
    let target = fields.check_optional("target_per_day", input.target_per_day, habit::parse_target);
    let reminder = fields.check_clearable("reminder_time", input.reminder_time, |time| {
        habit::parse_reminder_time(&time)
    });
    let colour = fields.check_clearable("colour", input.colour, |colour| {
        habit::parse_colour(&colour)
    });
    let icon = fields.check_clearable("icon", input.icon, |icon| habit::parse_icon(&icon));
    let (
        Some(title),
        Some(category),
        Some(schedule),
        Some(target_per_day),
        Some(reminder_time),
        Some(colour),
        Some(icon),
    ) = (title, category, schedule, target, reminder, colour, icon)
    else {
        return Err(fields.into_error());
    };
    Ok(HabitChanges {
        title,
        category,
        schedule,
        target_per_day,
        reminder_time,
        colour,
        icon,
    })
}

fn schedule_of(fields: &mut Fields, body: &ScheduleBody) -> Option<Schedule> {
    match body.parse() {
        Ok(schedule) => Some(schedule),
        Err((field, message)) => fields.check::<Schedule>(&field, Err(message)),
    }
}
