//! `tim profile ...`: show users' profiles and set one's own.

use crate::CliError;
use crate::connect::ClientArgs;
use tim_rs::UserId;
use tim_rs::model::UserProfileItem;
use tim_rs::model::enums::GenderType;

/// `tim profile` and its subcommand.
#[derive(Debug, Clone, clap::Args)]
pub struct ProfileArgs {
    /// Who acts, and where.
    #[command(flatten)]
    pub client: ClientArgs,
    /// What to do.
    #[command(subcommand)]
    pub action: ProfileAction,
}

/// What to do with profiles.
#[derive(Debug, Clone, clap::Subcommand)]
pub enum ProfileAction {
    /// Show profiles (default: --user's own), one `field<TAB>value` line per set field.
    Show {
        /// The users.
        users: Vec<String>,
    },
    /// Change --user's profile: only the fields given change.
    Set {
        /// Nickname (at most 500 bytes).
        #[arg(long)]
        nick: Option<String>,
        /// Avatar URL (at most 500 bytes).
        #[arg(long)]
        face_url: Option<String>,
        /// Signature (at most 500 bytes).
        #[arg(long)]
        signature: Option<String>,
        /// Gender: unknown, male or female.
        #[arg(long)]
        gender: Option<String>,
        /// Location (at most 16 bytes).
        #[arg(long)]
        location: Option<String>,
        /// A custom field `key=value` (key: 1..=8 letters, `Tag_Profile_Custom_` optional);
        /// repeat for several; an empty value removes the field.
        #[arg(long = "custom")]
        custom: Vec<String>,
    },
}

/// Runs `tim profile`; returns the lines to print.
pub async fn run(args: &ProfileArgs) -> Result<Vec<String>, CliError> {
    let (client, _events) = args.client.log_in().await?;
    let failed = |err: tim_rs::Error| CliError::failed(format!("{err} ({})", err.code()));
    let lines = match &args.action {
        ProfileAction::Show { users } => {
            let users = if users.is_empty() {
                vec![args.client.user.clone()]
            } else {
                users.clone()
            };
            let ids = users
                .iter()
                .map(|u| UserId::new(u).map_err(|e| CliError::usage(format!("user {u:?}: {e}"))))
                .collect::<Result<Vec<_>, _>>()?;
            let profiles = client.profiles(&ids).await.map_err(failed)?;
            profiles.iter().flat_map(profile_lines).collect()
        }
        ProfileAction::Set {
            nick,
            face_url,
            signature,
            gender,
            location,
            custom,
        } => {
            let gender = gender.as_deref().map(parse_gender).transpose()?;
            let custom_string_array = if custom.is_empty() {
                None
            } else {
                Some(
                    custom
                        .iter()
                        .map(|pair| {
                            let (key, value) = pair.split_once('=').ok_or_else(|| {
                                CliError::usage(format!("--custom {pair:?}: expected key=value"))
                            })?;
                            Ok(tim_rs::model::UserProfileCustomStringInfo {
                                key: key.to_owned(),
                                value: value.to_owned(),
                            })
                        })
                        .collect::<Result<Vec<_>, CliError>>()?,
                )
            };
            let item = UserProfileItem {
                nick_name: nick.clone(),
                face_url: face_url.clone(),
                self_signature: signature.clone(),
                gender,
                location: location.clone(),
                custom_string_array,
                ..UserProfileItem::default()
            };
            let profile = client.set_profile(item).await.map_err(failed)?;
            profile_lines(&profile)
        }
    };
    let _ = client.logout().await;
    Ok(lines)
}

fn parse_gender(text: &str) -> Result<GenderType, CliError> {
    match text {
        "unknown" => Ok(GenderType::Unknown),
        "male" => Ok(GenderType::Male),
        "female" => Ok(GenderType::Female),
        other => Err(CliError::usage(format!(
            "--gender {other:?}: unknown, male or female"
        ))),
    }
}

/// `field<TAB>value` lines of the fields a profile has set, prefixed by its user.
fn profile_lines(profile: &tim_rs::model::UserProfile) -> Vec<String> {
    let who = &profile.identifier;
    let mut lines = vec![format!("{who}\tidentifier\t{who}")];
    for (field, value) in [
        ("nick", &profile.nick_name),
        ("face_url", &profile.face_url),
        ("signature", &profile.self_signature),
        ("location", &profile.location),
    ] {
        if !value.is_empty() {
            lines.push(format!("{who}\t{field}\t{value}"));
        }
    }
    if profile.gender != GenderType::Unknown {
        let gender = format!("{:?}", profile.gender).to_lowercase();
        lines.push(format!("{who}\tgender\t{gender}"));
    }
    for field in &profile.custom_string_array {
        lines.push(format!("{who}\t{}\t{}", field.key, field.value));
    }
    lines
}
