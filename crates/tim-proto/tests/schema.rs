//! The schema of `proto/tim/v1`, checked from the compiled descriptors:
//!
//! - every field (message, name, number, type) matches the checked-in list
//!   `tests/snapshots/wire-v1.txt`, so that no change to the wire goes unnoticed in review. After
//!   an intended change (new fields only: numbers are never reused or renumbered), regenerate the
//!   list with `TIM_BLESS=1 cargo test -p tim-proto --test schema`;
//! - every request body of ClientFrame is answered by the ServerFrame body of the same number;
//! - every SyncEvent case is the ServerFrame push of the same number and type.

use std::collections::BTreeMap;
use std::error::Error;
use std::path::{Path, PathBuf};

/// One field of a message as the schema declares it.
#[derive(Debug, Clone, PartialEq)]
struct Field {
    name: String,
    number: i32,
    /// `repeated`/`optional` and the type, e.g. `repeated tim.v1.Elem`, `optional int32`.
    ty: String,
    /// The (non-synthetic) oneof the field belongs to.
    oneof: Option<String>,
}

/// Every message of package tim.v1 by full name.
type Schema = BTreeMap<String, Vec<Field>>;

fn proto_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../proto")
}

fn compile() -> Result<Schema, Box<dyn Error>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(proto_root().join("tim/v1"))? {
        let path = entry?.path();
        if path.extension().is_some_and(|ext| ext == "proto") {
            files.push(path.strip_prefix(proto_root())?.to_path_buf());
        }
    }
    files.sort();
    let set = protox::compile(&files, [proto_root()])?;
    let mut schema = Schema::new();
    for file in &set.file {
        let mut pending: Vec<(String, &_)> = file
            .message_type
            .iter()
            .map(|message| (format!("{}.{}", file.package(), message.name()), message))
            .collect();
        while let Some((name, message)) = pending.pop() {
            for nested in &message.nested_type {
                pending.push((format!("{name}.{}", nested.name()), nested));
            }
            let fields = message
                .field
                .iter()
                .map(|field| {
                    let scalar = field.r#type().as_str_name().trim_start_matches("TYPE_");
                    let base = if field.type_name().is_empty() {
                        scalar.to_lowercase()
                    } else {
                        field.type_name().trim_start_matches('.').to_owned()
                    };
                    let label = if field.label().as_str_name() == "LABEL_REPEATED" {
                        "repeated "
                    } else if field.proto3_optional() {
                        "optional "
                    } else {
                        ""
                    };
                    let oneof = field
                        .oneof_index
                        .filter(|_| !field.proto3_optional())
                        .and_then(|index| message.oneof_decl.get(usize::try_from(index).ok()?))
                        .map(|oneof| oneof.name().to_owned());
                    Field {
                        name: field.name().to_owned(),
                        number: field.number(),
                        ty: format!("{label}{base}"),
                        oneof,
                    }
                })
                .collect();
            schema.insert(name, fields);
        }
    }
    Ok(schema)
}

fn render(schema: &Schema) -> String {
    let mut text = String::new();
    for (message, fields) in schema {
        let mut fields = fields.clone();
        fields.sort_by_key(|field| field.number);
        for field in &fields {
            let oneof = field
                .oneof
                .as_ref()
                .map(|oneof| format!(" (oneof {oneof})"))
                .unwrap_or_default();
            text.push_str(&format!(
                "{message}.{} = {} {}{oneof}\n",
                field.name, field.number, field.ty
            ));
        }
        if fields.is_empty() {
            text.push_str(&format!("{message} (no fields)\n"));
        }
    }
    text
}

#[test]
fn wire_fields_match_the_checked_in_list() {
    let rendered = render(&compile().unwrap());
    let snapshot = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/wire-v1.txt");
    if std::env::var_os("TIM_BLESS").is_some() {
        std::fs::write(&snapshot, &rendered).unwrap();
    }
    let expected = std::fs::read_to_string(&snapshot).unwrap_or_default();
    assert!(
        rendered == expected,
        "proto/tim/v1 differs from tests/snapshots/wire-v1.txt; if the change is intended \
         (new fields only), run TIM_BLESS=1 cargo test -p tim-proto --test schema\n\
         --- now:\n{rendered}"
    );
}

#[test]
fn every_request_is_answered_by_the_response_of_the_same_number() {
    let schema = compile().unwrap();
    let answers = &schema["tim.v1.ServerFrame"];
    let requests = schema["tim.v1.ClientFrame"]
        .iter()
        .filter(|f| f.oneof.is_some());
    for request in requests {
        let answer = answers.iter().find(|f| f.number == request.number);
        let expected = request
            .ty
            .replace("Request", "Response")
            .replace("Ping", "Pong");
        assert_eq!(
            answer.map(|f| &f.ty),
            Some(&expected),
            "ClientFrame.{} = {}",
            request.name,
            request.number
        );
    }
}

#[test]
fn sync_events_are_the_pushes_of_the_same_number() {
    let schema = compile().unwrap();
    let pushes = &schema["tim.v1.ServerFrame"];
    let events = &schema["tim.v1.SyncEvent"];
    assert!(!events.is_empty());
    for event in events {
        let push = pushes.iter().find(|push| push.number == event.number);
        assert_eq!(
            push.map(|push| (&push.name, &push.ty)),
            Some((&event.name, &event.ty)),
            "SyncEvent.{} = {}",
            event.name,
            event.number
        );
        assert!(event.ty.ends_with("Push"), "{}", event.ty);
    }
}
