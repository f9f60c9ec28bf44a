//! The model against the written contract: every key string, enum value and error code is
//! checked against the frozen copies of the spec tables in `docs/spec/` (json-keys.md,
//! enums.md), and every key the model writes must be a spec key in its newest spelling.

use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::TestRunner;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::PathBuf;
use tim_model::arb::{ArbField, arbitrary};
use tim_model::json::JsonValue;
use tim_model::{codes, enums, keys};

fn spec(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../docs/spec")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
}

/// The trimmed cells of a markdown table row.
fn table_cells(line: &str) -> Vec<&str> {
    line.trim()
        .trim_matches('|')
        .split('|')
        .map(str::trim)
        .collect()
}

/// `(section heading, constant cell, key)` of every table row whose second cell is a
/// back-quoted key.
fn key_rows(text: &str) -> Vec<(String, String, String)> {
    let mut section = String::new();
    let mut rows = Vec::new();
    for line in text.lines() {
        if let Some(heading) = line.strip_prefix("## ") {
            section = heading.to_owned();
        }
        let cells: Vec<&str> = table_cells(line);
        if line.starts_with('|')
            && cells.len() > 2
            && let Some(key) = cells[1].strip_prefix('`').and_then(|c| c.split('`').next())
        {
            rows.push((section.clone(), cells[0].to_owned(), key.to_owned()));
        }
    }
    rows
}

/// The sections of json-keys.md the model covers; the others are about APIs outside the 33
/// functions of the newest seed (reactions, global do-not-disturb) or are not objects.
fn covered(section: &str, key: &str) -> bool {
    let skipped_sections = ["0.", "1.", "13.", "19.", "20.", "21."];
    !skipped_sections.iter().any(|s| section.starts_with(s)) && !key.starts_with("msg_all_recv_msg")
}

#[test]
fn every_covered_spec_key_is_in_the_key_table_with_its_constant() {
    let text = spec("json-keys.md");
    let rows = key_rows(&text);
    let covered_rows: Vec<_> = rows.iter().filter(|(s, _, k)| covered(s, k)).collect();
    assert!(
        covered_rows.len() > 280,
        "parsed only {} rows",
        covered_rows.len()
    );
    for (section, constant, key) in covered_rows {
        let entry = keys::find(key).unwrap_or_else(|| panic!("§{section}: `{key}` missing"));
        assert_eq!(
            entry.name,
            key.as_str(),
            "§{section}: `{key}` is an old spelling in the table"
        );
        let spec_constant = constant.split_whitespace().next().unwrap_or("");
        if spec_constant.starts_with('k') || spec_constant.starts_with('K') {
            assert_eq!(
                entry.c_name,
                Some(spec_constant),
                "§{section}: constant of `{key}`"
            );
        } else {
            assert_eq!(
                entry.c_name, None,
                "§{section}: `{key}` has no C constant in the spec"
            );
        }
    }
}

#[test]
fn every_key_in_the_table_comes_from_the_spec() {
    // json-keys.md for the message API; the module files for conversations, profiles and
    // callExperimentalAPI.
    let text = [
        "json-keys.md",
        "conversations.md",
        "profiles.md",
        "session-extras.md",
    ]
    .map(spec)
    .join("\n");
    // tim's own additions to SdkConfig (where the server is), documented in compatibility.md.
    let ours = [
        keys::SDK_CONFIG_SERVER_ADDRESS,
        keys::SDK_CONFIG_SERVER_CERTIFICATE,
    ];
    // Constants the spec names only by their key strings (json-keys.md §3.13 and §17 prose);
    // they are the names the C headers give those strings, kept so the header can export them.
    let constant_from_headers = |c_name: &str| {
        c_name.starts_with("kTIMUserProfileItem")
            || c_name.starts_with("kTIMFriendProfileUpdate")
            || c_name.starts_with("kTIMFriendAddPendency")
    };
    let mut seen = BTreeSet::new();
    for key in keys::ALL {
        assert!(
            seen.insert(key.name),
            "`{}` is in the table twice",
            key.name
        );
        if ours.contains(key) {
            continue;
        }
        assert!(
            text.contains(&format!("`{}`", key.name)),
            "`{}` is not in json-keys.md",
            key.name
        );
        if let Some(c_name) = key.c_name {
            assert!(
                text.contains(c_name)
                    || c_name
                        .strip_suffix("Value")
                        .is_some_and(|stem| text.contains(&format!("{stem}Key/Value")))
                    || constant_from_headers(c_name),
                "{c_name} is not in json-keys.md"
            );
        }
    }
}

#[test]
fn renamed_keys_accept_the_old_spelling_of_section_1() {
    let text = spec("json-keys.md");
    let renames: Vec<_> = key_rows(&text)
        .into_iter()
        .filter(|(s, _, _)| s.starts_with("1."))
        .collect();
    let mut checked = 0;
    let modules = ["conversations.md", "session-extras.md"]
        .map(spec)
        .join("\n");
    for key in keys::ALL {
        if let Some(alias) = key.alias {
            if modules.contains(&format!("old string `{alias}`")) {
                // A rename of the conversation or experimental module (its own table row).
                continue;
            }
            assert!(
                renames.iter().any(|(_, _, old)| old == alias),
                "old spelling `{alias}` of `{}` is not in the rename table",
                key.name
            );
            checked += 1;
        }
    }
    // Every rename of section 1 whose new key the model carries has its alias.
    for (_, constant, old) in &renames {
        let constant = constant.split_whitespace().next().unwrap_or("");
        if let Some(key) = keys::ALL.iter().find(|k| k.c_name == Some(constant)) {
            assert_eq!(key.alias, Some(old.as_str()), "{constant}");
        }
    }
    assert_eq!(checked, 6, "the six renamed keys of the message API");
}

fn collect_keys(value: &Value, into: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (key, item) in map {
                into.insert(key.clone());
                collect_keys(item, into);
            }
        }
        Value::Array(items) => items.iter().for_each(|item| collect_keys(item, into)),
        _ => {}
    }
}

fn written_keys<T: ArbField + JsonValue + 'static>(
    runner: &mut TestRunner,
    into: &mut BTreeSet<String>,
) {
    let strategy = arbitrary::<T>();
    for _ in 0..64 {
        let tree = strategy
            .new_tree(runner)
            .unwrap_or_else(|err| panic!("{err}"));
        collect_keys(&tree.current().to_json(), into);
    }
}

#[test]
fn every_key_the_model_writes_is_a_spec_key_in_its_newest_spelling() {
    use tim_model::*;
    let mut runner = TestRunner::deterministic();
    let mut written = BTreeSet::new();
    written_keys::<Message>(&mut runner, &mut written);
    written_keys::<MsgLocator>(&mut runner, &mut written);
    written_keys::<RevokeInfo>(&mut runner, &mut written);
    written_keys::<GetMsgListParam>(&mut runner, &mut written);
    written_keys::<MsgDeleteParam>(&mut runner, &mut written);
    written_keys::<BatchSendParam>(&mut runner, &mut written);
    written_keys::<BatchSendResult>(&mut runner, &mut written);
    written_keys::<DownloadElemParam>(&mut runner, &mut written);
    written_keys::<DownloadElemResult>(&mut runner, &mut written);
    written_keys::<SearchParam>(&mut runner, &mut written);
    written_keys::<SearchResult>(&mut runner, &mut written);
    written_keys::<MessageReceipt>(&mut runner, &mut written);
    written_keys::<MessageExtensionResult>(&mut runner, &mut written);
    written_keys::<ExtensionKeyList>(&mut runner, &mut written);
    written_keys::<C2cRecvMsgOptResult>(&mut runner, &mut written);
    written_keys::<TranslateTextResult>(&mut runner, &mut written);
    written_keys::<OfflinePushToken>(&mut runner, &mut written);
    written_keys::<SdkConfig>(&mut runner, &mut written);
    for (elem_type, elem) in [
        (5, Elem::GroupTips(Default::default())),
        (8, Elem::GroupReport(Default::default())),
        (10, Elem::FriendChange(Default::default())),
        (11, Elem::ProfileChange(Default::default())),
        (12, Elem::Merge(Default::default())),
    ] {
        assert_eq!(elem.elem_type().value(), elem_type);
        collect_keys(&elem.to_json(), &mut written);
    }

    let text = spec("json-keys.md");
    let table: BTreeSet<&str> = keys::ALL.iter().map(|k| k.name).collect();
    // The pass-through friend-profile item writes the caller's own keys (generated as "x-...").
    let free_form = |key: &str| key.starts_with("x-");
    for key in &written {
        if table.contains(key.as_str()) {
            assert!(
                keys::find(key).is_some_and(|k| k.name == key),
                "`{key}` written in an old spelling"
            );
        } else {
            assert!(
                free_form(key),
                "the model writes `{key}`, which is not a spec key"
            );
        }
    }
    // And the other way round: every covered spec key is written by some model type.
    for (section, _, key) in key_rows(&text) {
        if covered(&section, &key) {
            assert!(
                written.contains(&key),
                "§{section}: no model type writes `{key}`"
            );
        }
    }
}

fn enum_defined(text: &str, c_name: &str, value: i32) -> bool {
    let table_row = |line: &str| {
        let cells: Vec<&str> = table_cells(line);
        cells
            .first()
            .is_some_and(|c| c.split_whitespace().next() == Some(c_name))
            && cells[1..]
                .iter()
                .any(|c| c.trim_start_matches("new ").starts_with(&value.to_string()))
    };
    if text
        .lines()
        .any(|line| line.starts_with('|') && table_row(line))
    {
        return true;
    }
    // Compact forms: "kTIMGroup_Public 0", "_AllowAny 1", "FriendAdd 1 (all prefixed ...)".
    let parts: Vec<&str> = c_name.split('_').collect();
    (0..parts.len()).any(|skip| {
        let suffix = parts[skip..].join("_");
        [
            format!("{c_name} {value}"),
            format!("_{suffix} {value}"),
            format!(" {suffix} {value}"),
        ]
        .iter()
        .any(|form| {
            text.match_indices(form.as_str())
                .any(|(at, _)| !text[at + form.len()..].starts_with(|c: char| c.is_ascii_digit()))
        })
    })
}

macro_rules! check_enums {
    ($text:expr, $($enum:ty),* $(,)?) => {{
        let mut variants = 0;
        $(
            assert!($text.contains(<$enum>::C_NAME), "{} is not in enums.md", <$enum>::C_NAME);
            for (variant, c_name) in <$enum>::VARIANTS {
                assert!(
                    enum_defined($text, c_name, variant.value()),
                    "{}::{c_name} = {} is not in enums.md", <$enum>::C_NAME, variant.value()
                );
                assert_eq!(<$enum>::from_value(i64::from(variant.value())), Some(*variant));
                variants += 1;
            }
        )*
        variants
    }};
}

#[test]
fn every_enum_variant_has_the_spec_name_and_number() {
    use enums::*;
    let text = spec("enums.md");
    let variants = check_enums!(
        &text,
        ConvType,
        ElemType,
        MsgStatus,
        MsgPriority,
        Platform,
        ImageLevel,
        DownloadType,
        ReceiveMessageOpt,
        KeywordListMatchType,
        GroupMessageReadMembersFilter,
        OfflinePushFlag,
        AndroidOfflinePushNotifyMode,
        IosOfflinePushType,
        OfflinePushTokenType,
        LoginStatus,
        NetworkStatus,
        LogLevel,
        GroupTipType,
        GroupTipGroupChangeFlag,
        GroupReportType,
        GroupMemberRole,
        GroupType,
        GroupAddOption,
        ProfileChangeType,
        FriendChangeType,
        GenderType,
        ProfileAddPermission,
    );
    assert!(variants > 150, "{variants}");
}

#[test]
fn enums_with_their_own_table_have_every_row() {
    use enums::*;
    let text = spec("enums.md");
    let rows_under = |heading: &str| {
        let start = text
            .find(&format!("### {heading}"))
            .unwrap_or_else(|| panic!("{heading}"));
        text[start..]
            .lines()
            .skip(1)
            .take_while(|line| !line.starts_with('#'))
            .filter(|line| {
                let first = line.trim_start_matches('|').trim_start();
                line.starts_with('|') && (first.starts_with('k') || first.starts_with("TIM"))
            })
            .count()
    };
    for (heading, count) in [
        ("TIMConvType", ConvType::VARIANTS.len()),
        ("TIMElemType", ElemType::VARIANTS.len()),
        ("TIMMsgStatus", MsgStatus::VARIANTS.len()),
        ("TIMMsgPriority", MsgPriority::VARIANTS.len()),
        ("TIMPlatform", Platform::VARIANTS.len()),
        ("TIMImageLevel", ImageLevel::VARIANTS.len()),
        ("TIMDownloadType", DownloadType::VARIANTS.len()),
        ("TIMReceiveMessageOpt", ReceiveMessageOpt::VARIANTS.len()),
        (
            "TIMKeywordListMatchType",
            KeywordListMatchType::VARIANTS.len(),
        ),
        (
            "TIMGroupMessageReadMembersFilter",
            GroupMessageReadMembersFilter::VARIANTS.len(),
        ),
        ("TIMGroupTipType", GroupTipType::VARIANTS.len()),
        (
            "TIMGroupTipGroupChangeFlag",
            GroupTipGroupChangeFlag::VARIANTS.len(),
        ),
        ("TIMGroupReportType", GroupReportType::VARIANTS.len()),
        ("TIMGroupMemberRole", GroupMemberRole::VARIANTS.len()),
    ] {
        assert_eq!(rows_under(heading), count, "{heading}");
    }
}

#[test]
fn the_error_table_matches_every_code_of_the_spec() {
    let text = spec("enums.md");
    let section = &text[text.find("## 6. Error codes").unwrap_or(0)..];
    let mut spec_rows = 0;
    for line in section.lines().filter(|line| line.starts_with('|')) {
        let cells: Vec<&str> = table_cells(line);
        // Rows are "| NAME | value | ..." or, in the compact table, two such pairs per row.
        for pair in [0, 3] {
            let (Some(name), Some(value)) = (cells.get(pair), cells.get(pair + 1)) else {
                continue;
            };
            let name = name.split_whitespace().next().unwrap_or("");
            let Ok(value) = value.parse::<i32>() else {
                continue;
            };
            if !name.starts_with("ERR_") {
                continue;
            }
            let entry = codes::ALL.iter().find(|e| e.name == name);
            assert_eq!(entry.map(|e| e.code), Some(value), "{name}");
            spec_rows += 1;
        }
    }
    assert!(spec_rows > 250, "{spec_rows}");
    // Names given in ranges and prose ("ERR_BIND_FAIL_* 6100–6107: ... NO_SSOTICKET 6101").
    for entry in codes::ALL {
        let parts: Vec<&str> = entry.name.split('_').collect();
        let found = section.contains(entry.name)
            || (1..parts.len()).any(|skip| {
                let suffix = parts[skip..].join("_");
                section.contains(&format!("{suffix} {}", entry.code))
            });
        assert!(found, "{} = {} is not in enums.md", entry.name, entry.code);
        assert!(!entry.message.is_empty(), "{}", entry.name);
    }
}

#[test]
fn the_results_of_every_call_have_their_spec_numbers() {
    let text = spec("enums.md");
    for (name, value) in [
        ("TIM_SUCC", codes::result::TIM_SUCC),
        ("TIM_ERR_SDKUNINIT", codes::result::TIM_ERR_SDKUNINIT),
        ("TIM_ERR_NOTLOGIN", codes::result::TIM_ERR_NOTLOGIN),
        ("TIM_ERR_JSON", codes::result::TIM_ERR_JSON),
        ("TIM_ERR_PARAM", codes::result::TIM_ERR_PARAM),
        ("TIM_ERR_CONV", codes::result::TIM_ERR_CONV),
        ("TIM_ERR_GROUP", codes::result::TIM_ERR_GROUP),
    ] {
        assert!(text.contains(&format!("| {name} | {value} |")), "{name}");
    }
}

#[test]
fn conversation_enums_have_the_spec_names_and_numbers() {
    use enums::*;
    let text = spec("conversations.md");
    let variants = check_enums!(&text, ConvEvent, GroupAtType);
    assert_eq!(variants, 5 + 3);
    // The marks are bit flags, written in hex.
    for (variant, c_name) in ConversationMarkType::VARIANTS {
        let row = format!("| {c_name} | {:#x}", variant.value());
        assert!(text.contains(&row), "{row} is not in conversations.md");
    }
}
