//! Conversions between the generated `v1` types and the tim-model types.
//!
//! Model to wire is infallible (`From`); wire to model is total and fallible (`TryFrom`,
//! error [`ProtoError`](crate::ProtoError)): it refuses enum numbers the TIM enum does not
//! define, invalid message IDs, elements with no body and absent required messages, naming the
//! field, and never panics. Both directions move values instead of cloning them.
//!
//! The proto fields carry the model's field names, so most conversions are declared with
//! [`convert_struct!`]: one line per field saying how it maps ([`field`]). Because the macro
//! writes struct literals without `..Default::default()`, a field added on either side and not
//! mapped is a compile error.

mod elem;
mod enums;
mod field;
mod lifecycle;
mod message;
mod profile;
mod push;

pub use enums::WireEnum;

/// Implements `From<$model> for $wire` and `TryFrom<$wire> for $model` for two structs whose
/// fields have the same names, each field mapped by the module of [`field`] named after it.
///
/// A field marked `recursive` (one whose conversion converts messages again, as a merge
/// element holds messages) is converted first, in a small stack frame, and the other fields
/// after it in a separate function: then the large frame that converts the other fields is
/// not on the stack during the recursion. Debug builds do not share stack slots between
/// temporaries, and without this a message nested as deep as the decoder allows overflows a
/// 2 MiB thread stack.
macro_rules! convert_struct {
    ($model:ty => $wire:ty { $($name:ident: $kind:ident),* $(,)? }) => {
        impl From<$model> for $wire {
            fn from(value: $model) -> Self {
                Self {
                    $($name: $crate::convert::field::$kind::to_wire(value.$name),)*
                }
            }
        }

        impl TryFrom<$wire> for $model {
            type Error = $crate::ProtoError;

            fn try_from(value: $wire) -> $crate::Result<Self> {
                Ok(Self {
                    $($name: $crate::convert::field::$kind::from_wire(
                        value.$name,
                        stringify!($name),
                    )?,)*
                })
            }
        }
    };
    (
        $model:ty => $wire:ty {
            recursive $rec:ident: $rec_kind:ident,
            $($name:ident: $kind:ident),* $(,)?
        }
    ) => {
        impl From<$model> for $wire {
            fn from(mut value: $model) -> Self {
                #[inline(never)]
                fn other_fields(value: $model) -> $wire {
                    type Wire = $wire;
                    Wire {
                        $rec: Default::default(),
                        $($name: $crate::convert::field::$kind::to_wire(value.$name),)*
                    }
                }

                let $rec = $crate::convert::field::$rec_kind::to_wire(std::mem::take(&mut value.$rec));
                let mut wire = other_fields(value);
                wire.$rec = $rec;
                wire
            }
        }

        impl TryFrom<$wire> for $model {
            type Error = $crate::ProtoError;

            fn try_from(mut value: $wire) -> $crate::Result<Self> {
                #[inline(never)]
                fn other_fields(value: $wire) -> $crate::Result<$model> {
                    type Model = $model;
                    Ok(Model {
                        $rec: Default::default(),
                        $($name: $crate::convert::field::$kind::from_wire(
                            value.$name,
                            stringify!($name),
                        )?,)*
                    })
                }

                let $rec = $crate::convert::field::$rec_kind::from_wire(
                    std::mem::take(&mut value.$rec),
                    stringify!($rec),
                )?;
                let mut model = other_fields(value)?;
                model.$rec = $rec;
                Ok(model)
            }
        }
    };
}

pub(crate) use convert_struct;
