//! Conformance: offline push tokens.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use super::*;
use crate::push::PushWrite;

fn token(text: &str, token_type: i32) -> v1::OfflinePushToken {
    v1::OfflinePushToken {
        token: text.into(),
        business_id: 7,
        token_type,
        is_tpns_token: false,
    }
}

fn set(storage: &dyn Storage, who: &str, device: &str, value: Option<v1::OfflinePushToken>) {
    set_capped(storage, who, device, value, 16);
}

fn set_capped(
    storage: &dyn Storage,
    who: &str,
    device: &str,
    value: Option<v1::OfflinePushToken>,
    max_tokens: usize,
) {
    let outcome = apply_one(
        storage,
        WriteOp::Push(Box::new(PushWrite::SetToken {
            app: APP,
            user: user(who),
            device_id: device.into(),
            platform: 3,
            token: value,
            max_tokens,
        })),
    );
    assert!(matches!(outcome.result, Ok(Applied::Done)), "{outcome:?}");
    assert!(outcome.deliveries.is_empty() && outcome.notices.is_empty());
}

fn devices(storage: &dyn Storage, app: AppId, who: &str) -> Vec<(String, String)> {
    storage
        .push_tokens(app, &user(who))
        .unwrap()
        .into_iter()
        .map(|r| (r.device_id, r.token.token))
        .collect()
}

/// Tokens are kept per (app, user, device), replaced by a new one and removed by `None`.
pub fn push_tokens_are_kept_per_device_replaced_and_removed(storage: &dyn Storage) {
    assert!(devices(storage, APP, "bob").is_empty());
    set(storage, "bob", "phone", Some(token("aa01", 0)));
    set(storage, "bob", "tablet", Some(token("bb02", 2)));
    set(storage, "bobby", "phone", Some(token("cc03", 0)));
    set(storage, "bo", "phone", Some(token("dd04", 0)));
    let records = storage.push_tokens(APP, &user("bob")).unwrap();
    assert_eq!(records.len(), 2);
    assert_eq!(records[0].device_id, "phone");
    assert_eq!(records[0].platform, 3);
    assert_eq!(records[0].token, token("aa01", 0));
    assert_eq!(records[1].token, token("bb02", 2));
    assert!(devices(storage, APP + 1, "bob").is_empty());

    set(storage, "bob", "phone", Some(token("ee05", 0)));
    assert_eq!(
        devices(storage, APP, "bob"),
        vec![
            ("phone".into(), "ee05".into()),
            ("tablet".into(), "bb02".into())
        ]
    );
    set(storage, "bob", "phone", None);
    set(storage, "bob", "nowhere", None);
    assert_eq!(
        devices(storage, APP, "bob"),
        vec![("tablet".into(), "bb02".into())]
    );
    assert_eq!(
        devices(storage, APP, "bobby"),
        vec![("phone".into(), "cc03".into())]
    );
    assert_eq!(
        devices(storage, APP, "bo"),
        vec![("phone".into(), "dd04".into())]
    );
}

/// At most `max_tokens` per user: a new device's token replaces the one set longest ago (a
/// device that sets its token again becomes the newest), other users are untouched.
pub fn push_tokens_are_capped_per_user_replacing_the_oldest(storage: &dyn Storage) {
    set(storage, "other", "phone", Some(token("0001", 0)));
    for index in 0..5 {
        set_capped(
            storage,
            "capped",
            &format!("d{index}"),
            Some(token(&format!("a{index}"), 0)),
            3,
        );
    }
    let held = |storage: &dyn Storage| -> Vec<String> {
        devices(storage, APP, "capped")
            .into_iter()
            .map(|(device, _)| device)
            .collect()
    };
    assert_eq!(held(storage), ["d2", "d3", "d4"]);
    // d2 sets its token again: now d3 is the oldest.
    set_capped(storage, "capped", "d2", Some(token("b2", 0)), 3);
    set_capped(storage, "capped", "d5", Some(token("a5", 0)), 3);
    assert_eq!(held(storage), ["d2", "d4", "d5"]);
    // A removed token frees its place.
    set_capped(storage, "capped", "d4", None, 3);
    set_capped(storage, "capped", "d6", Some(token("a6", 0)), 3);
    assert_eq!(held(storage), ["d2", "d5", "d6"]);
    // A smaller cap trims to it on the next set; zero counts as one.
    set_capped(storage, "capped", "d7", Some(token("a7", 0)), 0);
    assert_eq!(held(storage), ["d7"]);
    assert_eq!(
        devices(storage, APP, "other"),
        vec![("phone".into(), "0001".into())]
    );
}
