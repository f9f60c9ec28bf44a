//! The load the server is killed under: workers, each one user on its own connection,
//! sending C2C or group text messages, or uploading a file or an image and then sending the
//! message that names it. A worker does one thing at a time and keeps what the server has
//! not acknowledged (the send or upload in flight) for the next round, where it retries with
//! the same message or upload ID, as a real client does after a reconnect. The ledger is what
//! the checks compare the server with: every message ever sent, the seq of each
//! acknowledgement, and every finished upload with its bytes.

use super::rng::Rng;
use super::wire::{WireClient, WireError};
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;
use tim_proto::v1;
use tokio::sync::watch;

pub const C2C: i32 = 1;
pub const GROUP: i32 = 2;
pub const MEDIA_IMAGE: i32 = 1;
pub const MEDIA_FILE: i32 = 4;
/// The sender of server-made messages (group tips).
pub const SYSTEM_SENDER: &str = "@TIM#SYSTEM";
/// Most operations of one worker in one round (the kill normally ends a round far earlier).
const MAX_OPS_PER_ROUND: usize = 100_000;

/// A conversation, the same from both sides.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ConvKey {
    /// The two users, in order.
    C2c(String, String),
    Group(String),
}

impl ConvKey {
    pub fn c2c(a: &str, b: &str) -> Self {
        let (low, high) = if a <= b { (a, b) } else { (b, a) };
        Self::C2c(low.to_owned(), high.to_owned())
    }

    /// The conversation as `viewer` names it on the wire.
    pub fn seen_by(&self, viewer: &str) -> v1::ConversationId {
        match self {
            Self::C2c(a, b) => v1::ConversationId {
                conv_type: C2C,
                conv_id: if viewer == a { b.clone() } else { a.clone() },
            },
            Self::Group(id) => v1::ConversationId {
                conv_type: GROUP,
                conv_id: id.clone(),
            },
        }
    }
}

/// The part of a message the checks compare: its text, or the file IDs it names.
pub fn summary(elems: &[v1::Elem]) -> String {
    use v1::elem::Body;
    let parts: Vec<String> = elems
        .iter()
        .map(|elem| match &elem.body {
            Some(Body::Text(text)) => format!("text:{}", text.content),
            Some(Body::File(file)) => format!("file:{}", file.file_id),
            Some(Body::Image(image)) => format!(
                "image:{}/{}/{}",
                image.orig_id, image.large_id, image.thumb_id
            ),
            other => format!("{other:?}"),
        })
        .collect();
    parts.join("|")
}

/// A message the load sent at least once.
#[derive(Debug, Clone)]
pub struct SentMessage {
    pub conv: ConvKey,
    pub sender: String,
    pub summary: String,
    /// The file IDs it names (an upload's original and renditions).
    pub files: Vec<String>,
    /// The seq of its acknowledgement, once one came.
    pub acked_seq: Option<u64>,
}

/// A finished upload (its `UploadDone` arrived).
#[derive(Debug, Clone)]
pub struct AckedUpload {
    pub uploader: String,
    pub media_kind: i32,
    pub original: v1::MediaFile,
    pub variants: Vec<v1::MediaFile>,
    pub bytes: Arc<Vec<u8>>,
    pub round: usize,
}

impl AckedUpload {
    pub fn file_ids(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.original.file_id.as_str())
            .chain(self.variants.iter().map(|v| v.file_id.as_str()))
    }
}

/// What this round's acknowledgements added.
#[derive(Debug, Clone, Copy, Default)]
pub struct RoundCounts {
    pub acks: usize,
    /// Acks of a retried send the server had already stored (`duplicate`).
    pub duplicate_acks: usize,
    pub uploads: usize,
    /// Uploads that resumed from a prefix the server kept through the crash.
    pub resumed_uploads: usize,
}

/// Everything the load did, for the checks.
#[derive(Debug, Default)]
pub struct Ledger {
    pub messages: BTreeMap<String, SentMessage>,
    pub uploads: Vec<AckedUpload>,
    /// What a live server did wrong while the load ran.
    pub failures: Vec<String>,
    pub round: RoundCounts,
    pub total: RoundCounts,
}

impl Ledger {
    fn record_ack(&mut self, msg_id: &str, ack: &v1::SendMessageResponse) {
        let Some(sent) = self.messages.get_mut(msg_id) else {
            self.failures
                .push(format!("ack for {msg_id}, which was never sent"));
            return;
        };
        if ack.msg_id != msg_id || ack.seq == 0 {
            self.failures.push(format!(
                "ack for {msg_id} names {} seq {}",
                ack.msg_id, ack.seq
            ));
        }
        match sent.acked_seq {
            Some(seq) if seq != ack.seq => self.failures.push(format!(
                "{msg_id} acknowledged twice with different seqs: {seq}, then {}",
                ack.seq
            )),
            _ => sent.acked_seq = Some(ack.seq),
        }
        for counts in [&mut self.round, &mut self.total] {
            counts.acks += 1;
            counts.duplicate_acks += usize::from(ack.duplicate);
        }
    }

    fn record_upload(&mut self, upload: AckedUpload, resumed: bool) {
        for counts in [&mut self.round, &mut self.total] {
            counts.uploads += 1;
            counts.resumed_uploads += usize::from(resumed);
        }
        self.uploads.push(upload);
    }

    /// Messages sent but never acknowledged: each may be stored or not, but at most once.
    pub fn unacked(&self) -> usize {
        self.messages
            .values()
            .filter(|m| m.acked_seq.is_none())
            .count()
    }
}

/// What all workers share in one round.
pub struct RoundContext {
    pub addr: SocketAddr,
    pub fingerprint: String,
    pub app: (u64, String),
    pub round: usize,
    /// Only retry what is pending, start nothing new (the last round, which is not killed).
    pub flush_only: bool,
    pub ledger: Mutex<Ledger>,
    /// Set just before the SIGKILL: a broken connection after it is expected.
    pub killed_at: Mutex<Option<Instant>>,
}

impl RoundContext {
    pub fn ledger(&self) -> std::sync::MutexGuard<'_, Ledger> {
        self.ledger.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn report(&self, worker: &str, error: &WireError) {
        let killed = self
            .killed_at
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .is_some();
        // A server that is alive must answer; only the kill may break a connection.
        if matches!(error, WireError::Lost(_)) && killed && !self.flush_only {
            return;
        }
        let round = self.round;
        self.ledger()
            .failures
            .push(format!("round {round}: {worker}: {error}"));
    }
}

/// What a worker does.
#[derive(Debug, Clone)]
pub enum Job {
    Text,
    File,
    Image,
}

#[derive(Debug)]
struct PendingUpload {
    upload_id: String,
    media_kind: i32,
    bytes: Arc<Vec<u8>>,
}

#[derive(Debug)]
struct Outgoing {
    msg_id: String,
    message: v1::Message,
}

/// One user on one connection doing one job, round after round.
#[derive(Debug)]
pub struct Worker {
    pub name: String,
    user: String,
    conv: ConvKey,
    job: Job,
    rng: Rng,
    sent: u64,
    pending_upload: Option<PendingUpload>,
    pending_send: Option<Outgoing>,
}

impl Worker {
    pub fn new(user: &str, conv: ConvKey, job: Job, rng: &Rng) -> Self {
        let name = format!("{user}-{job:?}-{}", conv_label(&conv)).to_lowercase();
        Self {
            rng: rng.fork(&name),
            name,
            user: user.to_owned(),
            conv,
            job,
            sent: 0,
            pending_upload: None,
            pending_send: None,
        }
    }

    /// Works until `stop` turns true (or, when flushing, until nothing is pending), and
    /// hands itself back with what is still unacknowledged.
    pub async fn run(
        mut self,
        context: Arc<RoundContext>,
        mut stop: watch::Receiver<bool>,
    ) -> Self {
        let outcome = {
            let work = self.work(&context);
            tokio::select! {
                biased;
                _ = stop.wait_for(|stopped| *stopped) => None,
                outcome = work => Some(outcome),
            }
        };
        if let Some(Err(error)) = outcome {
            context.report(&self.name, &error);
        }
        self
    }

    async fn work(&mut self, context: &RoundContext) -> Result<(), WireError> {
        let device = format!("{}-r{}", self.name, context.round);
        let client = WireClient::login(
            context.addr,
            &context.fingerprint,
            (context.app.0, &context.app.1),
            &self.user,
            &device,
        )
        .await?;
        let to = self.conv.seen_by(&self.user);
        for _ in 0..MAX_OPS_PER_ROUND {
            if let Some(upload) = &self.pending_upload {
                let (done, offset) = client
                    .upload(
                        &upload.upload_id,
                        upload.media_kind,
                        to.clone(),
                        &upload.bytes,
                    )
                    .await?;
                self.finish_upload(context, done, offset)?;
            }
            if let Some(outgoing) = &self.pending_send {
                let ack = client.send(to.clone(), outgoing.message.clone()).await?;
                context.ledger().record_ack(&outgoing.msg_id, &ack);
                self.pending_send = None;
            }
            if context.flush_only {
                return Ok(());
            }
            self.prepare_next(context);
        }
        Ok(())
    }

    /// Records a finished upload and queues the message naming it.
    fn finish_upload(
        &mut self,
        context: &RoundContext,
        done: v1::UploadDone,
        offset: u64,
    ) -> Result<(), WireError> {
        let Some(upload) = self.pending_upload.take() else {
            return Ok(());
        };
        let original = done
            .file
            .ok_or_else(|| WireError::Unexpected("UploadDone without its file".into()))?;
        if original.size != upload.bytes.len() as u64 {
            context.ledger().failures.push(format!(
                "upload {} of {} bytes finished as {} bytes",
                upload.upload_id,
                upload.bytes.len(),
                original.size
            ));
        }
        let elem = match upload.media_kind {
            MEDIA_IMAGE => image_elem(&original, &done.variants),
            _ => v1::elem::Body::File(v1::FileElem {
                file_name: format!("{}.bin", upload.upload_id),
                file_size: i32::try_from(original.size).unwrap_or(i32::MAX),
                file_id: original.file_id.clone(),
                url: original.url.clone(),
                ..Default::default()
            }),
        };
        let acked = AckedUpload {
            uploader: self.user.clone(),
            media_kind: upload.media_kind,
            original,
            variants: done.variants,
            bytes: upload.bytes,
            round: context.round,
        };
        let files = acked.file_ids().map(str::to_owned).collect();
        context.ledger().record_upload(acked, offset > 0);
        self.queue_message(context, vec![v1::Elem { body: Some(elem) }], files);
        Ok(())
    }

    /// Starts the next operation: an upload, or a text message.
    fn prepare_next(&mut self, context: &RoundContext) {
        match self.job {
            Job::Text => {
                let filler = self.rng.range(0, 120) as usize;
                let mut text = format!("{} round {} ", self.name, context.round);
                for n in 0..filler {
                    text.push(if n % 17 == 16 {
                        '消'
                    } else {
                        char::from(b'a' + (n % 26) as u8)
                    });
                }
                let elem = v1::elem::Body::Text(v1::TextElem { content: text });
                self.queue_message(context, vec![v1::Elem { body: Some(elem) }], Vec::new());
            }
            Job::File => {
                let len = if self.rng.chance(30) {
                    self.rng.range(128 * 1024, 1024 * 1024)
                } else {
                    self.rng.range(1, 32 * 1024)
                };
                let bytes = self.rng.bytes(len as usize);
                self.queue_upload(MEDIA_FILE, bytes);
            }
            Job::Image => {
                let (width, height) = (self.rng.range(8, 96), self.rng.range(8, 96));
                let bytes = bmp(width as u32, height as u32, &mut self.rng);
                self.queue_upload(MEDIA_IMAGE, bytes);
            }
        }
    }

    fn queue_upload(&mut self, media_kind: i32, bytes: Vec<u8>) {
        self.pending_upload = Some(PendingUpload {
            upload_id: self.rng.hex32(),
            media_kind,
            bytes: Arc::new(bytes),
        });
    }

    /// Registers a new message in the ledger before its first attempt, so that wherever it
    /// turns up, the checks know it.
    fn queue_message(&mut self, context: &RoundContext, elems: Vec<v1::Elem>, files: Vec<String>) {
        self.sent += 1;
        let msg_id = format!("{}-{}", self.name, self.sent);
        context.ledger().messages.insert(
            msg_id.clone(),
            SentMessage {
                conv: self.conv.clone(),
                sender: self.user.clone(),
                summary: summary(&elems),
                files,
                acked_seq: None,
            },
        );
        let message = v1::Message {
            elems,
            msg_id: Some(msg_id.clone()),
            rand: self.rng.next_u64() & 0xffff_ffff,
            client_time: 1,
            priority: 1,
            ..Default::default()
        };
        self.pending_send = Some(Outgoing { msg_id, message });
    }
}

fn conv_label(conv: &ConvKey) -> String {
    match conv {
        ConvKey::C2c(a, b) => format!("{a}{b}"),
        ConvKey::Group(_) => "group".into(),
    }
}

fn image_elem(original: &v1::MediaFile, variants: &[v1::MediaFile]) -> v1::elem::Body {
    let level = |level: i32| variants.iter().find(|v| v.image_level == level);
    let (large, thumb) = (level(2), level(1));
    let id = |file: Option<&v1::MediaFile>| file.map(|f| f.file_id.clone()).unwrap_or_default();
    let url = |file: Option<&v1::MediaFile>| file.map(|f| f.url.clone()).unwrap_or_default();
    v1::elem::Body::Image(v1::ImageElem {
        format: original.format,
        orig_id: original.file_id.clone(),
        orig_url: original.url.clone(),
        orig_pic_width: original.width as i32,
        orig_pic_height: original.height as i32,
        orig_pic_size: i32::try_from(original.size).unwrap_or(i32::MAX),
        large_id: id(large),
        large_url: url(large),
        thumb_id: id(thumb),
        thumb_url: url(thumb),
        ..Default::default()
    })
}

/// An uncompressed 24-bit BMP of random pixels (the server decodes it and makes renditions).
pub fn bmp(width: u32, height: u32, rng: &mut Rng) -> Vec<u8> {
    let row = (width * 3).div_ceil(4) * 4;
    let pixels = row * height;
    let mut bytes = Vec::with_capacity(54 + pixels as usize);
    bytes.extend_from_slice(b"BM");
    bytes.extend_from_slice(&(54 + pixels).to_le_bytes());
    bytes.extend_from_slice(&0u32.to_le_bytes());
    bytes.extend_from_slice(&54u32.to_le_bytes());
    bytes.extend_from_slice(&40u32.to_le_bytes());
    bytes.extend_from_slice(&width.to_le_bytes());
    bytes.extend_from_slice(&height.to_le_bytes());
    bytes.extend_from_slice(&1u16.to_le_bytes());
    bytes.extend_from_slice(&24u16.to_le_bytes());
    bytes.extend_from_slice(&0u32.to_le_bytes());
    bytes.extend_from_slice(&pixels.to_le_bytes());
    bytes.extend_from_slice(&2835u32.to_le_bytes());
    bytes.extend_from_slice(&2835u32.to_le_bytes());
    bytes.extend_from_slice(&0u32.to_le_bytes());
    bytes.extend_from_slice(&0u32.to_le_bytes());
    bytes.extend_from_slice(&rng.bytes(pixels as usize));
    bytes
}
