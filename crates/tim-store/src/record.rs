//! The bytes of every record value: messages, conversation states and journal entries.
//!
//! Each record starts with a version byte so a later schema can change one record format
//! without rewriting the file. A message is the version byte followed by the prost encoding of
//! `tim_proto::v1::Message` (the wire type, so the store and the protocol share one evolution
//! story). Decoding is total: any byte string gives a value or an error text, never a panic.

use prost::Message as _;
use tim_model::enums::ReceiveMessageOpt;
use tim_model::{ConvId, Message, MessageId};
use tim_proto::v1;

use crate::keys::{conv_key, parse_conv_key};

/// Version byte of the message record format written now.
const MESSAGE_V1: u8 = 1;
/// Version byte of the conversation record format written now.
const CONVERSATION_V1: u8 = 1;
/// Version byte of the journal entry format written now.
const JOURNAL_V1: u8 = 1;

/// The record of a message.
pub(crate) fn encode_message(message: &Message) -> Vec<u8> {
    encode_owned_message(message.clone())
}

/// The record of a message the caller no longer needs (saves a copy of it).
pub(crate) fn encode_owned_message(message: Message) -> Vec<u8> {
    let wire = v1::Message::from(message);
    let mut bytes = Vec::with_capacity(1 + wire.encoded_len());
    bytes.push(MESSAGE_V1);
    wire.encode_raw(&mut bytes);
    bytes
}

/// A message from its record.
pub(crate) fn decode_message(bytes: &[u8]) -> Result<Message, String> {
    match bytes.split_first() {
        None => Err("empty record".to_owned()),
        Some((&MESSAGE_V1, body)) => {
            let wire = v1::Message::decode(body).map_err(|error| error.to_string())?;
            Message::try_from(wire).map_err(|error| error.to_string())
        }
        Some((version, _)) => Err(format!("unknown message record version {version}")),
    }
}

/// What the store keeps about a conversation (the derived parts of
/// [`crate::ConversationState`], such as the last message, are computed when read).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ConvRecord {
    /// The number that stands for the conversation in every other key.
    pub conv_no: u64,
    /// Messages that count as unread (see `unread`).
    pub unread_count: u64,
    /// Read mark, by time (C2C).
    pub read_time: u64,
    /// Read mark, by seq (groups).
    pub read_seq: u64,
    /// Messages stored.
    pub message_count: u64,
    /// Receive option.
    pub recv_opt: ReceiveMessageOpt,
}

impl ConvRecord {
    /// A conversation with nothing in it.
    pub fn new(conv_no: u64) -> Self {
        Self {
            conv_no,
            unread_count: 0,
            read_time: 0,
            read_seq: 0,
            message_count: 0,
            recv_opt: ReceiveMessageOpt::default(),
        }
    }
}

const CONVERSATION_LEN: usize = 1 + 5 * 8 + 4;

/// The record of a conversation.
pub(crate) fn encode_conversation(record: &ConvRecord) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(CONVERSATION_LEN);
    bytes.push(CONVERSATION_V1);
    for number in [
        record.conv_no,
        record.unread_count,
        record.read_time,
        record.read_seq,
        record.message_count,
    ] {
        bytes.extend_from_slice(&number.to_le_bytes());
    }
    bytes.extend_from_slice(&record.recv_opt.value().to_le_bytes());
    bytes
}

/// A conversation from its record.
pub(crate) fn decode_conversation(bytes: &[u8]) -> Result<ConvRecord, String> {
    match bytes.first() {
        Some(&CONVERSATION_V1) if bytes.len() == CONVERSATION_LEN => {}
        Some(&CONVERSATION_V1) => {
            return Err(format!(
                "conversation record of {} bytes, expected {CONVERSATION_LEN}",
                bytes.len()
            ));
        }
        Some(version) => return Err(format!("unknown conversation record version {version}")),
        None => return Err("empty record".to_owned()),
    }
    let mut numbers = bytes[1..41].chunks_exact(8).map(|chunk| {
        let mut array = [0; 8];
        array.copy_from_slice(chunk);
        u64::from_le_bytes(array)
    });
    let mut next = || numbers.next().unwrap_or_default();
    let (conv_no, unread_count, read_time, read_seq, message_count) =
        (next(), next(), next(), next(), next());
    let mut opt = [0; 4];
    opt.copy_from_slice(&bytes[41..45]);
    let opt = i32::from_le_bytes(opt);
    let recv_opt = ReceiveMessageOpt::from_value(i64::from(opt))
        .ok_or_else(|| format!("{opt} is not a TIMReceiveMessageOpt value"))?;
    Ok(ConvRecord {
        conv_no,
        unread_count,
        read_time,
        read_seq,
        message_count,
        recv_opt,
    })
}

/// A journal entry as stored: a reference to what changed, not a copy of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum StoredJournalOp {
    /// The message was inserted or replaced.
    Upsert(MessageId),
    /// The message was deleted.
    Delete(MessageId),
    /// Every message of the conversation was deleted.
    Clear(ConvId),
}

const OP_UPSERT: u8 = 1;
const OP_DELETE: u8 = 2;
const OP_CLEAR: u8 = 3;

/// The record of a journal entry.
pub(crate) fn encode_journal(op: &StoredJournalOp) -> Vec<u8> {
    let conv;
    let (code, text) = match op {
        StoredJournalOp::Upsert(id) => (OP_UPSERT, id.as_str()),
        StoredJournalOp::Delete(id) => (OP_DELETE, id.as_str()),
        StoredJournalOp::Clear(cleared) => {
            conv = conv_key(cleared);
            (OP_CLEAR, conv.as_str())
        }
    };
    let mut bytes = Vec::with_capacity(2 + text.len());
    bytes.extend_from_slice(&[JOURNAL_V1, code]);
    bytes.extend_from_slice(text.as_bytes());
    bytes
}

/// A journal entry from its record.
pub(crate) fn decode_journal(bytes: &[u8]) -> Result<StoredJournalOp, String> {
    let (version, code, text) = match bytes {
        [version, code, text @ ..] => (*version, *code, text),
        _ => return Err(format!("journal record of {} bytes", bytes.len())),
    };
    if version != JOURNAL_V1 {
        return Err(format!("unknown journal record version {version}"));
    }
    let text = std::str::from_utf8(text).map_err(|error| error.to_string())?;
    let id = || MessageId::new(text).map_err(|error| error.to_string());
    match code {
        OP_UPSERT => Ok(StoredJournalOp::Upsert(id()?)),
        OP_DELETE => Ok(StoredJournalOp::Delete(id()?)),
        OP_CLEAR => parse_conv_key(text).map(StoredJournalOp::Clear),
        other => Err(format!("unknown journal operation {other}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use tim_model::arb::arbitrary;
    use tim_model::enums::ConvType;

    #[test]
    fn conversations_read_back_and_garbage_is_refused() {
        let record = ConvRecord {
            conv_no: 7,
            unread_count: 3,
            read_time: 100,
            read_seq: 9,
            message_count: 12,
            recv_opt: ReceiveMessageOpt::NotNotify,
        };
        assert_eq!(
            decode_conversation(&encode_conversation(&record)),
            Ok(record)
        );
        let mut bad_opt = encode_conversation(&record);
        bad_opt[41] = 99;
        assert!(decode_conversation(&bad_opt).is_err());
        for garbage in [&[][..], &[1, 2, 3], &[9; 45]] {
            assert!(decode_conversation(garbage).is_err());
        }
    }

    #[test]
    fn journal_entries_read_back_and_garbage_is_refused() {
        let id = MessageId::new("m-1").unwrap();
        let conv = ConvId::new(ConvType::Group, "team").unwrap();
        for op in [
            StoredJournalOp::Upsert(id.clone()),
            StoredJournalOp::Delete(id),
            StoredJournalOp::Clear(conv),
        ] {
            assert_eq!(decode_journal(&encode_journal(&op)), Ok(op));
        }
        for garbage in [
            &[][..],
            &[1],
            &[2, 1, b'x'],
            &[1, 9, b'x'],
            &[1, 1],
            &[1, 3, b'x'],
        ] {
            assert!(decode_journal(garbage).is_err(), "{garbage:?}");
        }
    }

    #[test]
    fn damaged_message_records_are_errors() {
        assert!(decode_message(&[]).is_err());
        assert!(decode_message(&[2, 0]).is_err());
        assert!(decode_message(&[MESSAGE_V1, 0xff, 0xff, 0xff]).is_err());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn any_message_survives_its_record(message in arbitrary::<Message>()) {
            prop_assert_eq!(decode_message(&encode_message(&message)), Ok(message));
        }

        #[test]
        fn no_bytes_make_decoding_panic(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            let _ = decode_message(&bytes);
            let _ = decode_conversation(&bytes);
            let _ = decode_journal(&bytes);
        }
    }
}
