//! Every model value the protocol carries survives the trip model -> wire -> bytes -> wire ->
//! model unchanged, `None` staying `None` and `Some` staying `Some`.

use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use std::fmt::Debug;
use tim_model::arb::arbitrary;
use tim_model::{
    BatchSendParam, BatchSendResult, C2cRecvMsgOptResult, ConvId, Elem, GroupId, GroupMemberInfo,
    Message, MessageExtension, MessageExtensionResult, MessageReceipt, MsgLocator,
    OfflinePushConfig, OfflinePushToken, RevokeInfo, TranslateTextResult, UserId, UserProfile,
    UserProfileItem,
};
use tim_proto::{FrameDecoder, ProtoError, encode_frame, v1};

/// Converts `value` to its wire type `W`, encodes and decodes that, converts back, and checks
/// both the wire value and the model value came back equal.
fn round_trip<M, W>(value: M) -> Result<(), TestCaseError>
where
    M: Clone + PartialEq + Debug + TryFrom<W, Error = ProtoError>,
    W: From<M> + prost::Message + Default + PartialEq + Debug,
{
    let wire = W::from(value.clone());
    let bytes = wire.encode_to_vec();
    let decoded = W::decode(bytes.as_slice()).map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert_eq!(&decoded, &wire);
    let back = M::try_from(decoded).map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert_eq!(back, value);
    Ok(())
}

macro_rules! round_trips {
    ($($test:ident: $model:ty => $wire:ty,)*) => {
        proptest! {
            $(
                #[test]
                fn $test(value in arbitrary::<$model>()) {
                    round_trip::<$model, $wire>(value)?;
                }
            )*
        }
    };
}

round_trips! {
    message: Message => v1::Message,
    elem: Elem => v1::Elem,
    msg_locator: MsgLocator => v1::MsgLocator,
    revoke_info: RevokeInfo => v1::RevokeInfo,
    message_extension: MessageExtension => v1::MessageExtension,
    message_extension_result: MessageExtensionResult => v1::MessageExtensionResult,
    message_receipt: MessageReceipt => v1::MessageReceipt,
    c2c_recv_msg_opt_result: C2cRecvMsgOptResult => v1::C2cRecvMsgOptResult,
    batch_send_param: BatchSendParam => v1::BatchSendRequest,
    batch_send_result: BatchSendResult => v1::BatchSendResult,
    translate_text_result: TranslateTextResult => v1::TranslateTextResult,
    offline_push_token: OfflinePushToken => v1::OfflinePushToken,
    offline_push_config: OfflinePushConfig => v1::OfflinePushConfig,
    user_profile: UserProfile => v1::UserProfile,
    user_profile_item: UserProfileItem => v1::UserProfileItem,
    group_member_info: GroupMemberInfo => v1::GroupMemberInfo,
}

fn any_conversation() -> impl Strategy<Value = ConvId> {
    prop_oneof![
        arbitrary::<UserId>().prop_map(ConvId::C2c),
        arbitrary::<GroupId>().prop_map(ConvId::Group),
    ]
}

proptest! {
    #[test]
    fn conversation(value in any_conversation()) {
        round_trip::<ConvId, v1::ConversationId>(value)?;
    }

    /// A message pushed inside a framed ServerFrame comes out of the decoder unchanged.
    #[test]
    fn message_inside_a_framed_push(message in arbitrary::<Message>(), cursor in any::<u64>()) {
        let frame = v1::ServerFrame {
            request_id: 0,
            body: Some(v1::server_frame::Body::NewMessage(v1::NewMessagePush {
                cursor,
                message: Some(message.clone().into()),
            })),
        };
        let mut decoder = FrameDecoder::new();
        decoder.push(&encode_frame(&frame));
        let received = decoder.next_message::<v1::ServerFrame>();
        let Ok(Some(v1::ServerFrame {
            body: Some(v1::server_frame::Body::NewMessage(push)),
            ..
        })) = received
        else {
            return Err(TestCaseError::fail(format!("no push decoded: {received:?}")));
        };
        prop_assert_eq!(push.cursor, cursor);
        let wire_message = push.message.ok_or_else(|| TestCaseError::fail("no message"))?;
        let back = Message::try_from(wire_message).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(back, message);
        prop_assert_eq!(decoder.next_frame(), Ok(None));
    }
}
