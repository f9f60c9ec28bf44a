//! Message elements: one object per element, its shape chosen by its numeric `elem_type`.

mod content;
mod media;
mod system;

pub use content::{CustomElem, FaceElem, LocationElem, MergeElem, TextElem};
pub use media::{FileElem, ImageElem, SoundElem, VideoElem};
pub use system::{
    FriendAddPendency, FriendChangeElem, FriendProfileUpdate, GroupReportElem,
    GroupTipGroupChangeInfo, GroupTipMemberChangeInfo, GroupTipMemberMarkChangeInfo, GroupTipsElem,
    ProfileChangeElem,
};

use crate::enums::ElemType;
use crate::error::{ModelError, Result};
use crate::json::{JsonObject, JsonValue, ObjReader, ObjWriter, Path};
use crate::keys;
use serde_json::Value;

/// One element of a message (`message_elem_array` item).
#[derive(Debug, Clone, PartialEq)]
pub enum Elem {
    /// `kTIMElem_Text` (0).
    Text(TextElem),
    /// `kTIMElem_Image` (1).
    Image(ImageElem),
    /// `kTIMElem_Sound` (2).
    Sound(SoundElem),
    /// `kTIMElem_Custom` (3).
    Custom(CustomElem),
    /// `kTIMElem_File` (4).
    File(FileElem),
    /// `kTIMElem_GroupTips` (5).
    GroupTips(GroupTipsElem),
    /// `kTIMElem_Face` (6).
    Face(FaceElem),
    /// `kTIMElem_Location` (7).
    Location(LocationElem),
    /// `kTIMElem_GroupReport` (8).
    GroupReport(GroupReportElem),
    /// `kTIMElem_Video` (9).
    Video(VideoElem),
    /// `kTIMElem_FriendChange` (10).
    FriendChange(FriendChangeElem),
    /// `kTIMElem_ProfileChange` (11).
    ProfileChange(ProfileChangeElem),
    /// `kTIMElem_Merge` (12).
    Merge(MergeElem),
}

/// Calls `$body` with `$inner` bound to the element struct of whichever variant `$elem` is.
macro_rules! with_inner {
    ($elem:expr, $inner:ident => $body:expr) => {
        match $elem {
            Elem::Text($inner) => $body,
            Elem::Image($inner) => $body,
            Elem::Sound($inner) => $body,
            Elem::Custom($inner) => $body,
            Elem::File($inner) => $body,
            Elem::GroupTips($inner) => $body,
            Elem::Face($inner) => $body,
            Elem::Location($inner) => $body,
            Elem::GroupReport($inner) => $body,
            Elem::Video($inner) => $body,
            Elem::FriendChange($inner) => $body,
            Elem::ProfileChange($inner) => $body,
            Elem::Merge($inner) => $body,
        }
    };
}

impl Elem {
    /// The element's type.
    pub fn elem_type(&self) -> ElemType {
        match self {
            Self::Text(_) => ElemType::Text,
            Self::Image(_) => ElemType::Image,
            Self::Sound(_) => ElemType::Sound,
            Self::Custom(_) => ElemType::Custom,
            Self::File(_) => ElemType::File,
            Self::GroupTips(_) => ElemType::GroupTips,
            Self::Face(_) => ElemType::Face,
            Self::Location(_) => ElemType::Location,
            Self::GroupReport(_) => ElemType::GroupReport,
            Self::Video(_) => ElemType::Video,
            Self::FriendChange(_) => ElemType::FriendChange,
            Self::ProfileChange(_) => ElemType::ProfileChange,
            Self::Merge(_) => ElemType::Merge,
        }
    }

    /// Whether an app may send this element (tips and reports come only from the server, and
    /// relationship/profile changes only from the system).
    pub fn is_sendable(&self) -> bool {
        !matches!(
            self,
            Self::GroupTips(_)
                | Self::GroupReport(_)
                | Self::FriendChange(_)
                | Self::ProfileChange(_)
        )
    }
}

impl JsonValue for Elem {
    fn from_json(value: &Value, path: &Path<'_>) -> Result<Self> {
        let obj = ObjReader::new(value, path)?;
        let elem_type: ElemType = obj.required(keys::ELEM_TYPE)?;
        Ok(match elem_type {
            ElemType::Text => Self::Text(TextElem::read_fields(&obj)?),
            ElemType::Image => Self::Image(ImageElem::read_fields(&obj)?),
            ElemType::Sound => Self::Sound(SoundElem::read_fields(&obj)?),
            ElemType::Custom => Self::Custom(CustomElem::read_fields(&obj)?),
            ElemType::File => Self::File(FileElem::read_fields(&obj)?),
            ElemType::GroupTips => Self::GroupTips(GroupTipsElem::read_fields(&obj)?),
            ElemType::Face => Self::Face(FaceElem::read_fields(&obj)?),
            ElemType::Location => Self::Location(LocationElem::read_fields(&obj)?),
            ElemType::GroupReport => Self::GroupReport(GroupReportElem::read_fields(&obj)?),
            ElemType::Video => Self::Video(VideoElem::read_fields(&obj)?),
            ElemType::FriendChange => Self::FriendChange(FriendChangeElem::read_fields(&obj)?),
            ElemType::ProfileChange => Self::ProfileChange(ProfileChangeElem::read_fields(&obj)?),
            ElemType::Merge => Self::Merge(MergeElem::read_fields(&obj)?),
            ElemType::Invalid => {
                return Err(ModelError::invalid(
                    path.key(keys::ELEM_TYPE.name).to_string(),
                    "kTIMElem_Invalid (-1) is not an element that can be carried",
                ));
            }
        })
    }

    fn to_json(&self) -> Value {
        let mut out = ObjWriter::new();
        out.put(keys::ELEM_TYPE, self.elem_type().to_json());
        with_inner!(self, inner => inner.write_fields(&mut out));
        out.finish()
    }
}

#[cfg(any(test, feature = "arbitrary"))]
impl crate::arb::ArbField for Elem {
    fn strategy() -> proptest::strategy::BoxedStrategy<Self> {
        use crate::arb::arbitrary;
        use proptest::prelude::*;
        let leaves = prop_oneof![
            arbitrary::<TextElem>().prop_map(Self::Text),
            arbitrary::<ImageElem>().prop_map(Self::Image),
            arbitrary::<SoundElem>().prop_map(Self::Sound),
            arbitrary::<CustomElem>().prop_map(Self::Custom),
            arbitrary::<FileElem>().prop_map(Self::File),
            arbitrary::<GroupTipsElem>().prop_map(Self::GroupTips),
            arbitrary::<FaceElem>().prop_map(Self::Face),
            arbitrary::<LocationElem>().prop_map(Self::Location),
            arbitrary::<GroupReportElem>().prop_map(Self::GroupReport),
            arbitrary::<VideoElem>().prop_map(Self::Video),
            arbitrary::<FriendChangeElem>().prop_map(Self::FriendChange),
            arbitrary::<ProfileChangeElem>().prop_map(Self::ProfileChange),
        ];
        match crate::arb::inside_merge(|| arbitrary::<MergeElem>().prop_map(Self::Merge)) {
            Some(merges) => prop_oneof![12 => leaves, 1 => merges].boxed(),
            None => leaves.boxed(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json;

    #[test]
    fn elem_type_selects_the_shape_and_is_written_back() {
        let elem: Elem = json::from_str(r#"{"elem_type":7,"location_elem_desc":"here","location_elem_longitude":1.5,"location_elem_latitude":"2"}"#).unwrap();
        let Elem::Location(location) = &elem else {
            panic!("{elem:?}")
        };
        assert_eq!((location.longitude, location.latitude), (1.5, 2.0));
        assert_eq!(elem.to_json()["elem_type"], 7);
    }

    #[test]
    fn unknown_or_missing_elem_types_are_refused_naming_the_key() {
        for (text, path) in [
            (r#"{"elem_type":99}"#, "elem_type"),
            (r#"{"elem_type":-1}"#, "elem_type"),
            (r#"{"text_elem_content":"x"}"#, "elem_type"),
            (r#"{"elem_type":0}"#, "text_elem_content"),
        ] {
            let err = json::from_str::<Elem>(text).unwrap_err();
            assert_eq!(err.code(), 6017, "{text}");
            assert_eq!(err.path(), path, "{text}");
        }
    }
}
