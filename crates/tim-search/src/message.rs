//! From a `tim_model::Message` to the document the index holds: which parts of a message are
//! searchable, and which time and element types it is filed under.

use tim_model::{Elem, Message};

use crate::types::SearchDoc;

/// The searchable text of a message: the content of its text elements, the names of its files,
/// the descriptions of its custom elements, and the title and abstracts of its merged messages,
/// one piece per line, in element order.
pub fn searchable_text(message: &Message) -> String {
    let mut pieces: Vec<&str> = Vec::new();
    for elem in &message.elems {
        match elem {
            Elem::Text(text) => pieces.push(&text.content),
            Elem::File(file) => pieces.push(&file.file_name),
            Elem::Custom(custom) => pieces.push(&custom.desc),
            Elem::Merge(merge) => {
                pieces.push(&merge.title);
                pieces.extend(merge.abstract_array.iter().map(String::as_str));
            }
            _ => {}
        }
    }
    pieces.retain(|piece| !piece.is_empty());
    pieces.join("\n")
}

/// The index document of `message` in conversation `conv_key`, or `None` when the message has no
/// message ID yet (it cannot be found again, so it is not indexed).
///
/// Its time is the server time, or the client time while the server has not given one.
pub fn doc_for(message: &Message, conv_key: &str) -> Option<SearchDoc> {
    let msg_id = message.msg_id.as_ref()?;
    let mut elem_types: Vec<i32> = Vec::new();
    for elem in &message.elems {
        let elem_type = elem.elem_type().value();
        if !elem_types.contains(&elem_type) {
            elem_types.push(elem_type);
        }
    }
    Some(SearchDoc {
        msg_id: msg_id.as_str().to_owned(),
        conv_key: conv_key.to_owned(),
        sender: message.sender.clone(),
        elem_types,
        time: if message.server_time != 0 {
            message.server_time
        } else {
            message.client_time
        },
        text: searchable_text(message),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use tim_model::{CustomElem, FileElem, ImageElem, MergeElem, MessageId, TextElem};

    fn message() -> Message {
        Message {
            elems: vec![
                Elem::Text(TextElem {
                    content: "你好 world".into(),
                }),
                Elem::Image(ImageElem::default()),
                Elem::File(FileElem {
                    file_name: "报告.pdf".into(),
                    ..FileElem::default()
                }),
                Elem::Custom(CustomElem {
                    desc: "[订单]".into(),
                    data: "not searchable".into(),
                    ..CustomElem::default()
                }),
                Elem::Merge(MergeElem {
                    title: "聊天记录".into(),
                    abstract_array: vec!["alice: hi".into(), "bob: 好的".into()],
                    ..MergeElem::default()
                }),
                Elem::Text(TextElem {
                    content: "again".into(),
                }),
            ],
            sender: "alice".into(),
            client_time: 100,
            msg_id: MessageId::new("m1").ok(),
            ..Message::default()
        }
    }

    #[test]
    fn text_comes_from_the_searchable_elements_in_order() {
        assert_eq!(
            searchable_text(&message()),
            "你好 world\n报告.pdf\n[订单]\n聊天记录\nalice: hi\nbob: 好的\nagain"
        );
    }

    #[test]
    fn a_doc_carries_id_sender_types_and_time() {
        let mut message = message();
        let doc = doc_for(&message, "c2c_bob").unwrap();
        assert_eq!(doc.msg_id, "m1");
        assert_eq!(doc.conv_key, "c2c_bob");
        assert_eq!(doc.sender, "alice");
        assert_eq!(doc.elem_types, [0, 1, 4, 3, 12]);
        assert_eq!(doc.time, 100, "client time while there is no server time");
        message.server_time = 200;
        assert_eq!(doc_for(&message, "c").unwrap().time, 200);
        message.msg_id = None;
        assert!(doc_for(&message, "c").is_none());
    }
}
