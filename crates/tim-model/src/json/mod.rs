//! The TIM JSON codec: total decoding with errors that name the offending key, and encoding
//! with the exact key strings of the TIM headers.
//!
//! Decoding goes through [`serde_json::Value`] and the [`JsonValue`] trait instead of serde
//! derives, because the TIM contract needs things derives do not give: a second accepted
//! spelling for renamed keys, numbers accepted from strings, element objects selected by a
//! numeric `elem_type`, and an error for every refusal that carries the path of the key.
//!
//! Conventions every model type follows (documented in `docs/compatibility.md`):
//! - unknown keys are ignored; a key holding `null` counts as absent;
//! - an absent optional key takes the type's default, and encoding writes every key, so a
//!   decoded value encodes to a complete object (except `Option` fields, written when `Some`);
//! - integers are also accepted as strings holding a decimal integer, and as floats with no
//!   fractional part; booleans are also accepted as the numbers 0 and 1.

mod object;
mod path;
mod primitives;

pub use object::{JsonField, JsonObject, ObjReader, ObjWriter};
pub use path::Path;
pub use primitives::RawObject;
pub(crate) use primitives::integer;

use crate::error::{ModelError, Result};
use serde_json::Value;

/// A type that has a TIM JSON form.
pub trait JsonValue: Sized {
    /// Decodes `value`; `path` locates it inside the document for error messages.
    fn from_json(value: &Value, path: &Path<'_>) -> Result<Self>;
    /// Encodes `self`.
    fn to_json(&self) -> Value;
}

/// Decodes a whole JSON document of type `T` from text.
pub fn from_str<T: JsonValue>(text: &str) -> Result<T> {
    let value: Value = serde_json::from_str(text).map_err(|err| ModelError::Syntax {
        detail: err.to_string(),
    })?;
    T::from_json(&value, &Path::Root)
}

/// Decodes a whole JSON document of type `T` from bytes that should be UTF-8 (as a C caller
/// hands them over).
pub fn from_slice<T: JsonValue>(bytes: &[u8]) -> Result<T> {
    let text = std::str::from_utf8(bytes).map_err(|err| ModelError::InvalidUtf8 {
        offset: err.valid_up_to(),
    })?;
    from_str(text)
}

/// Encodes `value` as compact JSON text.
pub fn to_string<T: JsonValue>(value: &T) -> String {
    value.to_json().to_string()
}

/// The name of a JSON value's type, for error messages.
pub(crate) fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A [`ModelError::WrongType`] for `value` found at `path`.
pub(crate) fn wrong_type(path: &Path<'_>, expected: &'static str, value: &Value) -> ModelError {
    ModelError::WrongType {
        path: path.to_string(),
        expected,
        found: type_name(value),
    }
}

/// Declares a model struct whose fields map one-to-one to TIM JSON keys, and implements
/// [`JsonObject`] (and so [`JsonValue`]) for it.
///
/// Each field is written `name: Type = KEY_CONST` with an optional flag in parentheses:
/// `(required)` refuses the object when the key is absent; `(lenient)` treats a string that
/// does not hold a number as absent (for `message_custom_int`, which a seed sample sets from a
/// word). `KEY_CONST` names a constant of [`crate::keys`].
macro_rules! json_object {
    (
        $(#[$smeta:meta])*
        pub struct $name:ident {
            $(
                $(#[$fmeta:meta])*
                $field:ident : $ty:ty = $key:ident $(($flag:ident))?,
            )*
        }
    ) => {
        $(#[$smeta])*
        #[derive(Debug, Clone, PartialEq, Default)]
        pub struct $name {
            $( $(#[$fmeta])* pub $field: $ty, )*
        }

        impl $crate::json::JsonObject for $name {
            fn read_fields(obj: &$crate::json::ObjReader<'_, '_>) -> $crate::error::Result<Self> {
                Ok(Self {
                    $( $field: json_object!(@read obj, $ty, $crate::keys::$key $(, $flag)?), )*
                })
            }

            fn write_fields(&self, out: &mut $crate::json::ObjWriter) {
                $( <$ty as $crate::json::JsonField>::write_field(&self.$field, out, $crate::keys::$key); )*
            }
        }

        impl $crate::json::JsonValue for $name {
            fn from_json(
                value: &serde_json::Value,
                path: &$crate::json::Path<'_>,
            ) -> $crate::error::Result<Self> {
                <Self as $crate::json::JsonObject>::from_object(value, path)
            }

            fn to_json(&self) -> serde_json::Value {
                <Self as $crate::json::JsonObject>::to_object(self)
            }
        }

        json_object!(@arbitrary $name { $($field : $ty),* });
    };
    (@arbitrary $name:ident { $($field:ident : $ty:ty),* }) => {
        #[cfg(any(test, feature = "arbitrary"))]
        impl $crate::arb::ArbField for $name {
            fn strategy() -> proptest::strategy::BoxedStrategy<Self> {
                use proptest::strategy::Strategy;
                // One boxed step per field keeps the types small for structs of any width
                // (proptest tuples stop at 12).
                let strategy = proptest::strategy::Just(Self::default()).boxed();
                $(
                    let strategy = (strategy, <$ty as $crate::arb::ArbField>::strategy())
                        .prop_map(|(mut value, field)| {
                            value.$field = field;
                            value
                        })
                        .boxed();
                )*
                strategy
            }
        }
    };
    (@read $obj:ident, $ty:ty, $key:expr) => {
        <$ty as $crate::json::JsonField>::read_field($obj, $key, false)?
    };
    (@read $obj:ident, $ty:ty, $key:expr, required) => {
        <$ty as $crate::json::JsonField>::read_field($obj, $key, true)?
    };
    (@read $obj:ident, $ty:ty, $key:expr, lenient) => {
        $obj.read_lenient::<$ty>($key)?
    };
}

pub(crate) use json_object;
