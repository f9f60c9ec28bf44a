//! Offline push: [`OfflinePushConfig`] with its iOS and Android parts, and the device's
//! [`OfflinePushToken`].

use super::convert_struct;
use crate::v1 as wire;
use tim_model::{
    AndroidOfflinePushConfig, IosOfflinePushConfig, OfflinePushConfig, OfflinePushToken,
};

convert_struct!(OfflinePushConfig => wire::OfflinePushConfig {
    desc: plain,
    ext: plain,
    flag: tim_enum,
    ios_config: nested,
    android_config: nested,
    title: plain,
});

convert_struct!(IosOfflinePushConfig => wire::IosOfflinePushConfig {
    title: plain,
    sound: plain,
    ignore_badge: plain,
    push_type: tim_enum,
});

convert_struct!(AndroidOfflinePushConfig => wire::AndroidOfflinePushConfig {
    title: plain,
    sound: plain,
    notify_mode: tim_enum,
    vivo_classification: plain,
    vivo_category: plain,
    oppo_channel_id: plain,
    xiaomi_channel_id: plain,
    fcm_channel_id: plain,
    huawei_category: plain,
});

convert_struct!(OfflinePushToken => wire::OfflinePushToken {
    token: plain,
    business_id: plain,
    token_type: tim_enum,
    is_tpns_token: plain,
});
