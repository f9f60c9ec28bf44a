//! How one struct field maps between the model and the wire: each module here is a mapping
//! kind named in [`convert_struct!`](super::convert_struct) declarations, with a `to_wire`
//! and a `from_wire` function. `from_wire` receives the field's name and puts it (with an
//! index for list items) in front of the path of any error.

use crate::{ProtoError, Result};

/// The same type on both sides (strings, numbers, booleans, string lists).
pub(crate) mod plain {
    use super::*;

    pub(crate) fn to_wire<T>(value: T) -> T {
        value
    }

    pub(crate) fn from_wire<T>(value: T, _field: &str) -> Result<T> {
        Ok(value)
    }
}

/// A TIM enum on the model side, its number (`int32`) on the wire.
pub(crate) mod tim_enum {
    use super::*;
    use crate::WireEnum;

    pub(crate) fn to_wire<E: WireEnum>(value: E) -> i32 {
        value.to_wire()
    }

    pub(crate) fn from_wire<E: WireEnum>(value: i32, field: &str) -> Result<E> {
        E::from_wire(value, field)
    }
}

/// An optional TIM enum (`optional int32`).
pub(crate) mod opt_enum {
    use super::*;
    use crate::WireEnum;

    pub(crate) fn to_wire<E: WireEnum>(value: Option<E>) -> Option<i32> {
        value.map(E::to_wire)
    }

    pub(crate) fn from_wire<E: WireEnum>(value: Option<i32>, field: &str) -> Result<Option<E>> {
        value.map(|number| E::from_wire(number, field)).transpose()
    }
}

/// A [`Seq`](tim_model::Seq) (`uint64`).
pub(crate) mod seq {
    use super::*;
    use tim_model::Seq;

    pub(crate) fn to_wire(value: Seq) -> u64 {
        value.0
    }

    pub(crate) fn from_wire(value: u64, _field: &str) -> Result<Seq> {
        Ok(Seq(value))
    }
}

/// An optional [`MessageId`](tim_model::MessageId) (`optional string`), validated on the way
/// in.
pub(crate) mod opt_msg_id {
    use super::*;
    use tim_model::MessageId;

    pub(crate) fn to_wire(value: Option<MessageId>) -> Option<String> {
        value.map(MessageId::into_string)
    }

    pub(crate) fn from_wire(value: Option<String>, field: &str) -> Result<Option<MessageId>> {
        value
            .map(|id| MessageId::new(&id).map_err(|error| ProtoError::from_model(field, &error)))
            .transpose()
    }
}

/// An optional nested struct (a message field, which has presence).
pub(crate) mod nested {
    use super::*;

    pub(crate) fn to_wire<M, W: From<M>>(value: Option<M>) -> Option<W> {
        value.map(W::from)
    }

    pub(crate) fn from_wire<W, M>(value: Option<W>, field: &str) -> Result<Option<M>>
    where
        M: TryFrom<W, Error = ProtoError>,
    {
        value
            .map(|inner| M::try_from(inner).map_err(|error| error.within(field)))
            .transpose()
    }
}

/// A nested struct the model always has: absent on the wire is refused.
pub(crate) mod required {
    use super::*;

    pub(crate) fn to_wire<M, W: From<M>>(value: M) -> Option<W> {
        Some(W::from(value))
    }

    pub(crate) fn from_wire<W, M>(value: Option<W>, field: &str) -> Result<M>
    where
        M: TryFrom<W, Error = ProtoError>,
    {
        let inner = value.ok_or_else(|| ProtoError::missing(field))?;
        M::try_from(inner).map_err(|error| error.within(field))
    }
}

/// A list of nested structs (`repeated` message).
pub(crate) mod list {
    use super::*;

    pub(crate) fn to_wire<M, W: From<M>>(value: Vec<M>) -> Vec<W> {
        value.into_iter().map(W::from).collect()
    }

    pub(crate) fn from_wire<W, M>(value: Vec<W>, field: &str) -> Result<Vec<M>>
    where
        M: TryFrom<W, Error = ProtoError>,
    {
        // A plain loop rather than an iterator chain: fewer frames on the stack while a list
        // of messages converts nested messages.
        let mut items = Vec::with_capacity(value.len());
        for (index, item) in value.into_iter().enumerate() {
            match M::try_from(item) {
                Ok(converted) => items.push(converted),
                Err(error) => return Err(error.within(&format!("{field}[{index}]"))),
            }
        }
        Ok(items)
    }
}

/// A [`GroupMemberCustomInfo`](tim_model::GroupMemberCustomInfo) (a newtype over the list of
/// custom fields) as a `repeated` field.
pub(crate) mod member_custom_info {
    use super::*;
    use crate::v1::GroupMemberInfoCustomString;
    use tim_model::GroupMemberCustomInfo;

    pub(crate) fn to_wire(value: GroupMemberCustomInfo) -> Vec<GroupMemberInfoCustomString> {
        list::to_wire(value.0)
    }

    pub(crate) fn from_wire(
        value: Vec<GroupMemberInfoCustomString>,
        field: &str,
    ) -> Result<GroupMemberCustomInfo> {
        list::from_wire(value, field).map(GroupMemberCustomInfo)
    }
}
