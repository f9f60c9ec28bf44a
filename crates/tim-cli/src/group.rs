//! `tim group ...`: group management as the logged-in user.

use crate::CliError;
use crate::connect::ClientArgs;
use tim_rs::model::enums::{GroupAddOption, GroupType};
use tim_rs::{CreateGroupParam, GroupId, MemberResult, UserId};

/// `tim group` and its subcommand.
#[derive(Debug, Clone, clap::Args)]
pub struct GroupArgs {
    /// Who acts, and where.
    #[command(flatten)]
    pub client: ClientArgs,
    /// What to do.
    #[command(subcommand)]
    pub action: GroupAction,
}

/// What to do with a group.
#[derive(Debug, Clone, clap::Subcommand)]
pub enum GroupAction {
    /// Create a group owned by --user; prints its ID.
    Create {
        /// A custom group ID (default: the server makes one).
        #[arg(long)]
        id: Option<String>,
        /// The group's name.
        #[arg(long, default_value = "")]
        name: String,
        /// Let anyone join by themselves (default: by invitation only).
        #[arg(long)]
        open: bool,
        /// Initial members besides the owner.
        members: Vec<String>,
    },
    /// Add (invite) users.
    Add {
        /// The group.
        group: String,
        /// The users.
        users: Vec<String>,
    },
    /// Remove users (owner and admins).
    Remove {
        /// The group.
        group: String,
        /// The users.
        users: Vec<String>,
    },
    /// Join a group that allows it.
    Join {
        /// The group.
        group: String,
    },
    /// Leave a group.
    Quit {
        /// The group.
        group: String,
    },
    /// Dismiss a group (owner).
    Dismiss {
        /// The group.
        group: String,
    },
    /// List the members, one per line: user ID and role.
    Members {
        /// The group.
        group: String,
    },
}

/// Runs `tim group`; returns the lines to print.
pub async fn run(args: &GroupArgs) -> Result<Vec<String>, CliError> {
    let (client, _events) = args.client.log_in().await?;
    let failed = |err: tim_rs::Error| CliError::failed(err.to_string());
    let lines = match &args.action {
        GroupAction::Create {
            id,
            name,
            open,
            members,
        } => {
            let param = CreateGroupParam {
                group_id: id.as_deref().map(group_id).transpose()?,
                group_type: GroupType::Public,
                name: name.clone(),
                add_option: if *open {
                    GroupAddOption::Any
                } else {
                    GroupAddOption::Forbid
                },
                member_ids: user_ids(members)?,
                ..CreateGroupParam::default()
            };
            let group = client.create_group(param).await.map_err(failed)?;
            vec![group.id().to_string()]
        }
        GroupAction::Add { group, users } => {
            let group = client.group(group).map_err(failed)?;
            results(group.add_members(&user_ids(users)?).await.map_err(failed)?)?
        }
        GroupAction::Remove { group, users } => {
            let group = client.group(group).map_err(failed)?;
            let removed = group.remove_members(&user_ids(users)?, "").await;
            results(removed.map_err(failed)?)?
        }
        GroupAction::Join { group } => {
            let pending = client.group(group).map_err(failed)?.join("").await;
            if pending.map_err(failed)? {
                vec![format!("asked to join {group}; waiting for approval")]
            } else {
                vec![format!("joined {group}")]
            }
        }
        GroupAction::Quit { group } => {
            client
                .group(group)
                .map_err(failed)?
                .quit()
                .await
                .map_err(failed)?;
            vec![format!("left {group}")]
        }
        GroupAction::Dismiss { group } => {
            client
                .group(group)
                .map_err(failed)?
                .dismiss()
                .await
                .map_err(failed)?;
            vec![format!("dismissed {group}")]
        }
        GroupAction::Members { group } => {
            let members = client.group(group).map_err(failed)?.members().await;
            members
                .map_err(failed)?
                .into_iter()
                .map(|member| format!("{}\t{}", member.identifier, role_name(member.member_role)))
                .collect()
        }
    };
    let _ = client.logout().await;
    Ok(lines)
}

fn group_id(id: &str) -> Result<GroupId, CliError> {
    GroupId::new(id).map_err(|err| CliError::usage(format!("group {id:?}: {err}")))
}

fn user_ids(users: &[String]) -> Result<Vec<UserId>, CliError> {
    users
        .iter()
        .map(|user| {
            UserId::new(user).map_err(|err| CliError::usage(format!("user {user:?}: {err}")))
        })
        .collect()
}

/// One line per user; fails (after printing nothing) when any user failed.
fn results(results: Vec<MemberResult>) -> Result<Vec<String>, CliError> {
    if let Some(failed) = results.iter().find(|result| result.code != 0) {
        return Err(CliError::failed(format!(
            "{}: {} ({})",
            failed.user_id, failed.desc, failed.code
        )));
    }
    Ok(results
        .into_iter()
        .map(|result| format!("{}\tok", result.user_id))
        .collect())
}

fn role_name(role: tim_rs::model::enums::GroupMemberRole) -> &'static str {
    use tim_rs::model::enums::GroupMemberRole;
    match role {
        GroupMemberRole::Owner => "owner",
        GroupMemberRole::Admin => "admin",
        GroupMemberRole::Normal => "member",
        GroupMemberRole::None => "-",
    }
}
