//! Media rules: what an upload may be (kind, size limits, the uploader may send to the named
//! conversation), who may download a file (the uploader; in C2C the peer named at upload; in a
//! group its current members), and recording finished uploads. The stream I/O is
//! `crate::transfer`'s; image renditions are [`renditions`]'.

pub(crate) mod renditions;

use super::{Services, Session, internal, parse_conversation, single};
use crate::storage::media::{CollectedFile, MediaRecord, MediaWrite};
use crate::storage::{Applied, Refusal, Target, WriteOp};
use tim_model::codes;
use tim_model::enums::ConvType;
use tim_proto::v1;

/// Media kinds of `UploadBegin.media_kind`.
pub(crate) const KIND_IMAGE: i32 = 1;
/// A video's snapshot (an image kept as is: only its pixel size is read).
pub(crate) const KIND_SNAPSHOT: i32 = 5;

/// The URL scheme of media URLs: `tim-media://<file_id>`.
pub(crate) const URL_SCHEME: &str = crate::storage::media::URL_SCHEME;

/// Whether `id` is 32 lowercase or uppercase hex characters (upload and file IDs).
pub(crate) fn is_hex_id(id: &str) -> bool {
    id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit())
}

/// 32 random lowercase hex characters from the system's CSPRNG (ring's `SystemRandom`): a file
/// ID is its own access token's companion, so it must not be guessable. Should the system
/// refuse random numbers, std's randomly keyed hasher over the time is used instead.
pub(crate) fn new_file_id() -> String {
    let mut bytes = [0u8; 16];
    if rustls::crypto::ring::default_provider()
        .secure_random
        .fill(&mut bytes)
        .is_err()
    {
        use std::hash::{BuildHasher, Hasher};
        for (half, chunk) in bytes.chunks_mut(8).enumerate() {
            let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
            hasher.write_usize(half);
            hasher.write_u128(
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_nanos()),
            );
            chunk.copy_from_slice(&hasher.finish().to_be_bytes());
        }
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The blob key of a file.
pub(crate) fn blob_key(app: u64, file_id: &str) -> String {
    format!("{app}/{}", file_id.to_ascii_lowercase())
}

/// What an upload was checked to be.
#[derive(Debug, Clone)]
pub(crate) struct UploadPlan {
    /// 1 image .. 5 video snapshot.
    pub media_kind: i32,
    /// Where the message will go, from the uploader's view.
    pub target: Target,
    /// Lowercased upload ID.
    pub upload_id: String,
    /// Display name.
    pub file_name: String,
    /// Bytes.
    pub total_size: u64,
}

impl Services {
    /// Checks an `UploadBegin` before any byte is accepted: the ID, the kind, the size
    /// (7006 empty, 7005 beyond the kind's limit) and that the uploader may send to the
    /// conversation (a group: a member; 10007 otherwise).
    pub(crate) async fn check_upload(
        &self,
        session: &Session,
        begin: &v1::UploadBegin,
    ) -> Result<UploadPlan, Refusal> {
        if !is_hex_id(&begin.upload_id) {
            return Err(Refusal::new(
                codes::ERR_INVALID_PARAMETERS,
                "upload_id: must be 32 hex characters",
            ));
        }
        let Some(max) = self.config.media.max_bytes(begin.media_kind) else {
            return Err(Refusal::new(
                codes::ERR_INVALID_PARAMETERS,
                format!("media_kind: {} is not a media kind", begin.media_kind),
            ));
        };
        if begin.total_size == 0 {
            return Err(Refusal::new(
                codes::ERR_SDK_COMM_FILE_SIZE_EMPTY,
                "total_size: the file is empty",
            ));
        }
        if begin.total_size > max {
            return Err(Refusal::new(
                codes::ERR_SDK_COMM_FILE_TOO_LARGE,
                format!(
                    "total_size: {} bytes exceeds the limit of {max} bytes for this media kind",
                    begin.total_size
                ),
            ));
        }
        let target = parse_conversation(begin.conversation.as_ref())?;
        if let Target::Group(group) = &target {
            let record = self
                .storage
                .group(session.app, group)
                .await
                .map_err(internal)?
                .filter(|record| !record.dismissed);
            if record.is_none() {
                return Err(Refusal::new(
                    codes::ERR_SVR_GROUP_NOT_FOUND,
                    format!("group {group} does not exist"),
                ));
            }
            if self
                .storage
                .member(session.app, group, &session.user)
                .await
                .map_err(internal)?
                .is_none()
            {
                return Err(Refusal::new(
                    codes::ERR_SVR_GROUP_PERMISSION_DENY,
                    format!("{} is not a member of group {group}", session.user),
                ));
            }
        }
        Ok(UploadPlan {
            media_kind: begin.media_kind,
            target,
            upload_id: begin.upload_id.to_ascii_lowercase(),
            file_name: begin.file_name.clone(),
            total_size: begin.total_size,
        })
    }

    /// The record of `file_id` if `session`'s user may download it: 114000 when unknown,
    /// 114001 when not allowed.
    pub(crate) async fn check_download(
        &self,
        session: &Session,
        file_id: &str,
    ) -> Result<MediaRecord, Refusal> {
        let not_found = || {
            Refusal::new(
                codes::ERR_SVR_RES_NOT_FOUND,
                format!("file {file_id} does not exist"),
            )
        };
        if !is_hex_id(file_id) {
            return Err(not_found());
        }
        let record = self
            .storage
            .media(session.app, &file_id.to_ascii_lowercase())
            .await
            .map_err(internal)?
            .ok_or_else(not_found)?;
        let user = session.user.as_str();
        let allowed = record.uploader == user
            || match ConvType::from_value(i64::from(record.conv_type)) {
                Some(ConvType::C2c) => record.conv_id == user,
                Some(ConvType::Group) => match tim_model::ids::GroupId::new(&record.conv_id) {
                    Ok(group) => {
                        let live = self
                            .storage
                            .group(session.app, &group)
                            .await
                            .map_err(internal)?
                            .is_some_and(|record| !record.dismissed);
                        live && self
                            .storage
                            .member(session.app, &group, &session.user)
                            .await
                            .map_err(internal)?
                            .is_some()
                    }
                    Err(_) => false,
                },
                _ => false,
            };
        if allowed {
            Ok(record)
        } else {
            Err(Refusal::new(
                codes::ERR_SVR_RES_ACCESS_DENY,
                format!("{user} may not download file {file_id}"),
            ))
        }
    }

    /// Records the files of an upload (one durable write), before their bytes are put.
    pub(crate) async fn record_media(
        &self,
        session: &Session,
        records: Vec<MediaRecord>,
    ) -> Result<(), Refusal> {
        let op = WriteOp::Media(Box::new(MediaWrite::Put {
            app: session.app,
            records,
        }));
        let answer = self.writer.submit(vec![op]).await;
        match single(answer.await)? {
            Applied::Done => Ok(()),
            _ => Err(Refusal::new(
                codes::ERR_SDK_INTERNAL_ERROR,
                "unexpected result",
            )),
        }
    }

    /// Whether `file_id` (lowercase) has a record in `app`.
    pub(crate) async fn media_recorded(&self, app: u64, file_id: &str) -> Result<bool, Refusal> {
        Ok(self
            .storage
            .media(app, file_id)
            .await
            .map_err(internal)?
            .is_some())
    }
}

impl Services {
    /// Removes the records of at most `max` uploads still unreferenced and made before
    /// `before` (seconds; one durable write): the files whose bytes are to be deleted.
    pub(crate) async fn collect_media(
        &self,
        before: u64,
        max: usize,
    ) -> Result<Vec<CollectedFile>, Refusal> {
        let op = WriteOp::Media(Box::new(MediaWrite::Collect { before, max }));
        let answer = self.writer.submit(vec![op]).await;
        match single(answer.await)? {
            Applied::MediaCollected(files) => Ok(files),
            _ => Err(Refusal::new(
                codes::ERR_SDK_INTERNAL_ERROR,
                "unexpected result",
            )),
        }
    }
}

/// The wire form of a record.
pub(crate) fn media_file(record: &MediaRecord) -> v1::MediaFile {
    v1::MediaFile {
        file_id: record.file_id.clone(),
        url: format!("{URL_SCHEME}{}", record.file_id),
        size: record.size,
        width: record.width,
        height: record.height,
        image_level: record.image_level,
        format: record.format,
    }
}

/// The conversation of a target, as recorded (type and ID from the uploader's view).
pub(crate) fn conversation_of(target: &Target) -> (i32, String) {
    match target {
        Target::C2c(peer) => (ConvType::C2c.value(), peer.as_str().to_owned()),
        Target::Group(group) => (ConvType::Group.value(), group.as_str().to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_ids_are_random_hex() {
        let a = new_file_id();
        let b = new_file_id();
        assert!(is_hex_id(&a) && is_hex_id(&b), "{a} {b}");
        assert_ne!(a, b);
        assert!(!is_hex_id("../../etc/passwd"));
    }
}
