//! Each local operation driven the way a C caller drives it: from the JSON text of the seed
//! samples (and broken variants of it) through the model into the engine, with the exact TIM
//! codes for malformed JSON, unknown and empty ("NULL-like") conversations and oversize pages.

mod common;

use common::*;
use tim_core::{Engine, Result};
use tim_model::enums::ConvType;
use tim_model::json::{self, JsonValue};
use tim_model::{
    ConvId, GetMsgListParam, Message, MessageId, MsgDeleteParam, MsgLocator, SearchParam,
};

/// What the C facade will do: decode the parameter, name the conversation, call the engine.
fn call<P: JsonValue, T>(
    conv_type: ConvType,
    conv_id: &str,
    param: &str,
    op: impl FnOnce(&ConvId, P) -> Result<T>,
) -> std::result::Result<T, i32> {
    let param: P = json::from_str(param).map_err(|err| err.code())?;
    let conv = Engine::conversation_id(conv_type, conv_id).map_err(|err| err.code())?;
    op(&conv, param).map_err(|err| err.code())
}

const IMPORT: &str = r#"[{"message_client_time":1551446728,"message_elem_array":[{"elem_type":0,"text_elem_content":"this is import msg"}],"message_sender":"user1","message_server_time":1551446728}]"#;
const GET_LIST: &str = r#"{"msg_getmsglist_param_count":100,"msg_getmsglist_param_is_forward":true,"msg_getmsglist_param_is_remble":false,"msg_getmsglist_param_last_msg":{}}"#;
const LOCATORS: &str = r#"[{"message_locator_is_revoked":false,"message_locator_is_self":false,"message_locator_rand":12345678,"message_locator_seq":1,"message_locator_time":123}]"#;
const SEARCH: &str = r#"{"msg_search_param_keyword_array":["import"],"msg_search_param_conv_id":"user2","msg_search_param_conv_type":1,"msg_search_param_page_index":0,"msg_search_param_page_size":10}"#;

#[test]
fn the_seed_samples_run_against_the_engine() {
    let (engine, _dir) = engine();
    let imported = call(
        ConvType::C2c,
        "user2",
        IMPORT,
        |conv, msgs: Vec<Message>| engine.import_messages(conv, msgs),
    )
    .unwrap();
    assert_eq!(imported.len(), 1);
    let page = call(
        ConvType::C2c,
        "user2",
        GET_LIST,
        |conv, p: GetMsgListParam| engine.get_message_list(conv, &p),
    )
    .unwrap();
    assert_eq!(contents(&page), ["this is import msg"]);
    let found = call(
        ConvType::C2c,
        "user2",
        LOCATORS,
        |conv, l: Vec<MsgLocator>| engine.find_by_locators(conv, &l),
    )
    .unwrap();
    assert!(
        found.is_empty(),
        "the sample's locator names no stored message"
    );
    let located: Vec<MsgLocator> = vec![imported[0].locator()];
    let text = json::to_string(&located);
    let found = call(ConvType::C2c, "user2", &text, |conv, l: Vec<MsgLocator>| {
        engine.find_by_locators(conv, &l)
    })
    .unwrap();
    assert_eq!(found.len(), 1);
    let search: SearchParam = json::from_str(SEARCH).unwrap();
    assert_eq!(engine.search_local(&search).unwrap().total_count, 1);
    let ids = format!(
        r#"["{}", "id_clienttime_rand_1"]"#,
        imported[0].msg_id.as_ref().map_or("", MessageId::as_str)
    );
    let ids: Vec<MessageId> = json::from_str(&ids).unwrap();
    assert_eq!(engine.find_messages(&ids).unwrap().len(), 1);
    let mut custom: Message = imported[0].clone();
    custom.custom_str = "custom Str".into();
    let custom_json = json::to_string(&custom).replace(
        r#""message_custom_int":0"#,
        r#""message_custom_int":"custom int""#,
    );
    engine
        .set_local_custom_data(&json::from_str(&custom_json).unwrap())
        .unwrap();
    assert_eq!(
        engine.find_messages(&ids).unwrap()[0].custom_str,
        "custom Str"
    );
    let delete = r#"{"msg_delete_param_is_remble":false,"msg_delete_param_msg":{}}"#;
    call(ConvType::C2c, "user2", delete, |conv, p: MsgDeleteParam| {
        engine.delete_local(conv, &p)
    })
    .unwrap();
    assert!(engine.find_messages(&ids).unwrap().is_empty());
}

#[test]
fn malformed_json_is_refused_before_the_engine_runs() {
    let (engine, _dir) = engine();
    for broken in [
        "",
        "{",
        "[{]",
        "null",
        "{\"msg_getmsglist_param_count\":\"many\"}",
    ] {
        let code = call(ConvType::C2c, "peer", broken, |conv, p: GetMsgListParam| {
            engine.get_message_list(conv, &p)
        })
        .unwrap_err();
        assert!(code == 6027 || code == 6017, "{broken:?}: {code}");
    }
    let code = call(
        ConvType::C2c,
        "peer",
        "[{\"message_elem_array\":{}}]",
        |conv, m: Vec<Message>| engine.import_messages(conv, m),
    )
    .unwrap_err();
    assert_eq!(code, 6027);
    let code = call(
        ConvType::C2c,
        "peer",
        "{\"msg_getmsglist_param_count\":-1}",
        |conv, p: GetMsgListParam| engine.get_message_list(conv, &p),
    )
    .unwrap_err();
    assert_eq!(code, 6017);
}

#[test]
fn unknown_and_empty_conversations_get_their_codes() {
    let (engine, _dir) = engine();
    // NULL-like empty conversation IDs.
    let page = |conv_type, id: &str| {
        call(conv_type, id, GET_LIST, |conv, p: GetMsgListParam| {
            engine.get_message_list(conv, &p)
        })
    };
    assert_eq!(page(ConvType::C2c, "").unwrap_err(), 7003);
    assert_eq!(page(ConvType::Group, "").unwrap_err(), 8501);
    assert_eq!(page(ConvType::Invalid, "peer").unwrap_err(), 6017);
    assert_eq!(page(ConvType::C2c, &"u".repeat(33)).unwrap_err(), 7003);
    // A valid conversation with no local messages is empty, not an error.
    assert!(page(ConvType::Group, "never-seen").unwrap().is_empty());
    // Oversize page.
    let big = r#"{"msg_getmsglist_param_count":100000}"#;
    let code = call(ConvType::C2c, "peer", big, |conv, p: GetMsgListParam| {
        engine.get_message_list(conv, &p)
    })
    .unwrap_err();
    assert_eq!(code, 6017);
    // Empty lists.
    let code = call(ConvType::C2c, "peer", "[]", |conv, m: Vec<Message>| {
        engine.import_messages(conv, m)
    })
    .unwrap_err();
    assert_eq!(code, 6017);
    assert!(engine.find_messages(&[]).unwrap().is_empty());
}
