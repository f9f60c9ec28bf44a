//! [`JsonValue`] for the primitive types: strings, booleans, integers (also from strings, as
//! jsoncpp-built samples send them), floats, arrays, and raw JSON passed through.

use super::{JsonValue, Path, wrong_type};
use crate::error::{ModelError, Result};
use serde_json::{Number, Value};

impl JsonValue for String {
    fn from_json(value: &Value, path: &Path<'_>) -> Result<Self> {
        match value {
            Value::String(text) => Ok(text.clone()),
            other => Err(wrong_type(path, "a string", other)),
        }
    }

    fn to_json(&self) -> Value {
        Value::String(self.clone())
    }
}

impl JsonValue for bool {
    fn from_json(value: &Value, path: &Path<'_>) -> Result<Self> {
        match value {
            Value::Bool(flag) => Ok(*flag),
            Value::Number(n) if n.as_u64() == Some(0) => Ok(false),
            Value::Number(n) if n.as_u64() == Some(1) => Ok(true),
            other => Err(wrong_type(path, "a boolean", other)),
        }
    }

    fn to_json(&self) -> Value {
        Value::Bool(*self)
    }
}

/// Reads any JSON integer as `i128`: a number, a float with no fractional part, or a string
/// holding a decimal integer.
pub(crate) fn integer(value: &Value, path: &Path<'_>) -> Result<i128> {
    match value {
        Value::Number(n) => {
            if let Some(v) = n.as_i64() {
                Ok(i128::from(v))
            } else if let Some(v) = n.as_u64() {
                Ok(i128::from(v))
            } else {
                let float = n.as_f64().unwrap_or(f64::NAN);
                // 2^100 is far beyond every integer key, yet still exact as an f64.
                if float.fract() == 0.0 && float.abs() < 1.3e30 {
                    Ok(float as i128)
                } else {
                    Err(ModelError::invalid(
                        path.to_string(),
                        format!("{n} is not an integer"),
                    ))
                }
            }
        }
        Value::String(text) => text.trim().parse::<i128>().map_err(|_| {
            ModelError::invalid(
                path.to_string(),
                format!("{text:?} does not hold an integer"),
            )
        }),
        other => Err(wrong_type(path, "an integer", other)),
    }
}

macro_rules! integer_value {
    ($($ty:ty),*) => {$(
        impl JsonValue for $ty {
            fn from_json(value: &Value, path: &Path<'_>) -> Result<Self> {
                let wide = integer(value, path)?;
                <$ty>::try_from(wide).map_err(|_| {
                    ModelError::invalid(
                        path.to_string(),
                        format!("{wide} is out of range ({}..={})", <$ty>::MIN, <$ty>::MAX),
                    )
                })
            }

            fn to_json(&self) -> Value {
                Value::from(*self)
            }
        }
    )*};
}

integer_value!(u32, u64, i32, i64);

impl JsonValue for f64 {
    fn from_json(value: &Value, path: &Path<'_>) -> Result<Self> {
        match value {
            Value::Number(n) => n
                .as_f64()
                .ok_or_else(|| wrong_type(path, "a number", value)),
            Value::String(text) => match text.trim().parse::<f64>() {
                Ok(v) if v.is_finite() => Ok(v),
                _ => Err(ModelError::invalid(
                    path.to_string(),
                    format!("{text:?} does not hold a number"),
                )),
            },
            other => Err(wrong_type(path, "a number", other)),
        }
    }

    fn to_json(&self) -> Value {
        // JSON has no NaN or infinity; the model never holds them (decoding refuses them).
        Number::from_f64(*self).map_or(Value::Null, Value::Number)
    }
}

impl<T: JsonValue> JsonValue for Vec<T> {
    fn from_json(value: &Value, path: &Path<'_>) -> Result<Self> {
        match value {
            Value::Array(items) => items
                .iter()
                .enumerate()
                .map(|(index, item)| T::from_json(item, &path.index(index)))
                .collect(),
            other => Err(wrong_type(path, "an array", other)),
        }
    }

    fn to_json(&self) -> Value {
        Value::Array(self.iter().map(JsonValue::to_json).collect())
    }
}

/// A JSON object passed through unchanged, for payloads whose keys the TIM documentation does
/// not define (e.g. a friend-profile update item).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RawObject(pub serde_json::Map<String, Value>);

impl JsonValue for RawObject {
    fn from_json(value: &Value, path: &Path<'_>) -> Result<Self> {
        match value {
            Value::Object(map) => Ok(Self(map.clone())),
            other => Err(wrong_type(path, "an object", other)),
        }
    }

    fn to_json(&self) -> Value {
        Value::Object(self.0.clone())
    }
}

#[cfg(any(test, feature = "arbitrary"))]
impl crate::arb::ArbField for RawObject {
    fn strategy() -> proptest::strategy::BoxedStrategy<Self> {
        use proptest::prelude::*;
        // Keys start with "x-" so tests can tell them from TIM keys.
        proptest::collection::btree_map("x-[a-z_]{1,12}", any::<String>(), 0..4)
            .prop_map(|entries| {
                Self(
                    entries
                        .into_iter()
                        .map(|(k, v)| (k, Value::String(v)))
                        .collect(),
                )
            })
            .boxed()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn read<T: JsonValue>(value: Value) -> Result<T> {
        T::from_json(&value, &Path::Root)
    }

    #[test]
    fn integers_accept_numbers_integral_floats_and_numeric_strings() {
        assert_eq!(read::<u32>(json!(7)).unwrap(), 7);
        assert_eq!(read::<u32>(json!(7.0)).unwrap(), 7);
        assert_eq!(read::<u32>(json!(" 42 ")).unwrap(), 42);
        assert_eq!(read::<u64>(json!(u64::MAX)).unwrap(), u64::MAX);
        assert_eq!(read::<i32>(json!("-5")).unwrap(), -5);
    }

    #[test]
    fn integers_refuse_out_of_range_and_non_integers() {
        assert_eq!(read::<u32>(json!(-1)).unwrap_err().code(), 6017);
        assert_eq!(
            read::<u32>(json!(4_294_967_296_u64)).unwrap_err().code(),
            6017
        );
        assert_eq!(read::<u64>(json!(1e300)).unwrap_err().code(), 6017);
        assert_eq!(read::<u32>(json!(1.5)).unwrap_err().code(), 6017);
        assert_eq!(read::<u32>(json!("seven")).unwrap_err().code(), 6017);
        assert_eq!(read::<u32>(json!(true)).unwrap_err().code(), 6027);
        assert_eq!(read::<u32>(json!([1])).unwrap_err().code(), 6027);
    }

    #[test]
    fn booleans_accept_zero_and_one() {
        assert!(read::<bool>(json!(1)).unwrap());
        assert!(!read::<bool>(json!(0)).unwrap());
        assert_eq!(read::<bool>(json!(2)).unwrap_err().code(), 6027);
        assert_eq!(read::<bool>(json!("true")).unwrap_err().code(), 6027);
    }

    #[test]
    fn floats_refuse_non_numbers() {
        assert_eq!(read::<f64>(json!(1)).unwrap(), 1.0);
        assert_eq!(read::<f64>(json!("2.5")).unwrap(), 2.5);
        assert_eq!(read::<f64>(json!("NaN")).unwrap_err().code(), 6017);
        assert_eq!(read::<f64>(json!({})).unwrap_err().code(), 6027);
    }

    #[test]
    fn arrays_report_the_index_of_a_bad_item() {
        let err = read::<Vec<String>>(json!(["a", 2])).unwrap_err();
        assert_eq!(err.path(), "[1]");
        assert_eq!(err.code(), 6027);
    }
}
