//! The index layout: fields, settings, and the schema version file that lets an index written
//! by another version of this crate be detected instead of misread.
//!
//! Documents are sorted by `time`, newest first, inside every segment (tantivy index sorting,
//! kept by merges too). The search relies on it: the first matches of a segment are its newest,
//! so a page of newest hits is found without visiting every match, and a time range is a range
//! of document ids. Change anything here and bump [`SCHEMA_VERSION`].

use std::fs;
use std::io::{ErrorKind, Write};
use std::path::Path;

use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Index, IndexSettings, IndexSortByField, Order, TantivyError};

use crate::error::SearchError;
use crate::tokenizer::{CjkBigramTokenizer, TOKENIZER_NAME};

/// The version of the layout below; an index directory records it in [`VERSION_FILE`].
pub const SCHEMA_VERSION: u32 = 1;

/// The file, inside the index directory, that holds [`SCHEMA_VERSION`] as decimal text.
pub const VERSION_FILE: &str = "tim-search-schema-version";

/// Field names (also the names of their fast-field columns).
pub(crate) mod names {
    pub(crate) const MSG_ID: &str = "msg_id";
    pub(crate) const CONV_KEY: &str = "conv_key";
    pub(crate) const SENDER: &str = "sender";
    pub(crate) const ELEM_TYPE: &str = "elem_type";
    pub(crate) const TIME: &str = "time";
    pub(crate) const TEXT: &str = "text";
}

/// The fields of the schema.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fields {
    /// Raw, indexed (for deletion) and fast (for results and tie-breaks).
    pub(crate) msg_id: Field,
    /// Raw, indexed (filter, deletion) and fast (results, grouping).
    pub(crate) conv_key: Field,
    /// Raw, indexed (filter).
    pub(crate) sender: Field,
    /// i64, indexed, one value per element type present.
    pub(crate) elem_type: Field,
    /// u64 seconds, fast; the index sort key.
    pub(crate) time: Field,
    /// The searchable text, with positions for phrase matching.
    pub(crate) text: Field,
}

fn raw_text_options(fast: bool) -> TextOptions {
    let options = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer("raw")
            .set_fieldnorms(false)
            .set_index_option(IndexRecordOption::Basic),
    );
    if fast {
        options.set_fast("raw")
    } else {
        options
    }
}

/// The schema of this version and its fields.
pub(crate) fn schema() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let msg_id = builder.add_text_field(names::MSG_ID, raw_text_options(true));
    let conv_key = builder.add_text_field(names::CONV_KEY, raw_text_options(true));
    let sender = builder.add_text_field(names::SENDER, raw_text_options(false));
    let elem_type =
        builder.add_i64_field(names::ELEM_TYPE, NumericOptions::default().set_indexed());
    let time = builder.add_u64_field(names::TIME, NumericOptions::default().set_fast());
    let text = builder.add_text_field(
        names::TEXT,
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(TOKENIZER_NAME)
                .set_fieldnorms(false)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        ),
    );
    let fields = Fields {
        msg_id,
        conv_key,
        sender,
        elem_type,
        time,
        text,
    };
    (builder.build(), fields)
}

/// The index settings of this version: documents sorted newest first.
pub(crate) fn settings() -> IndexSettings {
    IndexSettings {
        sort_by_field: Some(IndexSortByField {
            field: names::TIME.to_owned(),
            order: Order::Desc,
        }),
        ..IndexSettings::default()
    }
}

fn register_tokenizer(index: &Index) {
    index.tokenizers().register(
        TOKENIZER_NAME,
        TextAnalyzer::from(CjkBigramTokenizer::default()),
    );
}

/// A new index in memory.
pub(crate) fn create_in_ram() -> Result<(Index, Fields), SearchError> {
    let (schema, fields) = schema();
    let index = Index::builder()
        .schema(schema)
        .settings(settings())
        .create_in_ram()?;
    register_tokenizer(&index);
    Ok((index, fields))
}

/// Opens the index in `dir`, creating the directory and the index if there is none.
///
/// An index without a version file, with another version, or whose schema or settings differ
/// from this build's is refused with [`SearchError::SchemaMismatch`].
pub(crate) fn open_dir(dir: &Path) -> Result<(Index, Fields), SearchError> {
    fs::create_dir_all(dir).map_err(|source| SearchError::io(dir, source))?;
    let mismatch = |found: String| SearchError::SchemaMismatch {
        path: dir.to_path_buf(),
        found,
        expected: SCHEMA_VERSION,
    };
    let has_index = dir.join("meta.json").exists();
    let version_path = dir.join(VERSION_FILE);
    match fs::read_to_string(&version_path) {
        Ok(found) => {
            let found = found.trim();
            if found != SCHEMA_VERSION.to_string() {
                return Err(mismatch(found.to_owned()));
            }
        }
        Err(error) if error.kind() == ErrorKind::NotFound => {
            if has_index {
                return Err(mismatch("none".to_owned()));
            }
            // Written before the index is created: a crash in between leaves a version file
            // and no index, which the next open simply completes.
            write_version_file(dir)?;
        }
        Err(source) => return Err(SearchError::io(version_path, source)),
    }

    let (schema, fields) = schema();
    let index = if has_index {
        let index = match Index::open_in_dir(dir) {
            Ok(index) => index,
            Err(TantivyError::IncompatibleIndex(incompatibility)) => {
                return Err(mismatch(format!(
                    "an incompatible index ({incompatibility:?})"
                )));
            }
            Err(error) => return Err(error.into()),
        };
        if index.schema() != schema || index.settings().sort_by_field != settings().sort_by_field {
            return Err(mismatch(format!(
                "{SCHEMA_VERSION} with a different field layout"
            )));
        }
        index
    } else {
        Index::builder()
            .schema(schema)
            .settings(settings())
            .create_in_dir(dir)?
    };
    register_tokenizer(&index);
    Ok((index, fields))
}

/// Writes the version file atomically (a temporary file renamed over it).
fn write_version_file(dir: &Path) -> Result<(), SearchError> {
    let temporary = dir.join(format!("{VERSION_FILE}.tmp"));
    let write = || -> std::io::Result<()> {
        let mut file = fs::File::create(&temporary)?;
        file.write_all(format!("{SCHEMA_VERSION}\n").as_bytes())?;
        file.sync_all()?;
        fs::rename(&temporary, dir.join(VERSION_FILE))
    };
    write().map_err(|source| SearchError::io(dir.join(VERSION_FILE), source))
}
