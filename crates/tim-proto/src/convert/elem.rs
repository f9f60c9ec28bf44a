//! Message elements: [`Elem`] (a oneof on the wire, which must be set) and the thirteen
//! element structs with the structs inside them.

use super::convert_struct;
use crate::v1 as wire;
use crate::v1::elem::Body;
use crate::{ProtoError, Result};
use tim_model::json::RawObject;
use tim_model::{
    CustomElem, Elem, FaceElem, FileElem, FriendAddPendency, FriendChangeElem, FriendProfileUpdate,
    GroupReportElem, GroupTipGroupChangeInfo, GroupTipMemberChangeInfo,
    GroupTipMemberMarkChangeInfo, GroupTipsElem, ImageElem, LocationElem, MergeElem,
    ProfileChangeElem, SoundElem, TextElem, VideoElem,
};

impl From<Elem> for wire::Elem {
    fn from(elem: Elem) -> Self {
        // Merges recurse into messages: they take this small path, and the large match over
        // every other element stays off the stack during the recursion.
        let body = match elem {
            Elem::Merge(inner) => Body::Merge(inner.into()),
            other => leaf_to_wire(other),
        };
        Self { body: Some(body) }
    }
}

/// The body of any element; called for every element but merges.
#[inline(never)]
fn leaf_to_wire(elem: Elem) -> Body {
    match elem {
        Elem::Text(inner) => Body::Text(inner.into()),
        Elem::Image(inner) => Body::Image(inner.into()),
        Elem::Sound(inner) => Body::Sound(inner.into()),
        Elem::Custom(inner) => Body::Custom(inner.into()),
        Elem::File(inner) => Body::File(inner.into()),
        Elem::GroupTips(inner) => Body::GroupTips(inner.into()),
        Elem::Face(inner) => Body::Face(inner.into()),
        Elem::Location(inner) => Body::Location(inner.into()),
        Elem::GroupReport(inner) => Body::GroupReport(inner.into()),
        Elem::Video(inner) => Body::Video(inner.into()),
        Elem::FriendChange(inner) => Body::FriendChange(inner.into()),
        Elem::ProfileChange(inner) => Body::ProfileChange(inner.into()),
        Elem::Merge(inner) => Body::Merge(inner.into()),
    }
}

impl TryFrom<wire::Elem> for Elem {
    type Error = ProtoError;

    /// Refuses an element whose `body` is unset: it cannot stand for any TIM element.
    fn try_from(elem: wire::Elem) -> Result<Self> {
        // As in `From<Elem>`: merges take the small path through the recursion.
        match elem.body.ok_or_else(|| ProtoError::missing("body"))? {
            Body::Merge(inner) => case(inner, Elem::Merge, "body.merge"),
            other => leaf_from_wire(other),
        }
    }
}

/// The model element of any body; called for every body but merges.
#[inline(never)]
fn leaf_from_wire(body: Body) -> Result<Elem> {
    match body {
        Body::Text(inner) => case(inner, Elem::Text, "body.text"),
        Body::Image(inner) => case(inner, Elem::Image, "body.image"),
        Body::Sound(inner) => case(inner, Elem::Sound, "body.sound"),
        Body::Custom(inner) => case(inner, Elem::Custom, "body.custom"),
        Body::File(inner) => case(inner, Elem::File, "body.file"),
        Body::GroupTips(inner) => case(inner, Elem::GroupTips, "body.group_tips"),
        Body::Face(inner) => case(inner, Elem::Face, "body.face"),
        Body::Location(inner) => case(inner, Elem::Location, "body.location"),
        Body::GroupReport(inner) => case(inner, Elem::GroupReport, "body.group_report"),
        Body::Video(inner) => case(inner, Elem::Video, "body.video"),
        Body::FriendChange(inner) => case(inner, Elem::FriendChange, "body.friend_change"),
        Body::ProfileChange(inner) => case(inner, Elem::ProfileChange, "body.profile_change"),
        Body::Merge(inner) => case(inner, Elem::Merge, "body.merge"),
    }
}

/// The element `variant` of the converted `inner`, errors located under `field`.
fn case<W, M>(inner: W, variant: fn(M) -> Elem, field: &str) -> Result<Elem>
where
    M: TryFrom<W, Error = ProtoError>,
{
    M::try_from(inner)
        .map(variant)
        .map_err(|error| error.within(field))
}

convert_struct!(TextElem => wire::TextElem { content: plain });

convert_struct!(ImageElem => wire::ImageElem {
    orig_path: plain,
    level: tim_enum,
    format: plain,
    orig_id: plain,
    orig_pic_height: plain,
    orig_pic_width: plain,
    orig_pic_size: plain,
    thumb_id: plain,
    thumb_pic_height: plain,
    thumb_pic_width: plain,
    thumb_pic_size: plain,
    large_id: plain,
    large_pic_height: plain,
    large_pic_width: plain,
    large_pic_size: plain,
    orig_url: plain,
    thumb_url: plain,
    large_url: plain,
    task_id: plain,
});

convert_struct!(SoundElem => wire::SoundElem {
    file_path: plain,
    file_size: plain,
    file_time: plain,
    file_id: plain,
    business_id: plain,
    download_flag: plain,
    url: plain,
    task_id: plain,
});

convert_struct!(CustomElem => wire::CustomElem {
    data: plain,
    desc: plain,
    ext: plain,
    sound: plain,
});

convert_struct!(FileElem => wire::FileElem {
    file_path: plain,
    file_name: plain,
    file_size: plain,
    file_id: plain,
    business_id: plain,
    download_flag: plain,
    url: plain,
    task_id: plain,
});

convert_struct!(GroupTipsElem => wire::GroupTipsElem {
    tip_type: tim_enum,
    op_user: plain,
    group_name: plain,
    group_id: plain,
    time: plain,
    user_array: plain,
    group_change_info_array: list,
    member_change_info_array: list,
    op_user_info: nested,
    op_group_member_info: nested,
    changed_user_info_array: list,
    changed_group_member_info_array: list,
    member_num: plain,
    platform: plain,
    member_mark_info_array: list,
});

convert_struct!(GroupTipGroupChangeInfo => wire::GroupTipGroupChangeInfo {
    flag: tim_enum,
    value: plain,
    key: plain,
    bool_value: plain,
    int_value: plain,
    uint64_value: plain,
});

convert_struct!(GroupTipMemberChangeInfo => wire::GroupTipMemberChangeInfo {
    identifier: plain,
    shutup_time: plain,
});

convert_struct!(GroupTipMemberMarkChangeInfo => wire::GroupTipMemberMarkChangeInfo {
    enable_mark: plain,
    mark_type: plain,
    user_id_list: plain,
});

convert_struct!(FaceElem => wire::FaceElem { index: plain, buf: plain });

convert_struct!(LocationElem => wire::LocationElem {
    desc: plain,
    longitude: plain,
    latitude: plain,
});

convert_struct!(GroupReportElem => wire::GroupReportElem {
    report_type: tim_enum,
    group_id: plain,
    group_name: plain,
    op_user: plain,
    msg: plain,
    user_data: plain,
    op_user_info: nested,
    op_group_member_info: nested,
    platform: plain,
    shut_up_time: plain,
    group_message_receive_option: tim_enum,
});

convert_struct!(VideoElem => wire::VideoElem {
    video_type: plain,
    video_size: plain,
    video_duration: plain,
    video_path: plain,
    video_id: plain,
    business_id: plain,
    video_download_flag: plain,
    video_url: plain,
    image_type: plain,
    image_size: plain,
    image_width: plain,
    image_height: plain,
    image_path: plain,
    image_id: plain,
    image_download_flag: plain,
    image_url: plain,
    task_id: plain,
});

convert_struct!(FriendChangeElem => wire::FriendChangeElem {
    change_type: tim_enum,
    friend_add_identifier_array: plain,
    friend_del_identifier_array: plain,
    friend_add_pendency_array: list,
    pendency_del_identifier_array: plain,
    pendency_readed_report_timestamp: plain,
    blacklist_add_identifier_array: plain,
    blacklist_del_identifier_array: plain,
    friend_profile_update_item_array: list,
    friend_group_add_array: plain,
    friend_group_del_array: plain,
    friend_group_update_array: plain,
});

convert_struct!(FriendAddPendency => wire::FriendAddPendency {
    identifier: plain,
    nick_name: plain,
    add_source: plain,
    add_wording: plain,
});

impl From<FriendProfileUpdate> for wire::FriendProfileUpdate {
    fn from(update: FriendProfileUpdate) -> Self {
        Self {
            identifier: update.identifier,
            item_json: update
                .item
                .map(|item| serde_json::Value::Object(item.0).to_string()),
        }
    }
}

impl TryFrom<wire::FriendProfileUpdate> for FriendProfileUpdate {
    type Error = ProtoError;

    /// Refuses an `item_json` that is not the text of a JSON object.
    fn try_from(update: wire::FriendProfileUpdate) -> Result<Self> {
        let item = update
            .item_json
            .map(|text| {
                serde_json::from_str(&text).map(RawObject).map_err(|error| {
                    ProtoError::InvalidField {
                        field: "item_json".to_owned(),
                        detail: format!("not the text of a JSON object: {error}"),
                    }
                })
            })
            .transpose()?;
        Ok(Self {
            identifier: update.identifier,
            item,
        })
    }
}

convert_struct!(ProfileChangeElem => wire::ProfileChangeElem {
    change_type: tim_enum,
    from_identifier: plain,
    user_profile_item: nested,
});

convert_struct!(MergeElem => wire::MergeElem {
    recursive message_array: list,
    title: plain,
    abstract_array: plain,
    compatible_text: plain,
    layer_over_limit: plain,
    relay_pb_key: plain,
    relay_json_key: plain,
    relay_buffer: plain,
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_element_without_a_body_is_refused() {
        assert_eq!(
            Elem::try_from(wire::Elem { body: None }),
            Err(ProtoError::missing("body"))
        );
    }

    #[test]
    fn errors_inside_an_element_name_its_case() {
        let tips = wire::GroupTipsElem {
            tip_type: 42,
            ..Default::default()
        };
        let error = Elem::try_from(wire::Elem {
            body: Some(Body::GroupTips(tips)),
        })
        .unwrap_err();
        assert_eq!(error.field(), "body.group_tips.tip_type");
    }

    #[test]
    fn a_profile_update_item_travels_as_json_text() {
        let mut item = serde_json::Map::new();
        item.insert("Tag_SNS_IM_Remark".into(), "pal".into());
        let update = FriendProfileUpdate {
            identifier: "u1".into(),
            item: Some(RawObject(item)),
        };
        let wire = wire::FriendProfileUpdate::from(update.clone());
        assert_eq!(
            wire.item_json.as_deref(),
            Some(r#"{"Tag_SNS_IM_Remark":"pal"}"#)
        );
        assert_eq!(FriendProfileUpdate::try_from(wire), Ok(update));

        let not_an_object = wire::FriendProfileUpdate {
            identifier: "u1".into(),
            item_json: Some("[1]".into()),
        };
        let error = FriendProfileUpdate::try_from(not_an_object).unwrap_err();
        assert_eq!(error.field(), "item_json");
    }
}
