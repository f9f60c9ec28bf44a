//! `tim usersig <sdkappid> <key> <user>`: mints a UserSig in Tencent's TLSSigAPIv2 format, as an
//! app backend would, so a test user can log in without one.

use crate::CliError;

/// Default lifetime of a minted UserSig: 7 days, as Tencent's samples use.
pub const DEFAULT_EXPIRE_SECS: u64 = 7 * 24 * 3600;

/// The arguments of `tim usersig`.
#[derive(Debug, Clone, clap::Args)]
pub struct UserSigArgs {
    /// The app's SDKAppID.
    pub sdk_app_id: u64,
    /// The app's secret key.
    pub key: String,
    /// The user ID the UserSig is for.
    pub user: String,
    /// Lifetime in seconds [default: 604800, 7 days].
    #[arg(long, default_value_t = DEFAULT_EXPIRE_SECS)]
    pub expire: u64,
}

/// The UserSig for `args`, after checking the user ID as the server will.
pub fn mint(args: &UserSigArgs) -> Result<String, CliError> {
    tim_model::UserId::new(&args.user)
        .map_err(|err| CliError::usage(format!("user {:?}: {err}", args.user)))?;
    if args.key.is_empty() {
        return Err(CliError::usage("the secret key is empty"));
    }
    if args.expire == 0 {
        return Err(CliError::usage("--expire must be at least 1 second"));
    }
    Ok(tim_server::usersig::gen_user_sig(
        args.sdk_app_id,
        &args.key,
        &args.user,
        args.expire,
    ))
}
