//! Every JSON sample of the two newest seed pages (003, Chinese, 33 functions; 001, English)
//! parses into the model and round-trips.
//!
//! Two sources per page: the JSON printed under each sample, extracted from the page itself
//! (so a sample cannot be forgotten), and, for samples whose page prints nothing or prints
//! something other than what its code builds, the JSON the sample's code builds, transcribed
//! below. The printed samples contain two documentation slips (a missing comma after
//! `"message_id"`, trailing commas) that the code's jsoncpp output never has; the extractor
//! repairs exactly those before parsing.

use serde_json::Value;
use std::path::PathBuf;
use tim_model::json::{self, JsonValue};
use tim_model::*;

fn seed(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../docs/spec/seeds")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
}

/// `(function, printed JSON)` for every sample of a page that prints its JSON.
fn printed_samples(page: &str) -> Vec<(String, String)> {
    let mut samples = Vec::new();
    for section in page.split("\n## ").skip(1) {
        let function = section.lines().next().unwrap_or("").trim().to_owned();
        for block in section.split("```c\n").skip(1) {
            let code = block.split("```").next().unwrap_or("");
            let mut lines = code.lines().skip_while(|line| {
                !(line.contains("JSON 字符串如下")
                    || line.contains("is as follows")
                    || line.contains("json_param 示例")
                    || line.contains("Example of the callback"))
            });
            if lines.next().is_some() {
                samples.push((
                    function.clone(),
                    repair(&lines.collect::<Vec<_>>().join("\n")),
                ));
            }
        }
    }
    samples
}

/// Adds the comma missing at the end of a member line and drops commas before `}` or `]`.
fn repair(printed: &str) -> String {
    let lines: Vec<&str> = printed.lines().collect();
    let mut out = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        let next = lines[index + 1..]
            .iter()
            .map(|l| l.trim())
            .find(|l| !l.is_empty())
            .unwrap_or("");
        let mut line = line.trim_end().to_owned();
        let ends_value = line.ends_with('"') || line.ends_with(|c: char| c.is_ascii_digit());
        if ends_value && next.starts_with('"') {
            line.push(',');
        }
        if line.ends_with(',') && (next.starts_with('}') || next.starts_with(']')) {
            line.pop();
        }
        out.push(line);
    }
    out.join("\n")
}

fn round_trip<T: JsonValue + PartialEq + std::fmt::Debug>(function: &str, text: &str) -> T {
    let value: T = json::from_str(text).unwrap_or_else(|err| panic!("{function}: {err}\n{text}"));
    let again: T =
        json::from_str(&json::to_string(&value)).unwrap_or_else(|err| panic!("{function}: {err}"));
    assert_eq!(value, again, "{function} does not round-trip");
    value
}

/// Parses one printed sample as the type its function takes or returns.
fn parse_printed(function: &str, text: &str) {
    match function {
        "TIMMsgSendMessage" | "TIMMsgSendNewMsg" => {
            let message: Message = round_trip(function, text);
            assert_eq!(message.sender, "user1");
            assert!(matches!(&message.elems[..], [Elem::Text(t)] if t.content == "send text"));
            limits::validate_send(&message).unwrap_or_else(|err| panic!("{function}: {err}"));
        }
        "TIMMsgFindMessages" => {
            let ids: Vec<MessageId> = round_trip(function, text);
            assert_eq!(ids[0].as_str(), "id_clienttime_rand_1");
        }
        "TIMMsgFindByMsgLocatorList" => {
            let locators: Vec<MsgLocator> = round_trip(function, text);
            assert_eq!(
                (locators[0].seq, locators[0].rand, locators[0].time),
                (Seq(1), 12_345_678, 123)
            );
        }
        "TIMMsgImportMsgList" | "TIMMsgListDelete" => {
            let messages: Vec<Message> = round_trip(function, text);
            assert_eq!(messages.len(), 1);
            limits::validate_list_delete(&messages)
                .unwrap_or_else(|err| panic!("{function}: {err}"));
        }
        "TIMMsgGetMsgList" => {
            let param: GetMsgListParam = round_trip(function, text);
            assert_eq!(
                (param.count, param.is_forward, param.is_ramble),
                (100, true, false)
            );
            assert_eq!(param.last_msg, Some(Message::default()));
        }
        "TIMMsgDelete" => {
            let param: MsgDeleteParam = round_trip(function, text);
            assert!(!param.is_ramble);
        }
        "TIMMsgGetC2CReceiveMessageOpt" => {
            let results: Vec<C2cRecvMsgOptResult> = round_trip(function, text);
            let opts: Vec<_> = results
                .iter()
                .map(|r| (r.identifier.as_str(), r.opt))
                .collect();
            assert_eq!(
                opts,
                [
                    ("user1", enums::ReceiveMessageOpt::Receive),
                    ("user2", enums::ReceiveMessageOpt::NotReceive)
                ]
            );
        }
        "TIMMsgSearchLocalMessages" => {
            let param: SearchParam = round_trip(function, text);
            assert_eq!(param.keyword_array, ["keyword1", "keyword2"]);
            assert_eq!(
                param.message_type_array,
                [enums::ElemType::Text, enums::ElemType::Image]
            );
            limits::validate_search(&param).unwrap_or_else(|err| panic!("{function}: {err}"));
        }
        "TIMMsgBatchSend" => {
            let param: BatchSendParam = round_trip(function, text);
            let users = limits::validate_batch_send(&param).unwrap_or_else(|err| panic!("{err}"));
            assert_eq!(users.len(), 2);
        }
        other => panic!("no target type for the printed sample of {other}:\n{text}"),
    }
}

#[test]
fn every_printed_sample_of_the_newest_chinese_page_parses() {
    let samples = printed_samples(&seed("003_5cbabd2c88d499ba.txt"));
    let functions: Vec<&str> = samples.iter().map(|(f, _)| f.as_str()).collect();
    assert_eq!(
        functions,
        [
            "TIMMsgSendMessage",
            "TIMMsgSendNewMsg",
            "TIMMsgFindMessages",
            "TIMMsgFindByMsgLocatorList",
            "TIMMsgImportMsgList",
            "TIMMsgGetMsgList",
            "TIMMsgDelete",
            "TIMMsgListDelete",
            "TIMMsgGetC2CReceiveMessageOpt",
            "TIMMsgSearchLocalMessages",
            "TIMMsgBatchSend",
        ]
    );
    for (function, text) in &samples {
        parse_printed(function, text);
    }
}

#[test]
fn every_printed_sample_of_the_newest_english_page_parses() {
    let samples = printed_samples(&seed("001_0c3be5471d0f99cc.txt"));
    assert_eq!(samples.len(), 11);
    for (function, text) in &samples {
        parse_printed(function, text);
    }
}

/// What each sample's code builds, where the page prints nothing or something else.
#[test]
fn what_the_sample_code_builds_parses() {
    // TIMMsgRevoke / TIMMsgModifyMessage: a message with a text element only.
    let message: Message = round_trip(
        "TIMMsgRevoke",
        r#"{"message_elem_array":[{"elem_type":0,"text_elem_content":"send text"}]}"#,
    );
    limits::validate_send(&message).unwrap_or_else(|err| panic!("{err}"));

    // TIMMsgSendMessage as the code builds it (no "message_id" key).
    let message: Message = round_trip(
        "TIMMsgSendMessage",
        r#"{"message_client_time":1551446728,"message_elem_array":[{"elem_type":0,"text_elem_content":"send text"}],"message_sender":"user1","message_server_time":1551446728}"#,
    );
    assert_eq!(message.client_time, 1_551_446_728);

    // TIMMsgSetLocalCustomData: a history page request without anchor, then a message from
    // it with the custom fields set; the sample assigns a word to message_custom_int.
    let param: GetMsgListParam = round_trip(
        "TIMMsgGetMsgList",
        r#"{"msg_getmsglist_param_count":1,"msg_getmsglist_param_is_forward":false,"msg_getmsglist_param_is_remble":true}"#,
    );
    assert!(param.is_ramble && param.last_msg.is_none());
    let message: Message = json::from_str(
        r#"{"message_msg_id":"144115-1551446728-1","message_elem_array":[{"elem_type":0,"text_elem_content":"hi"}],"message_custom_str":"custom Str","message_custom_int":"custom int"}"#,
    )
    .unwrap_or_else(|err| panic!("{err}"));
    assert_eq!(
        (message.custom_str.as_str(), message.custom_int),
        ("custom Str", 0)
    );

    // TIMMsgSearchLocalMessages as the code builds it (the printed JSON drops two keys).
    let param: SearchParam = round_trip(
        "TIMMsgSearchLocalMessages",
        r#"{"msg_search_param_conv_id":"xxxxx","msg_search_param_conv_type":2,"msg_search_param_keyword_array":["keyword1","keyword2"],"msg_search_param_message_type_array":[0,1],"msg_search_param_page_index":0,"msg_search_param_page_size":10}"#,
    );
    assert_eq!(
        (param.conv_id.as_str(), param.conv_type),
        ("xxxxx", enums::ConvType::Group)
    );

    // TIMMsgSetMessageExtensions: the message and the extension list.
    let message: Message = round_trip(
        "TIMMsgSetMessageExtensions",
        r#"{"message_support_message_extension":true,"message_sender":"user1","message_client_time":1551446728,"message_elem_array":[{"elem_type":0,"text_elem_content":"send text"}]}"#,
    );
    assert!(message.support_message_extension);
    let extensions: Vec<MessageExtension> = round_trip(
        "TIMMsgSetMessageExtensions",
        r#"[{"message_extension_key":"extension_key","message_extension_value":"extension_value"}]"#,
    );
    limits::validate_extensions(&extensions).unwrap_or_else(|err| panic!("{err}"));

    // TIMMsgDeleteMessageExtensions: keys as objects (S3) and as strings (M).
    let keys: ExtensionKeyList = round_trip(
        "TIMMsgDeleteMessageExtensions",
        r#"[{"message_extension_key":"extension_key"}]"#,
    );
    let plain: ExtensionKeyList =
        round_trip("TIMMsgDeleteMessageExtensions", r#"["extension_key"]"#);
    assert_eq!(keys, plain);
    limits::validate_extension_keys(&keys.0).unwrap_or_else(|err| panic!("{err}"));

    // TIMMsgTranslateText, TIMMsgSetC2CReceiveMessageOpt, TIMMsgFindMessages: bare arrays.
    let texts: Vec<String> = round_trip(
        "TIMMsgTranslateText",
        r#"["send text","translate text test"]"#,
    );
    assert_eq!(texts.len(), 2);
    let users: Vec<String> = round_trip("TIMMsgSetC2CReceiveMessageOpt", r#"["user1","user2"]"#);
    limits::validate_c2c_recv_opt_users(&users).unwrap_or_else(|err| panic!("{err}"));

    // TIMMsgSetOfflinePushToken.
    let token: OfflinePushToken = round_trip(
        "TIMMsgSetOfflinePushToken",
        r#"{"offline_push_token_token":"xxxxx","offline_push_token_business_id":1234578}"#,
    );
    assert_eq!(token.business_id, 1_234_578);

    // TIMMsgDownloadElemToPath, with the values a received file element carries.
    let download: DownloadElemParam = round_trip(
        "TIMMsgDownloadElemToPath",
        r#"{"msg_download_elem_param_flag":2,"msg_download_elem_param_type":1,"msg_download_elem_param_id":"file-1","msg_download_elem_param_business_id":0,"msg_download_elem_param_url":"https://example.invalid/f"}"#,
    );
    assert_eq!(download.download_type, enums::DownloadType::File);

    // TIMMsgGetMessageExtensions / TIMMsgDeleteMessageExtensions page request.
    let param: GetMsgListParam = round_trip(
        "TIMMsgGetMessageExtensions",
        r#"{"msg_getmsglist_param_last_msg":{},"msg_getmsglist_param_is_ramble":true,"msg_getmsglist_param_is_forward":false,"msg_getmsglist_param_count":1}"#,
    );
    assert!(param.is_ramble);
}

#[test]
fn the_repair_touches_only_the_two_documented_slips() {
    let printed = "{\n   \"message_id\" : \"1\"\n   \"message_seq\" : 2,\n}";
    let repaired = repair(printed);
    let value: Value =
        serde_json::from_str(&repaired).unwrap_or_else(|err| panic!("{err}: {repaired}"));
    assert_eq!(value["message_seq"], 2);
    let valid = "[\n  {\n    \"a\" : 1\n  }\n]";
    assert_eq!(repair(valid), valid);
}
