//! The media area of [`KvStorage`](super::KvStorage).
//!
//! Tables:
//! - `media` (app, file ID) -> [`MediaRecord`], prost-encoded.
//! - `media_unreferenced` (upload time, app, original's file ID) -> the file IDs of the
//!   upload (the original and its renditions), space-separated: uploads no stored message
//!   names yet, oldest first, so a collection reads only what it removes. An entry is
//!   removed by the first message naming one of its files ([`Tables::reference_media`],
//!   called by the send in its transaction) or by a collection.

use super::write::Tables;
use super::{KvStorage, decode};
use crate::kv::TableDefinition;
use crate::media::{CollectedFile, MediaReads, MediaRecord, MediaWrite, referenced_file_ids};
use crate::merge::MergeSend;
use crate::{AppId, Applied, StorageError, WriteOutcome};
use prost::Message as _;
use tim_proto::v1;

const MEDIA: TableDefinition<(u64, &str), &[u8]> = TableDefinition::new("media");
const UNREFERENCED: TableDefinition<(u64, u64, &str), &str> =
    TableDefinition::new("media_unreferenced");

impl Tables<'_> {
    /// Applies one write of the area.
    pub(super) fn media(&mut self, write: MediaWrite) -> Result<WriteOutcome, StorageError> {
        match write {
            MediaWrite::Put { app, records } => {
                let mut table = self.txn.open_table(MEDIA)?;
                let mut unreferenced = self.txn.open_table(UNREFERENCED)?;
                for record in &records {
                    table.insert(
                        (app, record.file_id.as_str()),
                        record.encode_to_vec().as_slice(),
                    )?;
                }
                for original in records.iter().filter(|r| r.original_id.is_empty()) {
                    let files: Vec<&str> = records
                        .iter()
                        .filter(|r| r.upload_id() == original.file_id)
                        .map(|r| r.file_id.as_str())
                        .collect();
                    unreferenced.insert(
                        (original.created, app, original.file_id.as_str()),
                        files.join(" ").as_str(),
                    )?;
                }
                Ok(WriteOutcome::applied(Applied::Done))
            }
            MediaWrite::Collect { before, max } => {
                let mut table = self.txn.open_table(MEDIA)?;
                let mut unreferenced = self.txn.open_table(UNREFERENCED)?;
                let mut expired = Vec::new();
                for entry in unreferenced.range(..(before, 0, ""))?.take(max) {
                    let (key, files) = entry?;
                    let (created, app, original) = key.value();
                    expired.push((created, app, original.to_owned(), files.value().to_owned()));
                }
                let mut collected = Vec::new();
                for (created, app, original, files) in expired {
                    unreferenced.remove((created, app, original.as_str()))?;
                    for file_id in files.split(' ').filter(|id| !id.is_empty()) {
                        table.remove((app, file_id))?;
                        collected.push(CollectedFile {
                            app,
                            file_id: file_id.to_owned(),
                        });
                    }
                }
                Ok(WriteOutcome::applied(Applied::MediaCollected(collected)))
            }
        }
    }

    /// Notes that a message being stored names its files: their uploads are referenced from
    /// now on and never collected. Files that are not recorded are ignored.
    pub(super) fn reference_media(
        &mut self,
        app: AppId,
        message: &v1::Message,
        merge: Option<&MergeSend>,
    ) -> Result<(), StorageError> {
        let file_ids = referenced_file_ids(message, merge);
        if file_ids.is_empty() {
            return Ok(());
        }
        let table = self.txn.open_table(MEDIA)?;
        let mut unreferenced = self.txn.open_table(UNREFERENCED)?;
        for file_id in file_ids {
            let Some(bytes) = table.get((app, file_id.as_str()))? else {
                continue;
            };
            let record: MediaRecord = decode(bytes.value(), "media record")?;
            unreferenced.remove((record.created, app, record.upload_id()))?;
        }
        Ok(())
    }
}

impl MediaReads for KvStorage {
    fn media(&self, app: AppId, file_id: &str) -> Result<Option<MediaRecord>, StorageError> {
        self.read(|txn| {
            let table = txn.open_table(MEDIA)?;
            match table.get((app, file_id))? {
                Some(bytes) => Ok(Some(decode(bytes.value(), "media record")?)),
                None => Ok(None),
            }
        })
    }

    fn media_unreferenced(&self, app: AppId, file_id: &str) -> Result<bool, StorageError> {
        let Some(record) = self.media(app, file_id)? else {
            return Ok(false);
        };
        self.read(|txn| {
            let unreferenced = txn.open_table(UNREFERENCED)?;
            Ok(unreferenced
                .get((record.created, app, record.upload_id()))?
                .is_some())
        })
    }
}
