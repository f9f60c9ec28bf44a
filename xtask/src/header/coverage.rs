//! Checks that the C surface read from the tim-capi sources is the one the compatibility
//! contract asks for: every prototype of `docs/spec/functions.md` (the 33 `TIMMsg*` functions,
//! the session calls and the callback setters) is exported with the same C types, and every
//! export has its row in `docs/compatibility.md`.

use super::SOURCE_DIR;
use super::parse::{self, Signature};
use std::collections::BTreeMap;
use std::path::Path;

/// The heading of the per-function table in `docs/compatibility.md`.
const TABLE_HEADING: &str = "### Every exported function";

/// A prototype reduced to what the ABI and a C compiler see: return type and parameter types,
/// with `enum`, parameter names, export macros and spacing around `*` removed.
#[derive(Debug, PartialEq, Eq)]
struct Shape {
    returns: String,
    params: Vec<String>,
}

/// `const char *x` -> `const char*`; `enum TIMConvType` -> `TIMConvType`; `(void)`/`()` -> none.
fn normalise_type(text: &str) -> String {
    let spaced = text.replace('*', " * ");
    let words: Vec<&str> = spaced
        .split_whitespace()
        .filter(|word| *word != "enum")
        .collect();
    words.join(" ").replace(" *", "*")
}

/// Splits `type name` into its type, dropping the name (the last identifier).
fn param_type(param: &str) -> String {
    let param = param.trim();
    let cut = param
        .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .map_or(0, |at| at + 1);
    normalise_type(&param[..cut])
}

/// Parses one spec prototype line: `TIM_DECL int TIMMsgX(const char* a, ...);`.
fn spec_shape(line: &str) -> Option<(String, Shape)> {
    let open = line.find('(')?;
    let close = line.rfind(')')?;
    let head: Vec<&str> = line[..open].split_whitespace().collect();
    let (name, rest) = head.split_last()?;
    let returns = rest
        .iter()
        .filter(|word| !matches!(**word, "TIM_DECL" | "TIM_API"))
        .copied()
        .collect::<Vec<_>>()
        .join(" ");
    let inner = line[open + 1..close].trim();
    let params = if inner.is_empty() || inner == "void" {
        Vec::new()
    } else {
        inner.split(',').map(param_type).collect()
    };
    Some((
        (*name).to_owned(),
        Shape {
            returns: normalise_type(&returns.replace("const char* const", "const char*")),
            params,
        },
    ))
}

/// Every prototype the spec prints for an exported function (code blocks and table cells).
fn spec_prototypes(spec: &str) -> BTreeMap<String, Shape> {
    let mut found = BTreeMap::new();
    for line in spec.lines() {
        for piece in line.split('`') {
            let piece = piece.trim();
            let exported = piece.starts_with("TIM_DECL ") || piece.starts_with("TIM_API ");
            if exported
                && piece.ends_with(");")
                && !piece.contains("typedef")
                && let Some((name, shape)) = spec_shape(piece)
            {
                // The first prototype printed for a name is the newest source's.
                found.entry(name).or_insert(shape);
            }
        }
    }
    found
}

fn export_shape(function: &Signature) -> Shape {
    Shape {
        returns: normalise_type(&function.returns),
        params: function
            .params
            .iter()
            .map(|param| normalise_type(&param.c_type))
            .collect(),
    }
}

fn exports(root: &Path) -> Vec<Signature> {
    let sources = parse::read_sources(root, &root.join(SOURCE_DIR))
        .unwrap_or_else(|err| panic!("cannot read the tim-capi sources: {err}"));
    let enums = tim_model::enums::ALL_ENUMS
        .iter()
        .map(|e| e.c_name)
        .collect();
    parse::surface(&sources, &enums)
        .unwrap_or_else(|err| panic!("cannot parse the tim-capi sources: {err}"))
        .functions
}

/// The functions of §5 ("The 33 TIMMsg* functions"), §2 (callback setters) and §3 (session).
fn required(spec: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut section = "";
    for line in spec.lines() {
        if let Some(title) = line.strip_prefix("## ") {
            section = title;
            continue;
        }
        let wanted =
            section.starts_with("2.") || section.starts_with("3.") || section.starts_with("5.");
        if !wanted {
            continue;
        }
        if let Some(rest) = line.strip_prefix("### 5.") {
            if let Some(name) = rest.split_whitespace().nth(1) {
                names.push(name.to_owned());
            }
        } else if let Some(cell) = line.strip_prefix("| ") {
            let name = cell.split(' ').next().unwrap_or_default();
            if name.starts_with("TIM") && !section.starts_with("5.") {
                names.push(name.to_owned());
            }
        }
    }
    names
}

/// Setters of §2 that belong to other modules of Tencent's SDK (reactions, global receive
/// option, group tips): the message API we replace does not include them (issue "C ABI").
const NOT_REQUIRED: &[&str] = &[
    "TIMSetMsgReactionsChangedCallback",
    "TIMSetMsgAllMessageReceiveOptionCallback",
    "TIMSetGroupTipsEventCallback",
];

#[test]
fn every_required_function_is_exported_with_the_specs_c_types() {
    let root = crate::workspace_root();
    let spec = std::fs::read_to_string(root.join("docs/spec/functions.md"))
        .unwrap_or_else(|err| panic!("docs/spec/functions.md: {err}"));
    let prototypes = spec_prototypes(&spec);
    let exported: BTreeMap<String, Shape> = exports(&root)
        .iter()
        .map(|function| (function.name.clone(), export_shape(function)))
        .collect();
    let required: Vec<String> = required(&spec)
        .into_iter()
        .filter(|name| !NOT_REQUIRED.contains(&name.as_str()))
        .collect();
    let msg_functions = required
        .iter()
        .filter(|name| name.starts_with("TIMMsg"))
        .count();
    assert_eq!(
        msg_functions, 33,
        "functions.md §5 lists 33 TIMMsg* functions"
    );
    assert_eq!(
        required.len(),
        33 + 12 + 9,
        "33 TIMMsg*, 12 setters, 9 session calls"
    );
    for name in &required {
        let ours = exported
            .get(name)
            .unwrap_or_else(|| panic!("{name} is required but tim-capi does not export it"));
        let theirs = prototypes
            .get(name)
            .unwrap_or_else(|| panic!("functions.md prints no prototype for {name}"));
        assert_eq!(
            ours, theirs,
            "{name}: our C types differ from the spec's prototype"
        );
    }
}

#[test]
fn every_export_has_a_row_in_the_compatibility_doc() {
    let root = crate::workspace_root();
    let doc = std::fs::read_to_string(root.join("docs/compatibility.md"))
        .unwrap_or_else(|err| panic!("docs/compatibility.md: {err}"));
    let table = doc
        .split(TABLE_HEADING)
        .nth(1)
        .unwrap_or_else(|| panic!("docs/compatibility.md has no `{TABLE_HEADING}` table"));
    let rows: Vec<&str> = table
        .lines()
        .skip_while(|line| !line.starts_with('|'))
        .take_while(|line| line.starts_with('|'))
        .filter_map(|line| line.trim_start_matches('|').split('|').next())
        .map(str::trim)
        .filter(|name| name.starts_with("TIM") || *name == "callExperimentalAPI")
        .collect();
    let mut names: Vec<String> = exports(&root).into_iter().map(|f| f.name).collect();
    names.sort();
    let mut listed: Vec<String> = rows.iter().map(|name| (*name).to_owned()).collect();
    listed.sort();
    assert_eq!(
        listed, names,
        "the `{TABLE_HEADING}` table of docs/compatibility.md must have one row per export"
    );
}

/// The exports of Tencent's library that the issue "Real apps" covers: `callExperimentalAPI`,
/// the 71 callback setters (`…Callback`), the 22 `TIMConv*` and the 2 `TIMProfile*` functions.
fn module_exports(list: &str) -> Vec<&str> {
    list.lines()
        .map(str::trim)
        .filter(|name| {
            *name == "callExperimentalAPI"
                || name.ends_with("Callback")
                || name.starts_with("TIMConv")
                || name.starts_with("TIMProfile")
        })
        .collect()
}

#[test]
fn the_module_exports_are_all_there_with_the_specs_c_types() {
    let root = crate::workspace_root();
    let mut prototypes = BTreeMap::new();
    for file in [
        "functions.md",
        "conversations.md",
        "profiles.md",
        "session-extras.md",
    ] {
        let spec = std::fs::read_to_string(root.join("docs/spec").join(file))
            .unwrap_or_else(|err| panic!("docs/spec/{file}: {err}"));
        for (name, shape) in spec_prototypes(&spec) {
            prototypes.entry(name).or_insert(shape);
        }
    }
    let exported: BTreeMap<String, Shape> = exports(&root)
        .iter()
        .map(|function| (function.name.clone(), export_shape(function)))
        .collect();
    for (name, ours) in &exported {
        if let Some(theirs) = prototypes.get(name) {
            assert_eq!(
                ours, theirs,
                "{name}: our C types differ from the spec's prototype"
            );
        }
    }
    let list = std::fs::read_to_string(root.join("docs/spec/tencent-exports.txt"))
        .unwrap_or_else(|err| panic!("docs/spec/tencent-exports.txt: {err}"));
    let wanted = module_exports(&list);
    assert_eq!(wanted.len(), 1 + 71 + 22 + 2, "{wanted:?}");
    for name in wanted {
        assert!(
            exported.contains_key(name),
            "{name} is exported by Tencent's library but not by tim-capi"
        );
        assert!(
            prototypes.contains_key(name),
            "no spec prototype for {name}"
        );
    }
}

#[test]
fn spec_prototypes_reduce_to_types() {
    let (name, shape) = spec_shape(
        "TIM_DECL int TIMMsgTranslateText(const char *json_source_text_array, const char *source_language, TIMCommCallback cb, const void *user_data);",
    )
    .unwrap_or_else(|| panic!("not parsed"));
    assert_eq!(name, "TIMMsgTranslateText");
    assert_eq!(shape.returns, "int");
    assert_eq!(
        shape.params,
        [
            "const char*",
            "const char*",
            "TIMCommCallback",
            "const void*"
        ]
    );
    let (_, session) = spec_shape("TIM_API TIMLoginStatus TIMGetLoginStatus();")
        .unwrap_or_else(|| panic!("not parsed"));
    assert_eq!(session.returns, "TIMLoginStatus");
    assert!(session.params.is_empty());
}
