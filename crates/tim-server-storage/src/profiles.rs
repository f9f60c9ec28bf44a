//! User profiles (TIMProfileGetUserProfileList, TIMProfileModifySelfUserProfile), the sender
//! profile messages carry, and the revoker's nickname on revoke.
//!
//! Decisions (this module; the table is in `model::profiles`):
//! - A user changes only their own profile; anyone of the same app reads any profile (as
//!   Tencent's: profiles are public within the app). A user who never set one reads as the
//!   empty profile with their ID.
//! - Limits (profiles.md §4; 40601 beyond): nickname, signature and avatar URL at most
//!   [`MAX_TEXT`] bytes, location at most [`MAX_LOCATION`] bytes, custom values at most
//!   [`MAX_TEXT`] bytes, at most [`MAX_CUSTOM_FIELDS`] custom fields. A custom key is
//!   `Tag_Profile_Custom_` followed by 1..=8 ASCII letters (the prefix is added when missing;
//!   9001 otherwise). Gender and add permission must be their enums' numbers (40001).
//! - Custom fields are merged by key; an empty value removes the field.
//! - A change is logged for every device of the user (`ProfileChangedPush`); messages sent
//!   afterwards carry the profile as `sender_profile`.

use crate::AppId;
use tim_model::codes;
use tim_model::enums::{GenderType, ProfileAddPermission};
use tim_model::ids::UserId;
use tim_proto::v1;

/// Nickname, signature, avatar URL and custom values, bytes.
pub const MAX_TEXT: usize = 500;
/// Location, bytes.
pub const MAX_LOCATION: usize = 16;
/// Custom fields per profile.
pub const MAX_CUSTOM_FIELDS: usize = 20;
/// Users per read.
pub const MAX_READ: usize = 100;
/// The prefix of custom profile keys.
pub const CUSTOM_PREFIX: &str = "Tag_Profile_Custom_";

/// A change of the caller's profile (see [`WriteOp::Profile`](super::WriteOp)).
#[derive(Debug, Clone)]
pub struct ProfileWrite {
    /// App.
    pub app: AppId,
    /// The caller.
    pub user: UserId,
    /// The fields to change (checked by [`check_item`]).
    pub item: v1::UserProfileItem,
}

/// The reads of this area.
pub trait ProfileReads {
    /// The profiles of `users` (the empty profile with the ID for one never set), in order.
    fn profiles(
        &self,
        app: AppId,
        users: &[UserId],
    ) -> Result<Vec<v1::UserProfile>, super::StorageError>;
}

fn too_long(field: &str, len: usize, max: usize) -> (i32, String) {
    (
        codes::ERR_SVR_PROFILE_SIZE_LIMIT,
        format!("{field}: {len} bytes, at most {max}"),
    )
}

/// The custom key with its prefix, or 9001 for a key that is not 1..=8 ASCII letters.
pub fn custom_key(key: &str) -> Result<String, (i32, String)> {
    let short = key.strip_prefix(CUSTOM_PREFIX).unwrap_or(key);
    if short.is_empty() || short.len() > 8 || !short.bytes().all(|b| b.is_ascii_alphabetic()) {
        return Err((
            codes::ERR_SDK_FRIENDSHIP_INVALID_PROFILE_KEY,
            format!("custom profile key {key:?}: 1..=8 ASCII letters after {CUSTOM_PREFIX}"),
        ));
    }
    Ok(format!("{CUSTOM_PREFIX}{short}"))
}

/// Checks `item` against the limits and normalises its custom keys.
pub fn check_item(item: &mut v1::UserProfileItem) -> Result<(), (i32, String)> {
    for (field, value, max) in [
        ("user_profile_item_nick_name", &item.nick_name, MAX_TEXT),
        ("user_profile_item_face_url", &item.face_url, MAX_TEXT),
        (
            "user_profile_item_self_signature",
            &item.self_signature,
            MAX_TEXT,
        ),
        ("user_profile_item_location", &item.location, MAX_LOCATION),
    ] {
        if let Some(value) = value
            && value.len() > max
        {
            return Err(too_long(field, value.len(), max));
        }
    }
    if let Some(gender) = item.gender
        && GenderType::from_value(i64::from(gender)).is_none()
    {
        return Err((
            codes::ERR_SVR_PROFILE_INVALID_PARAMETERS,
            format!("user_profile_item_gender: {gender} is not a TIMGenderType"),
        ));
    }
    if let Some(permission) = item.add_permission
        && ProfileAddPermission::from_value(i64::from(permission)).is_none()
    {
        return Err((
            codes::ERR_SVR_PROFILE_INVALID_PARAMETERS,
            format!(
                "user_profile_item_add_permission: {permission} is not a TIMProfileAddPermission"
            ),
        ));
    }
    if let Some(custom) = &mut item.custom_string_array {
        if custom.items.len() > MAX_CUSTOM_FIELDS {
            return Err(too_long(
                "custom fields",
                custom.items.len(),
                MAX_CUSTOM_FIELDS,
            ));
        }
        for field in &mut custom.items {
            field.key = custom_key(&field.key)?;
            if field.value.len() > MAX_TEXT {
                return Err(too_long(&field.key, field.value.len(), MAX_TEXT));
            }
        }
    }
    Ok(())
}

/// `profile` with the fields of `item` applied (custom fields merged by key; an empty value
/// removes one): 40601 when the merged custom fields exceed [`MAX_CUSTOM_FIELDS`].
pub fn apply_item(
    mut profile: v1::UserProfile,
    item: &v1::UserProfileItem,
) -> Result<v1::UserProfile, (i32, String)> {
    let set = |target: &mut String, value: &Option<String>| {
        if let Some(value) = value {
            target.clone_from(value);
        }
    };
    set(&mut profile.nick_name, &item.nick_name);
    set(&mut profile.face_url, &item.face_url);
    set(&mut profile.self_signature, &item.self_signature);
    set(&mut profile.location, &item.location);
    if let Some(gender) = item.gender {
        profile.gender = gender;
    }
    if let Some(permission) = item.add_permission {
        profile.add_permission = permission;
    }
    for (target, value) in [
        (&mut profile.language, item.language),
        (&mut profile.birthday, item.birthday),
        (&mut profile.level, item.level),
        (&mut profile.role, item.role),
    ] {
        if let Some(value) = value {
            *target = value;
        }
    }
    if let Some(custom) = &item.custom_string_array {
        for field in &custom.items {
            profile.custom_string_array.retain(|f| f.key != field.key);
            if !field.value.is_empty() {
                profile.custom_string_array.push(field.clone());
            }
        }
        if profile.custom_string_array.len() > MAX_CUSTOM_FIELDS {
            return Err(too_long(
                "custom fields",
                profile.custom_string_array.len(),
                MAX_CUSTOM_FIELDS,
            ));
        }
    }
    Ok(profile)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn custom_keys_get_their_prefix_and_bad_ones_are_refused() {
        assert_eq!(custom_key("Hobby").unwrap(), "Tag_Profile_Custom_Hobby");
        assert_eq!(
            custom_key("Tag_Profile_Custom_Hobby").unwrap(),
            "Tag_Profile_Custom_Hobby"
        );
        for bad in ["", "toolongkey", "a1", "Tag_Profile_Custom_"] {
            assert!(custom_key(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn items_apply_only_their_fields_and_merge_custom_fields() {
        let profile = v1::UserProfile {
            identifier: "alice".into(),
            nick_name: "Al".into(),
            level: 3,
            custom_string_array: vec![v1::UserProfileCustomStringInfo {
                key: "Tag_Profile_Custom_A".into(),
                value: "1".into(),
            }],
            ..Default::default()
        };
        let mut item = v1::UserProfileItem {
            face_url: Some("https://x/a.png".into()),
            custom_string_array: Some(v1::UserProfileCustomStringList {
                items: vec![
                    v1::UserProfileCustomStringInfo {
                        key: "B".into(),
                        value: "2".into(),
                    },
                    v1::UserProfileCustomStringInfo {
                        key: "A".into(),
                        value: String::new(),
                    },
                ],
            }),
            ..Default::default()
        };
        check_item(&mut item).unwrap();
        let next = apply_item(profile, &item).unwrap();
        assert_eq!(next.nick_name, "Al");
        assert_eq!(next.level, 3);
        assert_eq!(next.face_url, "https://x/a.png");
        assert_eq!(next.custom_string_array.len(), 1);
        assert_eq!(next.custom_string_array[0].key, "Tag_Profile_Custom_B");
    }

    #[test]
    fn limits_refuse_with_their_codes() {
        let mut long = v1::UserProfileItem {
            nick_name: Some("n".repeat(MAX_TEXT + 1)),
            ..Default::default()
        };
        assert_eq!(
            check_item(&mut long).unwrap_err().0,
            codes::ERR_SVR_PROFILE_SIZE_LIMIT
        );
        let mut gender = v1::UserProfileItem {
            gender: Some(7),
            ..Default::default()
        };
        assert_eq!(
            check_item(&mut gender).unwrap_err().0,
            codes::ERR_SVR_PROFILE_INVALID_PARAMETERS
        );
        let mut location = v1::UserProfileItem {
            location: Some("l".repeat(MAX_LOCATION + 1)),
            ..Default::default()
        };
        assert!(check_item(&mut location).is_err());
    }
}
