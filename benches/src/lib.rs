//! Shared pieces of tim's benchmarks; the benchmarks themselves live in `benches/benches/`.
//!
//! - Data generators (this module): realistic model values and their TIM JSON text, the same
//!   on every run, so numbers from two runs measure the same work.
//! - [`ratio`]: a short interleaved timing loop that turns "ours" and "baseline" into one
//!   ratio, printed at the end of a run. A ratio measured in the same run as its baseline
//!   still means something on a noisy 2-core machine, where absolute times drift.
//! - [`local_data`]: the generated chat history of the `local_engine` benchmark (tim's engine
//!   against SQLite) and the brute-force answers its pages and searches must give;
//!   [`fts5_text`]: the CJK bigram rewriting its SQLite baseline applies; [`latency`]: the
//!   percentiles it reports.
//!
//! What it must never do: read files or the network (generators build everything in memory),
//! or hide a failure (a generator that could not build its value says so instead of
//! benchmarking an error path).

pub mod fts5_text;
pub mod latency;
pub mod local_data;
pub mod ratio;

use tim_model::enums::{
    AndroidOfflinePushNotifyMode, ConvType, GenderType, ImageLevel, IosOfflinePushType,
    MsgPriority, MsgStatus, OfflinePushFlag, Platform, ProfileAddPermission,
};
use tim_model::{
    AndroidOfflinePushConfig, CustomElem, Elem, ImageElem, IosOfflinePushConfig, Message,
    MessageId, OfflinePushConfig, Seq, TextElem, UserProfile, UserProfileCustomStringInfo,
};

/// Number of messages in the page benchmarks: the size of a typical history page
/// (`TIMMsgGetMsgList` with `msg_getmsglist_param_count` 50).
pub const PAGE_SIZE: usize = 50;

/// A realistic group chat message as an app receives it in a callback: a text element (mixed
/// Chinese and English), a custom element with a JSON payload, and an image element with its
/// three renditions, plus the sender's profile and an offline push configuration for both
/// platforms.
///
/// `index` varies the IDs, times, seq and wording, so a page of these is not one string
/// repeated. The result always encodes to about 4.5 KiB of TIM JSON.
pub fn realistic_message(index: u64) -> Message {
    let sender = format!("user_{:04}", index % 37);
    let client_time = 1_735_000_000 + index * 17;
    let rand = index.wrapping_mul(2_654_435_761) % 4_294_967_291;
    let text = format!(
        "第{index}条：今晚的发布延后到 9 点，请大家先看一下 release notes 再确认 (#{index})"
    );
    let custom_data = format!(
        r#"{{"type":"order_card","order_id":"ORD-{index:08}","amount_cents":{},"currency":"CNY","items":[{{"sku":"A-1","qty":2}},{{"sku":"B-7","qty":1}}]}}"#,
        1999 + index % 500
    );
    let image_id = format!("1400000000_{sender}_{index:016x}");
    let image_url = format!("https://media.example.invalid/img/{image_id}");

    let elems = vec![
        Elem::Text(TextElem { content: text }),
        Elem::Custom(CustomElem {
            data: custom_data,
            desc: "[订单] 新订单".to_owned(),
            ext: r#"{"entity":{"action":"open_order"}}"#.to_owned(),
            sound: "order.caf".to_owned(),
        }),
        Elem::Image(ImageElem {
            orig_path: String::new(),
            level: ImageLevel::Compression,
            format: 1,
            orig_id: format!("{image_id}_orig"),
            orig_pic_height: 3024,
            orig_pic_width: 4032,
            orig_pic_size: 2_481_907,
            thumb_id: format!("{image_id}_thumb"),
            thumb_pic_height: 198,
            thumb_pic_width: 264,
            thumb_pic_size: 18_233,
            large_id: format!("{image_id}_large"),
            large_pic_height: 720,
            large_pic_width: 960,
            large_pic_size: 161_024,
            orig_url: format!("{image_url}?rendition=orig"),
            thumb_url: format!("{image_url}?rendition=thumb"),
            large_url: format!("{image_url}?rendition=large"),
            task_id: 0,
        }),
    ];

    let sender_profile = UserProfile {
        identifier: sender.clone(),
        nick_name: format!("用户{}", index % 37),
        gender: GenderType::Female,
        face_url: format!("https://media.example.invalid/avatar/{sender}.png"),
        friend_remark: String::new(),
        self_signature: "Shipping on Fridays is a lifestyle".to_owned(),
        add_permission: ProfileAddPermission::NeedConfirm,
        location: "Shenzhen".to_owned(),
        language: 1,
        birthday: 19_920_314,
        level: 7,
        role: 0,
        custom_string_array: vec![UserProfileCustomStringInfo {
            key: "Tag_Profile_Custom_Team".to_owned(),
            value: "platform".to_owned(),
        }],
    };

    let offline_push_config = OfflinePushConfig {
        desc: "[图片] 今晚的发布延后到 9 点".to_owned(),
        ext: format!(r#"{{"conv":"group_release","msg":{index}}}"#),
        flag: OfflinePushFlag::Default,
        ios_config: Some(IosOfflinePushConfig {
            title: "发布群".to_owned(),
            sound: "default".to_owned(),
            ignore_badge: false,
            push_type: IosOfflinePushType::Apns,
        }),
        android_config: Some(AndroidOfflinePushConfig {
            title: "发布群".to_owned(),
            sound: "message".to_owned(),
            notify_mode: AndroidOfflinePushNotifyMode::Normal,
            vivo_classification: 1,
            vivo_category: "IM".to_owned(),
            oppo_channel_id: "tim_chat".to_owned(),
            xiaomi_channel_id: "high_system".to_owned(),
            fcm_channel_id: "chat".to_owned(),
            huawei_category: "IM".to_owned(),
        }),
        title: "发布群".to_owned(),
    };

    Message {
        elems,
        conv_id: "group_release".to_owned(),
        conv_type: ConvType::Group,
        sender,
        priority: MsgPriority::Normal,
        client_time,
        server_time: client_time + 1,
        platform: Platform::Android,
        need_read_receipt: true,
        version: 1,
        status: Some(MsgStatus::SendSucc),
        unique_id: 6_912_000_000_000_000_000 + index,
        // A message ID is printable ASCII well under 128 bytes, so this is always `Some`.
        msg_id: MessageId::new(&format!("144115{index:010}-{client_time}-{rand}")).ok(),
        rand,
        seq: Seq(10_000 + index),
        cloud_custom_str: r#"{"reply_to":null,"mentions":[]}"#.to_owned(),
        group_at_user_array: vec!["user_0001".to_owned()],
        sender_profile: Some(sender_profile),
        offline_push_config: Some(offline_push_config),
        ..Message::default()
    }
}

/// The TIM JSON text of [`realistic_message`]`(0)`, as compact as `TIMMsgSendMessage`'s
/// callback hands it over.
pub fn realistic_message_json() -> String {
    tim_model::json::to_string(&realistic_message(0))
}

/// A page of `count` consecutive [`realistic_message`]s (indices `0..count`), as a history
/// query returns them.
pub fn message_page(count: usize) -> Vec<Message> {
    (0..count as u64).map(realistic_message).collect()
}

/// The TIM JSON text of [`message_page`]`(count)`: one JSON array of message objects.
pub fn message_page_json(count: usize) -> String {
    tim_model::json::to_string(&message_page(count))
}

#[cfg(test)]
mod tests {
    use super::*;
    use tim_model::json;

    #[test]
    fn the_message_round_trips_through_tim_json() {
        let text = realistic_message_json();
        let decoded: Message = json::from_str(&text).unwrap();
        assert_eq!(decoded, realistic_message(0));
        assert!(decoded.msg_id.is_some());
        assert_eq!(decoded.elems.len(), 3);
        assert!((3_000..6_000).contains(&text.len()), "{} bytes", text.len());
    }

    #[test]
    fn a_page_decodes_to_distinct_messages() {
        let text = message_page_json(PAGE_SIZE);
        let decoded: Vec<Message> = json::from_str(&text).unwrap();
        assert_eq!(decoded.len(), PAGE_SIZE);
        assert_ne!(decoded[0].msg_id, decoded[1].msg_id);
        assert_eq!(decoded, message_page(PAGE_SIZE));
    }
}
