//! Rule and macro actions that change fields, turned into one [`Edit`]: the one place
//! where adding or removing a tag and the 20-tag cap are decided.

use helpdesk_domain::UserId;
use helpdesk_domain::automation::{Action, AssignTo};
use helpdesk_storage::repo::tickets::{Ticket, tags_of};

use super::change::Edit;

/// A ticket carries at most this many tags; adding past it does nothing.
pub const MAX_TAGS: usize = 20;

/// The ticket's tags after adding or removing `tag`, sorted.
pub fn retag(t: &Ticket, tag: &str, add: bool) -> Vec<String> {
    let mut tags = tags_of(t);
    tags.retain(|x| x != tag);
    if add && tags.len() < MAX_TAGS {
        tags.push(tag.to_owned());
        tags.sort();
    }
    tags
}

/// The field change an action makes on `t`; `None` for actions that are not field changes
/// (notes, notifications, webhooks) or that need a choice first (round robin, least
/// loaded: the caller picks the agent and passes `AssignTo::Agent`).
pub fn edit_of(action: &Action, t: &Ticket) -> Option<Edit> {
    Some(match action {
        Action::Assign(AssignTo::Agent(u)) => Edit {
            assignee_id: Some(Some(UserId::from_uuid(*u))),
            ..Edit::default()
        },
        Action::SetPriority(p) => Edit {
            priority: Some(*p),
            ..Edit::default()
        },
        Action::SetStatus(s) => Edit {
            status: Some(*s),
            ..Edit::default()
        },
        Action::AddTag(tag) => Edit {
            tags: Some(retag(t, tag, true)),
            ..Edit::default()
        },
        Action::RemoveTag(tag) => Edit {
            tags: Some(retag(t, tag, false)),
            ..Edit::default()
        },
        _ => return None,
    })
}
