//! The checks after each restart, made from fresh devices (new device IDs) against the
//! ledger of what the load was told:
//! - history: every conversation's seqs are exactly 1..=n; every message in it was sent by
//!   the load (or is a group tip) with the content sent, and appears once; every
//!   acknowledged message is there at the seq of its acknowledgement;
//! - sync: each user's event log is gap-free from position 1, holds each of their messages
//!   once, and exactly the messages their conversations' histories hold;
//! - media: every acknowledged upload downloads byte for byte (renditions at their size).
//!
//! A full check reads every history and event log from the start (sync from cursor 0). Between
//! full checks (a soak has thousands of messages) only what is new is read and added to what
//! the last check read ([`Seen`]); the comparisons always cover everything.

use super::wire::{WireClient, WireError};
use super::workload::{AckedUpload, ConvKey, Ledger, SYSTEM_SENDER, summary};
use std::collections::{BTreeMap, BTreeSet};
use std::net::SocketAddr;
use tim_proto::v1;

/// Where the checks connect, and as whom.
pub struct Target<'a> {
    pub addr: SocketAddr,
    pub fingerprint: &'a str,
    pub app: (u64, &'a str),
    /// Distinguishes the fresh devices of this check.
    pub device: String,
}

/// What earlier checks read: each conversation's history and each user's event log.
#[derive(Debug, Default)]
pub struct Seen {
    histories: BTreeMap<ConvKey, Vec<v1::Message>>,
    logs: BTreeMap<String, (Vec<v1::sync_event::Event>, u64)>,
}

/// What one check looked at.
#[derive(Debug, Default)]
pub struct Checked {
    pub messages: usize,
    /// Stored although their send was never acknowledged (allowed, at most once).
    pub stored_unacked: usize,
    pub events: usize,
    pub downloads: usize,
    /// The file IDs named by stored messages: the files that must survive a sweep.
    pub owned_files: BTreeSet<String>,
}

/// Runs the history and sync checks (from the start when `full`, else from where `seen`
/// ends), and downloads `uploads` (each through its uploader). Every problem found is
/// returned, not only the first.
pub async fn check(
    target: &Target<'_>,
    users: &[&str],
    convs: &[ConvKey],
    ledger: &Ledger,
    uploads: &[&AckedUpload],
    seen: &mut Seen,
    full: bool,
) -> Result<Checked, Vec<String>> {
    if full {
        *seen = Seen::default();
    }
    let mut problems = Vec::new();
    let mut checked = Checked::default();
    let mut clients = BTreeMap::new();
    for user in users {
        let client = WireClient::login(
            target.addr,
            target.fingerprint,
            target.app,
            user,
            &target.device,
        )
        .await
        .map_err(|error| vec![format!("{user}: login of a checking device: {error}")])?;
        clients.insert(user.to_string(), client);
    }
    let mut history_ids: BTreeMap<ConvKey, BTreeSet<String>> = BTreeMap::new();
    for conv in convs {
        let viewer = match conv {
            ConvKey::C2c(a, _) => a.as_str(),
            ConvKey::Group(_) => users[0],
        };
        let Some(client) = clients.get(viewer) else {
            continue;
        };
        let history = seen.histories.entry(conv.clone()).or_default();
        let newer = client
            .history(&conv.seen_by(viewer), history.len() as u64 + 1)
            .await
            .map_err(|error| vec![format!("{conv:?}: history: {error}")])?;
        history.extend(newer);
        let ids = check_history(conv, history, ledger, &mut checked, &mut problems);
        history_ids.insert(conv.clone(), ids);
    }
    for (user, client) in &clients {
        let expected: BTreeSet<&String> = history_ids
            .iter()
            .filter(|(conv, _)| member(conv, user))
            .flat_map(|(_, ids)| ids)
            .collect();
        let (events, cursor) = seen.logs.entry(user.clone()).or_default();
        match client.sync_from(*cursor).await {
            Ok((newer, next_cursor)) => {
                events.extend(newer);
                *cursor = next_cursor;
                checked.events += events.len();
                check_sync(user, events, *cursor, &expected, &mut problems);
            }
            Err(error) => problems.push(format!("{user}: sync: {error}")),
        }
    }
    for upload in uploads {
        let Some(client) = clients.get(&upload.uploader) else {
            continue;
        };
        match download_upload(client, upload).await {
            Ok(count) => checked.downloads += count,
            Err(problem) => problems.push(problem),
        }
    }
    if problems.is_empty() {
        Ok(checked)
    } else {
        Err(problems)
    }
}

fn member(conv: &ConvKey, user: &str) -> bool {
    match conv {
        ConvKey::C2c(a, b) => a == user || b == user,
        ConvKey::Group(_) => true,
    }
}

/// Checks one conversation's history; the message IDs it holds.
pub fn check_history(
    conv: &ConvKey,
    history: &[v1::Message],
    ledger: &Ledger,
    checked: &mut Checked,
    problems: &mut Vec<String>,
) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    let mut seqs = BTreeMap::new();
    for (index, message) in history.iter().enumerate() {
        let expected_seq = index as u64 + 1;
        let msg_id = message.msg_id.clone().unwrap_or_default();
        if message.seq != expected_seq {
            problems.push(format!(
                "{conv:?}: message {index} ({msg_id}) has seq {}, expected {expected_seq}: seqs are not 1..=n",
                message.seq
            ));
        }
        if !ids.insert(msg_id.clone()) {
            problems.push(format!(
                "{conv:?}: {msg_id} is stored twice (again at seq {})",
                message.seq
            ));
        }
        seqs.insert(msg_id.clone(), message.seq);
        if message.sender == SYSTEM_SENDER {
            continue;
        }
        checked.messages += 1;
        let Some(sent) = ledger.messages.get(&msg_id) else {
            problems.push(format!(
                "{conv:?}: seq {} holds {msg_id}, which nobody sent",
                message.seq
            ));
            continue;
        };
        if &sent.conv != conv || sent.sender != message.sender {
            problems.push(format!(
                "{conv:?}: {msg_id} from {} was sent to {:?} by {}",
                message.sender, sent.conv, sent.sender
            ));
        }
        if summary(&message.elems) != sent.summary {
            problems.push(format!(
                "{conv:?}: {msg_id} holds {:?}, sent {:?}",
                summary(&message.elems),
                sent.summary
            ));
        }
        match sent.acked_seq {
            None => checked.stored_unacked += 1,
            Some(seq) if seq != message.seq => problems.push(format!(
                "{conv:?}: {msg_id} acknowledged with seq {seq} is stored at {}",
                message.seq
            )),
            Some(_) => {}
        }
        checked.owned_files.extend(sent.files.iter().cloned());
    }
    for (msg_id, sent) in &ledger.messages {
        if &sent.conv == conv
            && let Some(seq) = sent.acked_seq
            && !seqs.contains_key(msg_id)
        {
            problems.push(format!(
                "{conv:?}: {msg_id}, acknowledged with seq {seq}, is missing (history has {} messages)",
                history.len()
            ));
        }
    }
    ids
}

/// Checks a user's event log synced from 0 against the message IDs of their conversations.
pub fn check_sync(
    user: &str,
    events: &[v1::sync_event::Event],
    next_cursor: u64,
    expected: &BTreeSet<&String>,
    problems: &mut Vec<String>,
) {
    let mut seen = BTreeSet::new();
    for (index, event) in events.iter().enumerate() {
        let position = index as u64 + 1;
        let v1::sync_event::Event::NewMessage(push) = event else {
            problems.push(format!(
                "{user}: event {position} is not a new message: {event:?}"
            ));
            continue;
        };
        if push.cursor != position {
            problems.push(format!(
                "{user}: event {position} carries cursor {}: the log has a gap or a repeat",
                push.cursor
            ));
        }
        let msg_id = push
            .message
            .as_ref()
            .and_then(|m| m.msg_id.clone())
            .unwrap_or_default();
        if !seen.insert(msg_id.clone()) {
            problems.push(format!("{user}: {msg_id} is synced twice"));
        }
    }
    if next_cursor != events.len() as u64 {
        problems.push(format!(
            "{user}: sync ended at cursor {next_cursor} after {} events",
            events.len()
        ));
    }
    let seen: BTreeSet<&String> = seen.iter().collect();
    let missing: Vec<_> = expected.difference(&seen).take(5).collect();
    let extra: Vec<_> = seen.difference(expected).take(5).collect();
    if !missing.is_empty() || !extra.is_empty() {
        problems.push(format!(
            "{user}: sync and history disagree: in history only {missing:?}, in sync only {extra:?}"
        ));
    }
}

/// Downloads an upload's original (byte for byte) and renditions (by size): files checked.
pub async fn download_upload(client: &WireClient, upload: &AckedUpload) -> Result<usize, String> {
    let original = &upload.original.file_id;
    match client.download(original).await {
        Ok(bytes) if bytes == *upload.bytes => {}
        Ok(bytes) => {
            return Err(format!(
                "upload {original} of round {} ({} bytes) downloads as {} different bytes",
                upload.round,
                upload.bytes.len(),
                bytes.len()
            ));
        }
        Err(error) => {
            return Err(format!(
                "upload {original} of round {} ({} bytes): download: {error}",
                upload.round,
                upload.bytes.len()
            ));
        }
    }
    for variant in &upload.variants {
        match client.download(&variant.file_id).await {
            Ok(bytes) if bytes.len() as u64 == variant.size => {}
            Ok(bytes) => {
                return Err(format!(
                    "rendition {} of {original}: {} bytes, recorded {}",
                    variant.file_id,
                    bytes.len(),
                    variant.size
                ));
            }
            Err(error) => {
                return Err(format!(
                    "rendition {} of {original}: {error}",
                    variant.file_id
                ));
            }
        }
    }
    Ok(1 + upload.variants.len())
}

/// Whether a download of `file_id` says the file is gone (114000).
pub async fn is_gone(client: &WireClient, file_id: &str) -> Result<bool, WireError> {
    match client.download(file_id).await {
        Ok(_) => Ok(false),
        Err(WireError::Refused { code: 114_000, .. }) => Ok(true),
        Err(error) => Err(error),
    }
}
