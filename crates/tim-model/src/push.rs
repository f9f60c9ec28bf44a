//! Offline push: the per-message push configuration and the device token.

use crate::enums::{
    AndroidOfflinePushNotifyMode, IosOfflinePushType, OfflinePushFlag, OfflinePushTokenType,
};
use crate::json::json_object;

json_object! {
    /// Per-message offline push settings (`message_offline_push_config`).
    pub struct OfflinePushConfig {
        /// Notification body.
        desc: String = OFFLINE_PUSH_CONFIG_DESC,
        /// Extension payload passed with the push.
        ext: String = OFFLINE_PUSH_CONFIG_EXT,
        /// Push or suppress.
        flag: OfflinePushFlag = OFFLINE_PUSH_CONFIG_FLAG,
        /// iOS options.
        ios_config: Option<IosOfflinePushConfig> = OFFLINE_PUSH_CONFIG_IOS_CONFIG,
        /// Android options.
        android_config: Option<AndroidOfflinePushConfig> = OFFLINE_PUSH_CONFIG_ANDROID_CONFIG,
        /// Notification title.
        title: String = OFFLINE_PUSH_CONFIG_TITLE,
    }
}

json_object! {
    /// iOS push options.
    pub struct IosOfflinePushConfig {
        /// Title.
        title: String = IOS_OFFLINE_PUSH_CONFIG_TITLE,
        /// Sound: `push.no_sound`, `default`, or a bundled file name.
        sound: String = IOS_OFFLINE_PUSH_CONFIG_SOUND,
        /// Do not bump the app badge.
        ignore_badge: bool = IOS_OFFLINE_PUSH_CONFIG_IGNORE_BADGE,
        /// APNs or VoIP.
        push_type: IosOfflinePushType = IOS_OFFLINE_PUSH_CONFIG_PUSH_TYPE,
    }
}

json_object! {
    /// Android push options.
    pub struct AndroidOfflinePushConfig {
        /// Title.
        title: String = ANDROID_OFFLINE_PUSH_CONFIG_TITLE,
        /// Sound resource name.
        sound: String = ANDROID_OFFLINE_PUSH_CONFIG_SOUND,
        /// What tapping the notification does.
        notify_mode: AndroidOfflinePushNotifyMode = ANDROID_OFFLINE_PUSH_CONFIG_NOTIFY_MODE,
        /// VIVO classification (0 operational, 1 system).
        vivo_classification: u32 = ANDROID_OFFLINE_PUSH_CONFIG_VIVO_CLASSIFICATION,
        /// VIVO category.
        vivo_category: String = ANDROID_OFFLINE_PUSH_CONFIG_VIVO_CATEGORY,
        /// OPPO channel.
        oppo_channel_id: String = ANDROID_OFFLINE_PUSH_CONFIG_OPPO_CHANNEL_ID,
        /// Xiaomi channel.
        xiaomi_channel_id: String = ANDROID_OFFLINE_PUSH_CONFIG_XIAOMI_CHANNEL_ID,
        /// FCM channel.
        fcm_channel_id: String = ANDROID_OFFLINE_PUSH_CONFIG_FCM_CHANNEL_ID,
        /// Huawei message category.
        huawei_category: String = ANDROID_OFFLINE_PUSH_CONFIG_HUAWEI_CATEGORY,
    }
}

json_object! {
    /// A device's push token (`TIMMsgSetOfflinePushToken`).
    pub struct OfflinePushToken {
        /// The vendor token, as hex.
        token: String = OFFLINE_PUSH_TOKEN_TOKEN,
        /// Push certificate ID.
        business_id: u32 = OFFLINE_PUSH_TOKEN_BUSINESS_ID,
        /// Token kind.
        token_type: OfflinePushTokenType = OFFLINE_PUSH_TOKEN_TYPE,
        /// Older (6.x) form of the TPNS flag.
        is_tpns_token: bool = OFFLINE_PUSH_TOKEN_IS_TPNS_TOKEN,
    }
}
